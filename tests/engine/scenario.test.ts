import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildNetwork,
  buildProblems,
  example,
  podAddress,
  trace,
  loadScenarioDocument,
  parseScenarioJson,
  scenarioToJson,
  validateScenario,
  type Scenario,
} from '../../src/engine/index';
import { cluster, network, node, pod } from './helpers';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'scenario');
const texts = (s: Scenario) => validateScenario(s).map((p) => `${p.object}: ${p.text}`);

describe('validation says what is wrong, in the component’s own words', () => {
  it('accepts the built-in examples', () => {
    for (const name of ['seed', 'xsubnet', 'naive'] as const)
      expect(validateScenario(example(name))).toEqual([]);
  });

  it('refuses a node mask smaller than the cluster prefix as kube-controller-manager does', () => {
    expect(texts(cluster({ clusterCidr: '10.244.0.0/16', nodeCidrMaskSize: 8 }, []))).toContain(
      'cluster: Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size configured for CIDR family',
    );
  });

  it('refuses a cluster CIDR that is no CIDR in kube-controller-manager’s words (k8s.io/utils ParseCIDRs)', () => {
    expect(texts(cluster({ clusterCidr: '10.244.0.0/33' }, []))).toContain(
      'cluster: failed to parse cidr value:"10.244.0.0/33" with error:invalid CIDR address: 10.244.0.0/33',
    );
  });

  it('accepts a cluster CIDR with host bits set, as net.ParseCIDR does: the network is what counts', () => {
    expect(texts(cluster({ clusterCidr: '10.244.1.0/16' }, []))).toEqual([]);
    const net = network(cluster({ clusterCidr: '10.244.1.0/16' }, [node('a', '10.100.0.2')]));
    expect(net.scenario.cluster.clusterCidr).toBe('10.244.0.0/16');
    expect(net.scenario.nodes[0]?.podCidr).toBe('10.244.0.0/24');
  });

  it('accepts any node mask kube-controller-manager accepts for IPv4, down to /32', () => {
    // cidrset's 16-bit limit (clusterSubnetMaxDiff) applies to IPv6 cluster CIDRs only
    expect(texts(cluster({ clusterCidr: '10.0.0.0/8', nodeCidrMaskSize: 32 }, []))).toEqual([]);
    expect(texts(cluster({ clusterCidr: '172.17.0.0/24', nodeCidrMaskSize: 31 }, []))).toEqual([]);
  });

  it('refuses a node IP outside its subnet, a duplicate name and a pod on a missing node', () => {
    const t = texts(
      cluster({}, [node('a', '10.200.0.2'), node('a', '10.100.0.3')], [pod('p', 'ghost')]),
    );
    expect(t).toContain('node/a: node IP 10.200.0.2 is not inside its subnet 10.100.0.0/24');
    expect(t).toContain('node/a: nodes "a" already exists');
    expect(t).toContain('pod/p: nodes "ghost" not found');
  });

  it('refuses a name that is not an RFC 1123 label, as the API server does', () => {
    expect(texts(cluster({}, [node('Node_1', '10.100.0.2')])).join()).toContain(
      'a lowercase RFC 1123 label must consist of lower case alphanumeric characters',
    );
  });

  it('refuses container names, label keys and values and selectors the API server refuses', () => {
    const s = example('seed');
    const bad: Scenario = {
      ...s,
      pods: s.pods.map((p, i) =>
        i === 0
          ? {
              ...p,
              labels: { 'Bad Key': '<img src=x onerror=alert(1)>', 'example.com/tier': 'web' },
              containers: p.containers.map((c, j) => (j === 1 ? { ...c, name: 'Bad_Name' } : c)),
            }
          : p,
      ),
      services: s.services.map((v) => ({ ...v, selector: { app: 'we b' } })),
    };
    const t = texts(bad);
    expect(t).toContain(
      `pod/pod1a: Pod "pod1a" is invalid: spec.containers[1].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
    expect(t.filter((x) => x.includes('metadata.labels'))).toHaveLength(2);
    expect(
      t.some((x) =>
        x.includes(
          'metadata.labels: Invalid value: "Bad Key": name part must consist of alphanumeric characters',
        ),
      ),
    ).toBe(true);
    expect(
      t.some((x) =>
        x.startsWith(
          'service/web: Service "web" is invalid: spec.selector: Invalid value: "we b": a valid label must be an empty string',
        ),
      ),
    ).toBe(true);
    // a prefixed key is a valid qualified name
    expect(t.some((x) => x.includes('example.com/tier'))).toBe(false);
  });

  it('a refused pod or Service stops nothing else: the rest builds, the refused one is kept to fix', () => {
    const s = example('seed');
    const bad: Scenario = {
      ...s,
      pods: s.pods.map((p) => (p.name === 'pod1b' ? { ...p, labels: { app: 'we b' } } : p)),
    };
    const b = buildNetwork(bad);
    if (!b.ok) throw new Error(b.problems.map((p) => p.text).join('\n'));
    expect(b.rejected.map((p) => p.object)).toEqual(['pod/pod1b']);
    expect(b.network.namespace('pod1b')).toBeUndefined();
    expect(b.network.namespace('pod2a')).toBeDefined();
    expect(b.stored.pods.map((p) => p.name)).toEqual(['pod1a', 'pod1b', 'pod2a']);
    expect(b.stored.pods[1]?.labels).toEqual({ app: 'we b' });
    // a problem outside pods and Services still stops the build
    expect(
      buildNetwork({ ...bad, cluster: { ...bad.cluster, clusterCidr: '172.17.0.0/33' } }).ok,
    ).toBe(false);
  });

  it('never throws out of buildNetwork: problems come back as values', () => {
    const r = buildNetwork(cluster({ clusterCidr: 'nonsense' }, [node('a', 'x.y')]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.length).toBeGreaterThan(1);
  });
});

describe('loading a scenario file: decode → envelope → version → migrate → shape → defaults', () => {
  it('round-trips an exported scenario exactly', () => {
    const s = example('seed');
    const back = parseScenarioJson(scenarioToJson(s));
    expect(back).toEqual({ ok: true, value: s });
  });

  it('says when the text is not JSON', () => {
    expect(parseScenarioJson('{"version": 1,')).toMatchObject({
      ok: false,
      error: { kind: 'badJson' },
    });
  });

  it('refuses a scenario saved by a newer podhop', () => {
    expect(parseScenarioJson('{"version": 99}')).toEqual({
      ok: false,
      error: {
        kind: 'tooNew',
        text: 'this scenario was saved by a newer podhop (format version 99; this one reads up to 2)',
      },
    });
  });

  it('migrates an unversioned draft (nodeMaskSize) through version 1 to 2', () => {
    const r = loadScenarioDocument({ cluster: { nodeMaskSize: 26 } });
    expect(r.ok && r.value.version).toBe(2);
    expect(r.ok && r.value.cluster.nodeCidrMaskSize).toBe(26);
  });

  it('migrates format 1 to 2: every pod in default, the same pods, nothing else changed', () => {
    const before = JSON.parse(readFileSync(join(FIXTURES, 'scenario-v1-seed.json'), 'utf8'));
    const after = JSON.parse(readFileSync(join(FIXTURES, 'scenario-v2-seed.json'), 'utf8'));
    const r = loadScenarioDocument(before);
    expect(r.ok && r.value).toEqual(after);
  });

  it('reads Kubernetes namespaces: two pods named web in x and y are two pods', () => {
    const web = (namespace: string) => ({
      name: 'web',
      namespace,
      node: 'node1',
      containers: [{ name: 'nginx', image: 'nginx:1.25' }],
    });
    const doc = JSON.parse(scenarioToJson(example('seed')));
    doc.namespaces = [{ name: 'x' }, { name: 'y', labels: { team: 'b' } }];
    doc.pods.push(web('x'), web('y'));
    const r = loadScenarioDocument(doc);
    if (!r.ok) throw new Error(r.error.text);
    expect(r.value.namespaces).toEqual([
      { name: 'x', labels: { 'kubernetes.io/metadata.name': 'x' } },
      { name: 'y', labels: { team: 'b', 'kubernetes.io/metadata.name': 'y' } },
    ]);
    const b = buildNetwork(r.value);
    if (!b.ok) throw new Error(b.problems[0]?.text);
    expect(buildProblems(b)).toEqual([]);
    expect(b.network.namespace('x/web')?.kind).toBe('pod');
    expect(b.network.namespace('y/web')?.kind).toBe('pod');
    const x = trace(b.network, {
      from: 'pod1a',
      dst: podAddress(b.network, 'x/web')!.ip.text,
      protocol: 'icmp',
    });
    const y = trace(b.network, {
      from: 'pod1a',
      dst: podAddress(b.network, 'y/web')!.ip.text,
      protocol: 'icmp',
    });
    expect(x.ok && x.value.request.end).toMatchObject({ kind: 'delivered', namespace: 'x/web' });
    expect(y.ok && y.value.request.end).toMatchObject({ kind: 'delivered', namespace: 'y/web' });
  });

  it('refuses a pod in a namespace that does not exist, and two pods x/web, in the API server’s words', () => {
    const doc = JSON.parse(scenarioToJson(example('seed')));
    const web = { name: 'web', node: 'node1', containers: [{ name: 'c', image: 'busybox' }] };
    doc.pods.push({ ...web, namespace: 'ghost' });
    const r = loadScenarioDocument(doc);
    const b = r.ok ? buildNetwork(r.value) : undefined;
    expect(b && buildProblems(b)).toContainEqual({
      kind: 'refused',
      object: 'pod/ghost/web',
      field: 'namespace',
      text: 'namespaces "ghost" not found',
    });
    doc.namespaces = [{ name: 'x' }];
    doc.pods = [...doc.pods.slice(0, -1), { ...web, namespace: 'x' }, { ...web, namespace: 'x' }];
    const twice = loadScenarioDocument(doc);
    const b2 = twice.ok ? buildNetwork(twice.value) : undefined;
    expect(b2 && buildProblems(b2)).toContainEqual({
      kind: 'duplicate',
      object: 'pod/x/web',
      text: 'pods "web" already exists',
    });
  });

  it('fills defaults and drops fields the format does not know', () => {
    const r = loadScenarioDocument({
      version: 1,
      subnets: [{ name: 's', cidr: '10.0.0.0/24', gateway: '10.0.0.1', evil: '<script>' }],
    });
    expect(r.ok && r.value.cluster.clusterCidr).toBe('10.244.0.0/16');
    expect(r.ok && r.value.subnets[0]).toEqual({
      name: 's',
      cidr: '10.0.0.0/24',
      gateway: '10.0.0.1',
      srcDstCheck: false,
    });
  });

  it('refuses wrong shapes and absurd sizes with the path of the problem', () => {
    expect(loadScenarioDocument({ version: 1, nodes: [{ name: 3 }] })).toMatchObject({
      ok: false,
      error: { kind: 'badShape', text: 'not a podhop scenario: nodes[0].name: expected a string' },
    });
    expect(
      loadScenarioDocument({ version: 1, routers: Array.from({ length: 300 }, () => ({})) }),
    ).toMatchObject({
      ok: false,
      error: {
        text: expect.stringContaining('routers: 300 entries is more than podhop opens (256)'),
      },
    });
    expect(loadScenarioDocument([1, 2])).toMatchObject({
      ok: false,
      error: { kind: 'notAScenario' },
    });
  });
});

describe('a service range kube-apiserver would refuse never builds (issue 13)', () => {
  const withServiceCidr = (serviceCidr: string): Scenario => {
    const s = example('seed');
    return { ...s, cluster: { ...s.cluster, serviceCidr } };
  };

  it('refuses a range under 8 addresses in kube-apiserver’s words, as a cluster problem', () => {
    for (const cidr of ['10.96.0.0/30', '10.96.0.0/32', '255.255.255.255/32']) {
      const built = buildNetwork(withServiceCidr(cidr));
      expect(built).toMatchObject({
        ok: false,
        problems: expect.arrayContaining([
          {
            kind: 'cluster',
            object: 'cluster',
            field: 'serviceCidr',
            text: 'error determining service IP ranges for primary service cidr: the service cluster IP range must be at least 8 IP addresses',
          },
        ]) as unknown,
      });
    }
  });

  it('refuses a range of more than 2^20 addresses (the mask must be >= 12)', () => {
    expect(texts(withServiceCidr('10.0.0.0/8'))).toContain(
      'cluster: specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12',
    );
    expect(texts(withServiceCidr('10.96.0.0/12'))).toEqual([]);
  });

  it('refuses a stored ClusterIP outside the range, as the allocator does', () => {
    expect(texts(withServiceCidr('10.96.0.0/29'))).toEqual([
      'service/web: Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: the provided IP (10.96.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/29',
    ]);
  });
});

describe('messages show invisible characters escaped, as kubectl quotes them (issue 13)', () => {
  it('escapes a right-to-left override and a zero-width space inside a CIDR', () => {
    const s = example('seed');
    const bad = { ...s, cluster: { ...s.cluster, serviceCidr: '\u202e\u200b' } };
    expect(texts(bad)).toEqual([
      'cluster: invalid argument "\\u202e\\u200b" for "--service-cluster-ip-range" flag: invalid CIDR address: \\u202e\\u200b',
    ]);
  });

  it('escapes them in a label value and in a loader refusal', () => {
    const s = example('seed');
    const labelled = {
      ...s,
      pods: s.pods.map((p, i) => (i === 0 ? { ...p, labels: { app: 'we\u202eb' } } : p)),
    };
    const problems = texts(labelled);
    expect(problems.some((t) => t.includes('"we\\u202eb"'))).toBe(true);
    expect(problems.join('\n')).not.toMatch(/[\u202e\u200b]/);
    const r = parseScenarioJson(JSON.stringify({ cluster: { datapath: 'x\u2066\u0000' } }));
    expect(r.ok ? '' : r.error.text).toContain(
      'not a podhop scenario: cluster.datapath: "x\\u2066\\x00" is not one of ',
    );
  });
});

describe('oversized inputs are refused before anything is built (issue 13)', () => {
  it('names the router–subnet join limit for 256 routers on 256 subnets', () => {
    const subnets = Array.from({ length: 256 }, (_, i) => ({
      name: `s${i}`,
      cidr: `10.${i}.0.0/24`,
      gateway: `10.${i}.0.1`,
    }));
    const routers = Array.from({ length: 256 }, (_, i) => ({
      name: `r${i}`,
      subnets: subnets.map((x) => x.name),
    }));
    const started = performance.now();
    expect(loadScenarioDocument({ version: 1, subnets, routers })).toEqual({
      ok: false,
      error: {
        kind: 'badShape',
        text: 'not a podhop scenario: routers: 65536 router–subnet joins is more than podhop opens (4096)',
      },
    });
    expect(performance.now() - started).toBeLessThan(500);
  });
});
