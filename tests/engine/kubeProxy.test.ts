import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIp } from '../../src/engine/addr/ip';
import {
  applyEdit,
  buildNetwork,
  example,
  loadScenarioDocument,
  outerIp,
  printIptables,
  trace,
  type Network,
  type Scenario,
} from '../../src/engine/index';
import { scenarioFromKubeText } from '../../src/engine/kube/export';
import { kubeProxySettings } from '../../src/engine/network/context';
import type { IptTable } from '../../src/engine/network/iptables';
import { restoreRule } from '../../src/engine/network/iptablesRule';
import { kubeProxyTables } from '../../src/engine/network/kubeProxy';
import type { Namespace } from '../../src/engine/network/types';
import { newNetfilterEnv, runChain } from '../../src/engine/walk/netfilter';
import type { Packet } from '../../src/engine/walk/packet';
import { isLocalAddress } from '../../src/engine/walk/fib';
import { allocateNodePort, nodePortRefusal } from '../../src/engine/ipam/nodePort';
import { newShellSession, runShell } from '../../src/engine/shell/index';

/**
 * kube-proxy's own specification: TestOverallIPTablesRules in kubernetes
 * pkg/proxy/iptables/proxier_test.go. Its Services and EndpointSlices are
 * tests/fixtures/kube-proxy/overall.json, imported as `--kube` imports a cluster; its
 * expected rules (what kube-proxy hands iptables-restore) are compared with what podhop's
 * node prints, rule by rule, once each is written the way iptables-save prints it back.
 */
const DIR = join(__dirname, '../fixtures/kube-proxy');

function imported(): Network {
  const r = scenarioFromKubeText(readFileSync(join(DIR, 'overall.json'), 'utf8'));
  if (!r.ok) throw new Error(r.error.text);
  const s = loadScenarioDocument(r.value.document as never);
  if (!s.ok) throw new Error(JSON.stringify(s.error));
  const b = buildNetwork(s.value);
  if (!b.ok) throw new Error(b.problems.map((p) => p.text).join('\n'));
  return b.network;
}

/** restore-form words, a double-quoted comment being one */
const words = (line: string) => line.match(/"[^"]*"|\S+/g) ?? [];

/** The expected restore input as chains and save-form rules per table. */
function expected(): Record<'filter' | 'nat', { chains: string[]; rules: Map<string, string[]> }> {
  const out = {
    filter: { chains: [] as string[], rules: new Map<string, string[]>() },
    nat: { chains: [] as string[], rules: new Map<string, string[]>() },
  };
  let table: 'filter' | 'nat' = 'filter';
  for (const line of readFileSync(join(DIR, 'TestOverallIPTablesRules.expected'), 'utf8').split(
    '\n',
  )) {
    if (line.startsWith('*')) table = line.slice(1) as 'filter' | 'nat';
    else if (line.startsWith(':')) out[table].chains.push(line.slice(1).split(' ')[0]!);
    else if (line.startsWith('-A ')) {
      const [, chain, ...args] = words(line);
      const saved = restoreRule(chain!, args).line;
      out[table].rules.set(chain!, [...(out[table].rules.get(chain!) ?? []), saved]);
    }
  }
  return out;
}

/** Our table's rules per chain, from what `iptables -S` prints. */
function printed(t: IptTable): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of printIptables(t).split('\n')) {
    if (!line.startsWith('-A ')) continue;
    const chain = line.split(' ')[1]!;
    m.set(chain, [...(m.get(chain) ?? []), line]);
  }
  return m;
}

// what kube-proxy writes with EnsureRule at start, not in each restore: the built-in chains'
// jumps, and the canaries it and kubelet watch to notice a flush
const NOT_RESTORED = [
  'PREROUTING',
  'INPUT',
  'FORWARD',
  'OUTPUT',
  'POSTROUTING',
  'KUBE-KUBELET-CANARY',
  'KUBE-PROXY-CANARY',
];

describe('kube-proxy TestOverallIPTablesRules, imported with --kube', () => {
  const net = imported();
  const scenario = net.scenario;
  const node = net.namespace('test-node')!;
  // FakeProxier's iptables has no --random-fully; the imported cluster's nodes do
  const fake = kubeProxyTables(
    net.servicePorts,
    { name: 'test-node', ips: [node.devices.find((d) => d.name === 'eth0')!.addresses[0]!.ip] },
    { ...kubeProxySettings(scenario), randomFully: false },
  );
  const want = expected();

  for (const table of ['filter', 'nat'] as const) {
    it(`${table}: the same chains, and in each the same rules in the same order`, () => {
      const ours = printed(fake[table]);
      const chains = fake[table].chains.filter((c) => !NOT_RESTORED.includes(c));
      expect(chains).toEqual([...want[table].chains].sort());
      for (const chain of want[table].chains)
        expect(ours.get(chain) ?? [], chain).toEqual(want[table].rules.get(chain) ?? []);
    });
  }

  it('the imported node itself has those rules, with --random-fully on its MASQUERADE', () => {
    const withRandom = printIptables(node.iptables!.nat);
    expect(withRandom).toBe(
      printIptables(fake.nat).replace('-j MASQUERADE', '-j MASQUERADE --random-fully'),
    );
    expect(printIptables(node.iptables!.filter)).toBe(printIptables(fake.filter));
  });

  it('the kube-proxy ConfigMap gave the cluster CIDR kube-proxy tells pods by', () => {
    expect(scenario.cluster.kubeProxy?.clusterCIDR).toBe('10.0.0.0/8');
    expect(printIptables(node.iptables!.nat)).toContain('! -s 10.0.0.0/8 -d 172.30.0.41/32');
  });

  it('other-node holds no endpoint a Local policy would pick either, so its tables are the same', () => {
    const other = net.namespace('other-node')!;
    expect(printIptables(other.iptables!.nat)).toBe(printIptables(node.iptables!.nat));
  });
});

/**
 * Packet flows through those rules, as proxier_test.go's runPacketFlowTests traces them
 * (tracePacket: the nat table's PREROUTING, then filter): where a new connection goes.
 */
describe('packets through the TestOverallIPTablesRules rules on test-node', () => {
  const net = imported();
  const node = net.namespace('test-node') as Namespace;
  const ip = (t: string) => {
    const r = parseIp(t);
    if (!r.ok) throw new Error(t);
    return r.value;
  };
  const tcp = (src: string, dst: string, dport: number): Packet => [
    {
      kind: 'ipv4',
      src: ip(src),
      dst: ip(dst),
      ttl: 64,
      proto: 'tcp',
      df: true,
      length: 60,
      id: 1,
      tos: 0,
    },
    { kind: 'tcp', sport: 40000, dport, flags: 'S' } as never,
  ];
  function flow(
    src: string,
    dstText: string,
    dport: number,
    chain: 'PREROUTING' | 'OUTPUT' = 'PREROUTING',
  ) {
    const env = newNetfilterEnv();
    const pkt = tcp(src, dstText, dport);
    const nat = runChain(node.iptables!.nat, chain, pkt, node, env);
    const to =
      nat.verdict.kind === 'dnat' ? `${nat.verdict.to.text}:${nat.verdict.port}` : undefined;
    // after PREROUTING the packet is routed: to this node (INPUT) or through it (FORWARD)
    const dst = to ? ip(to.split(':')[0]!) : ip(dstText);
    const filterChain =
      chain === 'OUTPUT' ? 'OUTPUT' : isLocalAddress(node, dst) ? 'INPUT' : 'FORWARD';
    const after: Packet = to ? tcp(src, to.split(':')[0]!, Number(to.split(':')[1])) : pkt;
    const filter = runChain(node.iptables!.filter, filterChain, after, node, env, nat.mark);
    const masq = (nat.mark & 0x4000) !== 0;
    if (filter.verdict.kind === 'drop' || filter.verdict.kind === 'reject')
      return filter.verdict.kind.toUpperCase();
    return to ? `${to}${masq ? ', masqueraded' : ''}` : 'ACCEPT (no Service)';
  }

  it('a pod to a ClusterIP: DNAT to its endpoint, the source kept', () => {
    expect(flow('10.0.0.2', '172.30.0.41', 80)).toBe('10.180.0.1:80');
  });
  it('a host outside the cluster CIDR to a ClusterIP: DNAT and masquerade', () => {
    expect(flow('192.168.0.3', '172.30.0.41', 80)).toBe('10.180.0.1:80, masqueraded');
  });
  it('a Service with no endpoints: REJECT', () => {
    expect(flow('10.0.0.2', '172.30.0.46', 80)).toBe('REJECT');
  });
  it('externalTrafficPolicy Local with no local endpoint: an outside client is dropped, at the LB IP, external IP and node port', () => {
    expect(flow('203.0.113.9', '1.2.3.4', 80)).toBe('DROP');
    expect(flow('203.0.113.9', '192.168.99.22', 80)).toBe('DROP');
    expect(flow('203.0.113.9', '192.168.0.2', 3001)).toBe('DROP');
  });
  it('…while a pod reaching the same LB IP is short-circuited to any endpoint, unmasqueraded', () => {
    expect(flow('10.0.0.2', '1.2.3.4', 80)).toBe('10.180.0.2:80');
  });
  it('…and the node itself is masqueraded to it', () => {
    expect(flow('192.168.0.2', '1.2.3.4', 80, 'OUTPUT')).toBe('10.180.0.2:80, masqueraded');
  });
  it('externalTrafficPolicy Cluster: a NodePort is DNATed and masqueraded', () => {
    expect(flow('203.0.113.9', '192.168.0.2', 3003)).toBe('10.180.0.3:80, masqueraded');
  });
  it('loadBalancerSourceRanges: inside the range reaches the endpoint, outside it is dropped by KUBE-PROXY-FIREWALL', () => {
    expect(flow('203.0.113.9', '5.6.7.8', 80)).toBe('10.180.0.3:80, masqueraded');
    expect(flow('198.51.100.1', '5.6.7.8', 80)).toBe('DROP');
  });
  it('an external IP with a local and a remote endpoint: either, masqueraded (Cluster policy)', () => {
    expect(flow('203.0.113.9', '192.168.99.33', 80)).toMatch(/^10\.180\.0\.[45]:80, masqueraded$/);
  });
});

/**
 * A NodePort reached from a host on the underlay (node1 as the client of node2's port), the
 * walk following node2's rules: Cluster masquerades (the endpoint sees node2), Local keeps
 * the client's address and drops where no endpoint is local (kube-proxy's
 * KUBE-EXTERNAL-SERVICES rule, named at the hop).
 */
describe('the walk through a NodePort', () => {
  const nodePortSeed = (policy: 'Cluster' | 'Local', endpointsOn: 'both' | 'node1') => {
    const s = example('seed', { datapath: 'overlay' });
    return {
      ...s,
      pods: s.pods.map((p) =>
        endpointsOn === 'node1' && p.node === 'node2' ? { ...p, labels: { app: 'other' } } : p,
      ),
      services: s.services.map((v) => ({
        ...v,
        type: 'NodePort' as const,
        ...(policy === 'Local' ? { externalTrafficPolicy: 'Local' as const } : {}),
        ports: v.ports.map((p) => ({ ...p, nodePort: 30080 })),
      })),
    } as Scenario;
  };
  const curlNodePort = (s: Scenario, endpoint?: number) => {
    const b = buildNetwork(s);
    if (!b.ok) throw new Error(b.problems.map((p) => p.text).join('\n'));
    const t = trace(b.network, {
      from: 'node1',
      dst: '10.100.0.3',
      protocol: 'tcp',
      dport: 30080,
      ...(endpoint !== undefined ? { endpoint } : {}),
    });
    if (!t.ok) throw new Error(t.error.text);
    return t.value;
  };
  const deliveredFrom = (t: ReturnType<typeof curlNodePort>) =>
    t.hops.find((h) => h.action === 'deliver' && h.namespace.startsWith('pod'));

  it('Cluster: node2 DNATs to an endpoint and masquerades, so the pod sees node2, not the client', () => {
    const t = curlNodePort(nodePortSeed('Cluster', 'both'), 1);
    expect(t.verdict.ok).toBe(true);
    const dnat = t.hops.find((h) => h.action === 'dnat')!;
    expect(dnat.title).toBe(
      'node2 DNATs 10.100.0.3:30080 → 172.17.2.2:8080 (endpoint 2 of 2: the last rule, reached when every earlier coin flip failed)',
    );
    expect(dnat.consulted.map((c) => c.line)).toContain(
      '-A KUBE-EXT-CDGGSHYLG3RE2FKL -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ',
    );
    expect(t.hops.find((h) => h.action === 'snat')?.title).toBe(
      'node2 masquerades the source 10.100.0.2 → 172.17.2.1',
    );
    expect(outerIp(deliveredFrom(t)!.headers).src.text).toBe('172.17.2.1');
  });

  it('Local with an endpoint on node2: no masquerade, the pod sees the client 10.100.0.2', () => {
    const t = curlNodePort(nodePortSeed('Local', 'both'));
    expect(t.verdict.ok).toBe(true);
    expect(t.hops.some((h) => h.action === 'snat')).toBe(false);
    expect(t.hops.find((h) => h.action === 'dnat')?.title).toContain(
      '(endpoint 1 of 1: the only endpoint)',
    );
    expect(outerIp(deliveredFrom(t)!.headers).src.text).toBe('10.100.0.2');
  });

  it('Local with no endpoint on node2: node2 drops the SYN by its "has no local endpoints" rule', () => {
    const t = curlNodePort(nodePortSeed('Local', 'node1'));
    expect(t.verdict.ok).toBe(false);
    const drop = t.hops.find((h) => h.action === 'drop')!;
    expect(drop.namespace).toBe('node2');
    expect(drop.reason).toBe('10.100.0.3:30080: DROP (default/web:http has no local endpoints)');
    expect(drop.consulted.at(-1)?.line).toBe(
      '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/web:http has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j DROP',
    );
    // …while node1, which has pod1b, answers on the same port
    const b = buildNetwork(nodePortSeed('Local', 'node1'));
    const own = b.ok
      ? trace(b.network, { from: 'node2', dst: '10.100.0.2', protocol: 'tcp', dport: 30080 })
      : undefined;
    expect(own?.ok && own.value.verdict.ok).toBe(true);
  });
});

describe('node ports are allocated as the API server does', () => {
  const seed = example('seed', { datapath: 'overlay' });
  const asNodePort = (s: Scenario, name: string) =>
    applyEdit(s, { kind: 'updateService', name, patch: { type: 'NodePort' } });
  it('NodePort takes a free port of the dynamic band (30086–32767); ClusterIP gives it back', () => {
    const s = asNodePort(seed, 'web');
    const port = s.services[0]!.ports[0]!.nodePort!;
    expect(port).toBeGreaterThanOrEqual(30086);
    expect(port).toBeLessThanOrEqual(32767);
    // the same edit gives the same port
    expect(asNodePort(seed, 'web').services[0]!.ports[0]!.nodePort).toBe(port);
    const local = applyEdit(s, {
      kind: 'updateService',
      name: 'web',
      patch: { externalTrafficPolicy: 'Local' },
    });
    expect(local.services[0]!.ports[0]!.nodePort).toBe(port);
    const back = applyEdit(local, {
      kind: 'updateService',
      name: 'web',
      patch: { type: 'ClusterIP' },
    });
    expect(back.services[0]!.ports[0]!.nodePort).toBeUndefined();
    // "may only be set for externally-accessible services"
    expect(back.services[0]!.externalTrafficPolicy).toBeUndefined();
  });
  it('a typed node port is refused in the API server’s words when out of range or taken', () => {
    const s = asNodePort(seed, 'web');
    const svc = s.services[0]!;
    expect(nodePortRefusal(s, svc, 0, 3001)).toBe(
      'spec.ports[0].nodePort: Invalid value: 3001: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    expect(nodePortRefusal(s, svc, 0, 30080)).toBeUndefined();
    const two = {
      ...s,
      services: [
        ...s.services,
        { ...svc, name: 'web2' as never, ports: [{ ...svc.ports[0]!, nodePort: 30080 }] },
      ],
    };
    expect(nodePortRefusal(two, two.services[0]!, 0, 30080)).toBe(
      'spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
  });
  it('a port already taken is never handed out twice', () => {
    const used = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const p = allocateNodePort(used, 'default/web:http');
      expect(p).toBeDefined();
      expect(used.has(p!)).toBe(false);
      used.add(p!);
    }
  });
});

describe('kubectl get svc prints what kube-proxy was given', () => {
  it('TYPE, EXTERNAL-IP (a load balancer’s ingress first) and PORT(S) with the node port, as kubectl does', () => {
    const net = imported();
    const out = runShell(
      { net, session: newShellSession('test-node') },
      'kubectl get svc -n ns2',
    ).output.split('\n');
    expect(out[0]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
    expect(out[1]!.split(/\s+/)).toEqual([
      'svc2',
      'LoadBalancer',
      '172.30.0.42',
      '1.2.3.4,192.168.99.22',
      '80:3001/TCP',
      '<unknown>',
    ]);
    // the cluster's own kubernetes Service is listed once
    const all = runShell(
      { net, session: newShellSession('test-node') },
      'kubectl get svc -A',
    ).output;
    expect(all.split('\n').filter((l) => /\skubernetes\s/.test(l))).toHaveLength(1);
  });
});

/**
 * Hairpin: a pod reaching its own Service and picked as the endpoint. kube-proxy's
 * KUBE-SEP rule `-s <podIP> -j KUBE-MARK-MASQ` masquerades it (or the reply would come from
 * its own address straight back), and cni0 sends the frame back out the port it came in on
 * only in hairpin mode, which flannel's CNI config turns on.
 */
describe('hairpin: pod1b to its own Service, picked as the endpoint', () => {
  const curlSelf = (hairpin: boolean) => {
    const s = example('seed', { datapath: 'overlay' });
    const b = buildNetwork(
      hairpin ? s : { ...s, cluster: { ...s.cluster, bridgeHairpinMode: false } },
    );
    if (!b.ok) throw new Error('seed does not build');
    const t = trace(b.network, {
      from: 'pod1b',
      dst: '10.96.0.10',
      protocol: 'tcp',
      dport: 80,
      endpoint: 0,
    });
    if (!t.ok) throw new Error(t.error.text);
    return t.value;
  };
  it('hairpin on: masqueraded to cni0’s address, it reaches itself and connects', () => {
    const t = curlSelf(true);
    expect(t.verdict.ok).toBe(true);
    const dnat = t.hops.find((h) => h.action === 'dnat')!;
    expect(dnat.consulted.map((c) => c.line)).toContain(
      '-A KUBE-SEP-HZ3DLA4JT4AEIBEX -s 172.17.1.3/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ',
    );
    expect(t.hops.find((h) => h.action === 'snat')?.title).toBe(
      'node1 masquerades the source 172.17.1.3 → 172.17.1.1',
    );
  });
  it('hairpin off: node1’s bridge drops the frame it would send back where it came from', () => {
    const t = curlSelf(false);
    expect(t.verdict.ok).toBe(false);
    const drop = t.hops.find((h) => h.action === 'drop')!;
    expect(drop.namespace).toBe('node1');
    expect(drop.reason).toMatch(
      /^cni0 does not send a frame back out veth\w+, the port it came in on: hairpin mode is off$/,
    );
    expect(drop.consulted[0]?.table).toBe('link');
    // another client of the same Service is not affected
    const s = example('seed', { datapath: 'overlay' });
    const b = buildNetwork({ ...s, cluster: { ...s.cluster, bridgeHairpinMode: false } });
    const other = b.ok
      ? trace(b.network, {
          from: 'pod1a',
          dst: '10.96.0.10',
          protocol: 'tcp',
          dport: 80,
          endpoint: 0,
        })
      : undefined;
    expect(other?.ok && other.value.verdict.ok).toBe(true);
  });
});

describe('iptables-save of a table kube-proxy did not write', () => {
  it('-t mangle prints that table’s own name and built-in chains; a router with no rules saves nothing', () => {
    const b = buildNetwork(example('seed', { datapath: 'overlay' }));
    if (!b.ok) throw new Error('seed does not build');
    const save = (ns: string, line: string) =>
      runShell({ net: b.network, session: newShellSession(ns) }, line).output;
    expect(save('node1', 'iptables-save -t mangle').split('\n').slice(1, 7)).toEqual([
      '*mangle',
      ':PREROUTING ACCEPT [0:0]',
      ':INPUT ACCEPT [0:0]',
      ':FORWARD ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      ':POSTROUTING ACCEPT [0:0]',
    ]);
    expect(save('vpc', 'iptables-save')).toBe('');
  });
});
