/**
 * Bad input, fuzzed (issue 13): share links and scenario files mutated the way
 * a truncated paste, a hand edit or a hostile page would mutate them. Whatever
 * arrives, no exception escapes the loader, the build, the walk or a printer;
 * every refusal says something; no prototype is polluted.
 */
import fc from 'fast-check';
import LZString from 'lz-string';
import { afterAll, describe, expect, it } from 'vitest';
import { buildNetwork } from '../../src/engine/network/build';
import type { Network } from '../../src/engine/network/types';
import { printAddr, printAddrBrief, printLink, printLinkBrief } from '../../src/engine/print/addr';
import { printFdb } from '../../src/engine/print/fdb';
import { printIptables } from '../../src/engine/print/iptables';
import {
  printEndpoints,
  printEvents,
  printPods,
  printPodsWide,
  printServices,
} from '../../src/engine/print/kubectl';
import { printLocalTable } from '../../src/engine/print/localTable';
import { printNeigh } from '../../src/engine/print/neigh';
import { printRoutes } from '../../src/engine/print/route';
import { interfaceCapture, underlayCapture } from '../../src/engine/print/tcpdump';
import { EXAMPLE_NAMES, example } from '../../src/engine/scenario/examples';
import { decodeLink, encodeLink } from '../../src/engine/scenario/link';
import { parseScenarioJson, scenarioToJson } from '../../src/engine/scenario/load';
import type { Scenario } from '../../src/engine/scenario/types';
import { trace } from '../../src/engine/walk/probe';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const seeds: readonly Scenario[] = EXAMPLE_NAMES.map((n) => example(n));
const links = seeds.map((s) =>
  encodeLink({ scenario: s, play: { from: 'x', dst: '1.1.1.1', protocol: 'icmp' } }),
);
/** the compact rows a link carries, as JSON (mutated, then compressed again) */
const linkDocs = links.map(
  (l) => JSON.parse(LZString.decompressFromEncodedURIComponent(l.slice(3)) ?? 'null') as Json,
);
const fileDocs = seeds.map((s) => JSON.parse(scenarioToJson(s)) as Json);

const INVISIBLE = ['\u202e', '\u200b', '\u0000', '\u001b[31m', '\u2066', '\ufeff', '\n', '\ud800'];

/** A value of the wrong kind, out of range, or carrying invisible characters. */
const arbBad: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    true,
    0,
    -1,
    1e308,
    -1e308,
    2 ** 53 + 1,
    4294967296,
    0.5,
    '',
    '10.96.0.0/30',
    '255.255.255.255/32',
    '0.0.0.0/0',
    '10.96.0.0/12',
    '1.2.3.4',
    '999.1.1.1',
    'x'.repeat(300),
    [],
    {},
    [[]],
    { __proto__: { polluted: 1 } } as Json,
    JSON.parse('{"__proto__":{"polluted":1}}') as Json,
    JSON.parse('{"constructor":{"prototype":{"polluted":1}}}') as Json,
  ),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 12 }),
  fc
    .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...INVISIBLE), fc.string({ maxLength: 6 }))
    .map(([a, b, c]) => a + b + c),
);

/** Replaces, deletes or adds one value somewhere in a document (a path of random picks). */
function mutate(doc: Json, picks: readonly number[], bad: Json, op: number): Json {
  const [pick, ...rest] = picks;
  if (pick === undefined || doc === null || typeof doc !== 'object') return bad;
  if (Array.isArray(doc)) {
    if (doc.length === 0) return [bad];
    const i = pick % doc.length;
    const copy = [...doc];
    if (rest.length === 0 && op === 1) copy.splice(i, 1);
    else if (rest.length === 0 && op === 2) copy.push(bad);
    else copy[i] = mutate(doc[i]!, rest, bad, op);
    return copy;
  }
  const keys = Object.keys(doc);
  const copy: { [k: string]: Json } = { ...doc };
  if (keys.length === 0 || (rest.length === 0 && op === 2)) {
    const key = ['__proto__', 'constructor', 'prototype', 'version', 'x'][pick % 5]!;
    Object.defineProperty(copy, key, { value: bad, enumerable: true, writable: true });
    return copy;
  }
  const k = keys[pick % keys.length]!;
  if (rest.length === 0 && op === 1) delete copy[k];
  else copy[k] = mutate(doc[k]!, rest, bad, op);
  return copy;
}

const arbMutation = fc.record({
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
  bad: arbBad,
  op: fc.nat(2),
});

/** Text mutations: truncate, flip a character, insert one, or cut out a slice. */
const arbTextEdit: fc.Arbitrary<TextEdit> = fc.record({
  kind: fc.constantFrom<TextEdit['kind']>('truncate', 'flip', 'insert', 'cut'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  len: fc.nat(40),
  ch: fc.oneof(
    fc.constantFrom(...INVISIBLE, '"', '{', ']', ',', '9', '-', '$', '+'),
    fc.string({ minLength: 1, maxLength: 1 }),
  ),
});
function editText(text: string, e: TextEdit): string {
  const i = Math.floor(e.at * text.length);
  switch (e.kind) {
    case 'truncate':
      return text.slice(0, i);
    case 'flip':
      return text.slice(0, i) + e.ch + text.slice(i + 1);
    case 'insert':
      return text.slice(0, i) + e.ch + text.slice(i);
    case 'cut':
      return text.slice(0, i) + text.slice(i + e.len + 1);
  }
}
interface TextEdit {
  readonly kind: 'truncate' | 'flip' | 'insert' | 'cut';
  readonly at: number;
  readonly len: number;
  readonly ch: string;
}

/** Every printer and the walk, on a few of the network's namespaces. */
function exercise(net: Network): void {
  for (const p of [printServices, printEndpoints, printEvents, printPods, printPodsWide])
    expect(typeof p(net)).toBe('string');
  const names = net.namespaceNames;
  const some = [...names.slice(0, 3), ...names.slice(-2)];
  for (const name of some) {
    const ns = net.namespace(name);
    if (!ns) continue;
    printRoutes(ns);
    printAddrBrief(ns);
    printLinkBrief(ns);
    printAddr(ns);
    printLink(ns);
    printNeigh(ns);
    printFdb(ns);
    printLocalTable(ns);
    if (ns.iptables) {
      printIptables(ns.iptables.nat);
      printIptables(ns.iptables.filter);
    }
  }
  const pods = net.scenario.pods;
  const from = pods[0]?.name ?? names[0];
  const to = pods[pods.length - 1];
  if (from === undefined) return;
  const dsts = [
    net.scenario.services[0]?.clusterIP,
    to?.ip,
    net.scenario.nodes[0]?.ip,
    '8.8.8.8',
  ].filter((d): d is string => d !== undefined);
  for (const dst of dsts.slice(0, 2)) {
    const t = trace(net, { from, dst, protocol: dst === dsts[0] ? 'tcp' : 'icmp', dport: 80 });
    if (!t.ok) {
      expect(t.error.text.length).toBeGreaterThan(0);
      continue;
    }
    expect(t.value.verdict.text.length).toBeGreaterThan(0);
    underlayCapture(t.value, net);
    interfaceCapture(t.value, from);
  }
}

/** A refusal says why; an accepted scenario builds or names its problems; nothing throws. */
function check(loaded: { ok: true; value: Scenario } | { ok: false; error: { text: string } }) {
  if (!loaded.ok) {
    expect(loaded.error.text.trim().length).toBeGreaterThan(0);
    return;
  }
  const built = buildNetwork(loaded.value);
  if (!built.ok) {
    expect(built.problems.length).toBeGreaterThan(0);
    for (const p of built.problems) expect(p.text.trim().length).toBeGreaterThan(0);
    return;
  }
  for (const p of built.rejected) expect(p.text.trim().length).toBeGreaterThan(0);
  exercise(built.network);
}

const decoded = (fragment: string) => {
  const r = decodeLink(fragment);
  return r.ok ? { ok: true as const, value: r.value.scenario } : r;
};

// a few thousand builds: seconds alone, longer when the whole suite shares the machine
describe('bad input, fuzzed', { timeout: 60_000 }, () => {
  afterAll(() => {
    // nothing a document carried reached a prototype
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });

  it('an encoded link, truncated or with characters flipped, is decoded or refused with a reason', () => {
    fc.assert(
      fc.property(fc.nat(links.length - 1), arbTextEdit, (i, e) => {
        check(decoded(editText(links[i]!, e)));
      }),
      { numRuns: 1500 },
    );
  });

  it("a link's rows with a value of the wrong kind, out of range or with control characters", () => {
    fc.assert(
      fc.property(fc.nat(linkDocs.length - 1), arbMutation, (i, m) => {
        const doc = mutate(linkDocs[i]!, m.picks, m.bad, m.op);
        check(decoded(`v1.${LZString.compressToEncodedURIComponent(JSON.stringify(doc))}`));
      }),
      { numRuns: 1500 },
    );
  });

  it('a scenario file with a field replaced, removed or added (prototype keys included)', () => {
    fc.assert(
      fc.property(
        fc.nat(fileDocs.length - 1),
        fc.array(arbMutation, { minLength: 1, maxLength: 3 }),
        (i, ms) => {
          const doc = ms.reduce<Json>((d, m) => mutate(d, m.picks, m.bad, m.op), fileDocs[i]!);
          check(parseScenarioJson(JSON.stringify(doc)));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('a scenario file, truncated or with characters flipped', () => {
    const texts = seeds.map((s) => scenarioToJson(s));
    fc.assert(
      fc.property(fc.nat(texts.length - 1), arbTextEdit, (i, e) => {
        check(parseScenarioJson(editText(texts[i]!, e)));
      }),
      { numRuns: 500 },
    );
  });

  it('a link prefix with any version digits, or none', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^v[0-9]{0,400}\.?[A-Za-z0-9+-]{0,40}$/), (text) => {
        check(decoded(text));
      }),
      { numRuns: 300 },
    );
  });
});
