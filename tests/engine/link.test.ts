import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import {
  buildNetwork,
  buildProblems,
  decodeLink,
  encodeLink,
  example,
  loadScenarioDocument,
  MAX_LINK_CHARS,
  type Scenario,
} from '../../src/engine/index';

/** A link of the frozen version 1 (hand-laid rows) or of today's schema-laid version 2. */
const link = (doc: unknown, version = 1) =>
  `#v${version}.${LZString.compressToEncodedURIComponent(JSON.stringify(doc))}`;

describe('share links', () => {
  it('restore every example exactly, positions and allocations included', () => {
    for (const name of ['seed', 'xsubnet', 'naive'] as const) {
      const built = buildNetwork(example(name, { datapath: 'gateway', srcCheck: true }));
      if (!built.ok) throw new Error('invalid example');
      const s = built.network.scenario;
      expect(decodeLink(`#${encodeLink({ scenario: s })}`)).toEqual({
        ok: true,
        value: { scenario: s },
      });
    }
  });

  it('keep a pod’s shareProcessNamespace, with or without a position', () => {
    const s = example('seed');
    const shared = {
      ...s,
      pods: s.pods.map((p, i) =>
        i === 0
          ? { ...p, shareProcessNamespace: true }
          : i === 1
            ? { ...p, shareProcessNamespace: true, position: undefined }
            : p,
      ),
    };
    const clean = JSON.parse(JSON.stringify(shared));
    expect(decodeLink(encodeLink({ scenario: clean }))).toEqual({
      ok: true,
      value: { scenario: clean },
    });
  });

  it('carry the packet being played and the hop on screen', () => {
    const play = { from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp' as const, hop: 3 };
    const r = decodeLink(encodeLink({ scenario: example('seed'), play }));
    expect(r.ok && r.value.play).toEqual(play);
  });

  it('keep a name holding HTML as plain data for validation to refuse', () => {
    const r = decodeLink(
      link({ s: [['<img src=x onerror=alert(1)>', '10.0.0.0/24', '10.0.0.1', 0, null]] }),
    );
    expect(r.ok && r.value.scenario.subnets[0]?.name).toBe('<img src=x onerror=alert(1)>');
    expect(r.ok && buildNetwork(r.value.scenario).ok).toBe(true);
    const pods = decodeLink(
      link({
        s: [['a', '10.0.0.0/24', '10.0.0.1', 0, null]],
        n: [['<b>x</b>', 'a', '10.0.0.2', null, 0, null]],
      }),
    );
    const built = pods.ok ? buildNetwork(pods.value.scenario) : undefined;
    expect(built && buildProblems(built)).toContainEqual(
      expect.objectContaining({ kind: 'refused', object: 'node/<b>x</b>', field: 'name' }),
    );
    expect(built?.ok && built.network.namespace('<b>x</b>')).toBe(undefined);
  });

  it('refuse broken, truncated, wrong-version and absurd links with a message', () => {
    const good = encodeLink({ scenario: example('seed') });
    expect(decodeLink(`#${good.slice(0, 40)}`)).toMatchObject({ ok: false });
    expect(decodeLink('#v3.abc')).toMatchObject({ ok: false, error: { kind: 'tooNew' } });
    expect(decodeLink('#nonsense')).toMatchObject({ ok: false, error: { kind: 'badLink' } });
    expect(decodeLink(`#v1.${'A'.repeat(MAX_LINK_CHARS + 1)}`)).toMatchObject({
      ok: false,
      error: { kind: 'badLink' },
    });
    expect(
      decodeLink(link({ n: Array.from({ length: 20_000 }, () => ['n', 's', '1.1.1.1']) })),
    ).toMatchObject({ ok: false, error: { kind: 'badShape' } });
    expect(decodeLink(link({ c: { datapath: 'teleport' } }))).toMatchObject({
      ok: false,
      error: { kind: 'badShape' },
    });
  });

  it('refuse a position off the canvas (|x| or |y| over a million) and say where it is', () => {
    const s = example('seed');
    const at = (x: number, y: number) => ({
      ...s,
      pods: s.pods.map((p, i) => (i === 0 ? { ...p, position: { x, y } } : p)),
    });
    for (const [x, y] of [
      [1e308, -1e308],
      [1e7, 1e7],
      [0, -1_000_001],
    ] as const) {
      const rows = JSON.parse(
        LZString.decompressFromEncodedURIComponent(encodeLink({ scenario: at(0, 0) }).slice(3))!,
      );
      // a pod's row: name, node, ip, labels, containers, position (schema.ts's order)
      rows.p[0][5] = [x, y];
      const r = decodeLink(link(rows, 2));
      expect(r).toMatchObject({ ok: false, error: { kind: 'badShape' } });
      expect(!r.ok && r.error.text).toMatch(/pods\[0\]\.position\.[xy]: .* is off the canvas/);
    }
    const file = loadScenarioDocument(JSON.parse(JSON.stringify(at(2e6, 0))));
    expect(file).toMatchObject({ ok: false, error: { kind: 'badShape' } });
    expect(loadScenarioDocument(JSON.parse(JSON.stringify(at(-1e6, 1e6)))).ok).toBe(true);
  });

  it('refuse a half position (one coordinate not a number) instead of dropping it silently', () => {
    const rows = JSON.parse(
      LZString.decompressFromEncodedURIComponent(
        encodeLink({ scenario: example('seed') }).slice(3),
      )!,
    );
    rows.n[0][6] = ['NaN', 40];
    expect(decodeLink(link(rows, 2))).toMatchObject({ ok: false, error: { kind: 'badShape' } });
  });

  it('write a position the loader accepts, whatever the canvas held', () => {
    const s = example('seed');
    const far = {
      ...s,
      nodes: s.nodes.map((n, i) =>
        i === 0 ? { ...n, position: { x: 5e6, y: -3 } } : { ...n, position: { x: NaN, y: 1 } },
      ),
    };
    const r = decodeLink(encodeLink({ scenario: far }));
    expect(r.ok && r.value.scenario.nodes.map((n) => n.position)).toEqual([
      { x: 1_000_000, y: -3 },
      undefined,
    ]);
  });
});

describe('a link version podhop does not know (issue 13)', () => {
  it('says the version as written, never Infinity', () => {
    expect(decodeLink('#v3.abc')).toEqual({
      ok: false,
      error: {
        kind: 'tooNew',
        text: 'this link was made by a newer podhop (link version 3; this one reads up to 2)',
      },
    });
    const huge = decodeLink(`#v${'9'.repeat(400)}.abc`);
    expect(huge).toEqual({
      ok: false,
      error: {
        kind: 'tooNew',
        text: 'this link has a link version this podhop does not know (this one reads up to 2)',
      },
    });
  });

  it('reads a version with leading zeros as the number it is', () => {
    const s = example('seed');
    const fragment = encodeLink({ scenario: s }).replace(/^v1\./, 'v0001.');
    expect(decodeLink(fragment).ok).toBe(true);
  });
});

describe('share links carry Kubernetes namespaces', () => {
  it('two pods named web in x and y, a namespace’s labels and a NetworkPolicy come back as they went', () => {
    const seed = example('seed');
    const web = (namespace: string) => ({
      ...seed.pods[0]!,
      name: 'web' as Scenario['pods'][number]['name'],
      namespace,
      ip: undefined,
    });
    const doc = JSON.parse(JSON.stringify({ ...seed, pods: [...seed.pods, web('x'), web('y')] }));
    doc.namespaces = [{ name: 'x', labels: { team: 'a' } }, { name: 'y' }];
    doc.networkPolicies = [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: 'x' },
        spec: { podSelector: {} },
      },
    ];
    const loaded = loadScenarioDocument(doc);
    if (!loaded.ok) throw new Error(loaded.error.text);
    const back = decodeLink(`#${encodeLink({ scenario: loaded.value })}`);
    expect(back.ok && back.value.scenario).toEqual(loaded.value);
    expect(
      back.ok && back.value.scenario.pods.map((p) => `${p.namespace ?? 'default'}/${p.name}`),
    ).toEqual(['default/pod1a', 'default/pod1b', 'default/pod2a', 'x/web', 'y/web']);
  });
});
