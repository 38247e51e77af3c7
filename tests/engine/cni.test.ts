import { describe, expect, it } from 'vitest';
import {
  buildNetwork,
  clusterCni,
  CNIS,
  decodeLink,
  encodeLink,
  example,
  parseScenarioJson,
  policyEnforcer,
  printRoutes,
  scenarioToJson,
  trace,
  type CniName,
  type Scenario,
} from '../../src/engine/index';
import { CNI_MODULES } from '../../src/engine/network/cni/registry';

const built = (s: Scenario) => {
  const b = buildNetwork(s);
  if (!b.ok) throw new Error(b.problems.map((p) => p.text).join('\n'));
  return b;
};

describe('cluster.cni and cluster.datapath', () => {
  it('a datapath alone means the CNI podhop drew for it', () => {
    expect(clusterCni({ datapath: 'overlay' })).toBe('flannel-vxlan');
    expect(clusterCni({ datapath: 'direct' })).toBe('flannel-host-gw');
    expect(clusterCni({ datapath: 'crossSubnet' })).toBe('flannel-vxlan-directrouting');
    expect(clusterCni({ datapath: 'gateway' })).toBe('kubenet');
  });
  it('a written CNI wins; a datapath switched under it picks that family’s mode', () => {
    expect(clusterCni({ cni: 'calico-bgp', datapath: 'direct' })).toBe('calico-bgp');
    expect(clusterCni({ cni: 'calico-bgp', datapath: 'overlay' })).toBe('calico-ipip');
    expect(clusterCni({ cni: 'calico-vxlan', datapath: 'crossSubnet' })).toBe(
      'calico-vxlan-crosssubnet',
    );
    expect(clusterCni({ cni: 'calico-ipip', datapath: 'gateway' })).toBe('kubenet');
    expect(clusterCni({ cni: 'flannel-vxlan', datapath: 'direct' })).toBe('flannel-host-gw');
  });
  it('every CNI has its module, under its own name', () => {
    for (const c of CNIS) expect(CNI_MODULES[c].name).toBe(c);
  });
  it('Calico implies felix', () => {
    expect(policyEnforcer({ cni: 'calico-bgp', datapath: 'direct', networkPolicy: 'none' })).toBe(
      'felix',
    );
    expect(policyEnforcer({ datapath: 'direct', networkPolicy: 'none' })).toBe('none');
    expect(example('seed', { cni: 'calico-ipip' }).cluster).toMatchObject({
      cni: 'calico-ipip',
      datapath: 'overlay',
      networkPolicy: 'felix',
    });
  });
});

describe('loading a cni', () => {
  it('a file without cni opens as before and writes none', () => {
    const s = example('seed', { datapath: 'direct' });
    const back = parseScenarioJson(scenarioToJson(s));
    expect(back.ok && back.value).toEqual(s);
    expect(scenarioToJson(s)).not.toContain('"cni"');
  });
  it('a cni written alone brings its datapath and felix', () => {
    const r = parseScenarioJson(JSON.stringify({ version: 2, cluster: { cni: 'calico-bgp' } }));
    expect(r.ok && r.value.cluster).toMatchObject({
      cni: 'calico-bgp',
      datapath: 'direct',
      networkPolicy: 'felix',
    });
  });
  it('an unknown cni is refused in the loader’s words', () => {
    const r = parseScenarioJson(JSON.stringify({ version: 2, cluster: { cni: 'weave' } }));
    expect(!r.ok && r.error.text).toMatch(/cluster\.cni: "weave" is not one of flannel-vxlan/);
  });
  it('a link keeps the CNI, and a datapath switched under it stores the CNI it runs', () => {
    for (const cni of CNIS) {
      const s = example('seed', { cni });
      const back = decodeLink(encodeLink({ scenario: s }));
      expect(back.ok && clusterCni(back.value.scenario.cluster)).toBe(cni);
    }
    const switched = example('seed', { cni: 'calico-bgp' });
    const s = { ...switched, cluster: { ...switched.cluster, datapath: 'overlay' as const } };
    const stored = built(s).stored;
    expect(stored.cluster.cni).toBe('calico-ipip');
    const back = decodeLink(encodeLink({ scenario: stored }));
    expect(back.ok && clusterCni(back.value.scenario.cluster)).toBe('calico-ipip');
  });
});

describe('the flannel CNIs keep the tables the datapaths had', () => {
  it('cni flannel-host-gw is datapath direct, line for line', () => {
    const a = built(example('seed', { datapath: 'direct' })).network;
    const b = built(example('seed', { cni: 'flannel-host-gw' })).network;
    for (const ns of ['node1', 'node2', 'pod1a', 'vpc'])
      expect(printRoutes(b.namespace(ns)!)).toBe(printRoutes(a.namespace(ns)!));
  });
});

describe('kernel behaviours Calico needs', () => {
  const calico = () => built(example('seed', { cni: 'calico-bgp' })).network;
  it('proxy-ARP: the cali veth answers the pod’s 169.254.1.1 with its own MAC', () => {
    const net = calico();
    const t = trace(net, { from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp' });
    if (!t.ok) throw new Error(t.error.text);
    const first = t.value.hops.find((h) => h.wire)!;
    expect(first.wire!.segment).toBe('veth:pod1a');
    expect(first.wire!.frame[0]).toMatchObject({ kind: 'eth', dst: 'ee:ee:ee:ee:ee:ee' });
    expect(t.value.hops.find((h) => h.namespace === 'node1')?.devIn).toBe('calica87c8a6361');
  });
  it('a blackhole route discards what it matches, and prints as ip route does', () => {
    const net = calico();
    const t = trace(net, { from: 'pod2a', dst: '172.17.1.9', protocol: 'icmp' });
    if (!t.ok) throw new Error(t.error.text);
    expect(t.value.verdict.ok).toBe(false);
    const drop = t.value.hops.at(-1)!;
    expect(drop.namespace).toBe('node1');
    expect(drop.reason).toMatch(/blackhole route/);
    expect(drop.consulted[0]?.line).toBe('blackhole 172.17.1.0/26 proto bird ');
  });
  it('a pod’s /32 reaches its gateway through a scope link route', () => {
    expect(printRoutes(calico().namespace('pod1a')!).split('\n')).toEqual([
      'default via 169.254.1.1 dev eth0 ',
      '169.254.1.1 dev eth0 scope link ',
    ]);
  });
});

describe('seed-xsubnet', () => {
  // the example pins the seed's pod addresses under Calico, as the lab did
  const net = (o: { cni: CniName }) => built(example('seed-xsubnet', { cni: o.cni })).network;
  it('BGP’s direct route to node3 across the router is refused in the kernel’s words', () => {
    const n = net({ cni: 'calico-bgp' });
    expect(n.namespace('node1')!.installErrors).toEqual([
      {
        command: 'ip route add 172.17.3.0/26 via 10.100.1.2 dev eth0 proto bird',
        text: 'Error: Nexthop has invalid gateway.',
      },
    ]);
    const t = trace(n, { from: 'pod1a', dst: '172.17.3.2', protocol: 'icmp' });
    expect(t.ok && t.value.verdict.ok).toBe(false);
  });
  it('CrossSubnet encapsulates only to the other subnet', () => {
    const lines = printRoutes(net({ cni: 'calico-vxlan-crosssubnet' }).namespace('node1')!);
    expect(lines).toContain('172.17.2.0/26 via 10.100.0.3 dev eth0 proto bird ');
    expect(lines).toContain('172.17.3.0/26 via 172.17.3.0 dev vxlan.calico onlink ');
    const t = trace(net({ cni: 'calico-vxlan-crosssubnet' }), {
      from: 'pod1a',
      dst: '172.17.3.2',
      protocol: 'icmp',
    });
    expect(t.ok && t.value.verdict.ok).toBe(true);
  });
});
