/**
 * The plain sentence under each hop card (issue 13, "Seeing what matters"): read off
 * the hop's own data, for every hop the walk can emit, naming where it happened.
 */
import { describe, expect, it } from 'vitest';
import {
  DATAPATH_OF,
  EXAMPLE_NAMES,
  trace,
  type CniName,
  type Hop,
  type HopAction,
  type Network,
  type Probe,
} from '../../src/engine/index';
import { explainHop } from '../../src/engine/walk/explain';
import { exampleNetwork, send } from './helpers';

const CNIS = Object.keys(DATAPATH_OF) as CniName[];
const ACTIONS: readonly HopAction[] = [
  'send',
  'forward',
  'bridge',
  'encapsulate',
  'decapsulate',
  'dnat',
  'undnat',
  'snat',
  'deliver',
  'drop',
];

/** Every pod and node pinging and connecting to every pod, node, Service and an address nobody has. */
function probesOf(net: Network): Probe[] {
  const names = net.namespaceNames
    .flatMap((n) => net.namespace(n) ?? [])
    .filter((n) => n.kind === 'pod' || n.kind === 'node');
  const addrs = names.flatMap((n) =>
    n.devices
      .filter((d) => d.name !== 'lo')
      .flatMap((d) => d.addresses.map((a) => a.ip.text))
      .slice(0, 1),
  );
  const dsts = [...addrs, '172.17.9.9', '10.100.0.1', '8.8.8.8'];
  return names.flatMap((n) => [
    ...dsts.flatMap((dst): Probe[] => [
      { from: n.name, dst, protocol: 'icmp' },
      { from: n.name, dst, protocol: 'tcp', dport: 80 },
      { from: n.name, dst, protocol: 'udp', dport: 9 },
    ]),
    ...net.servicePorts.map((p): Probe => ({
      from: n.name,
      dst: p.clusterIP.text,
      protocol: p.protocol,
      dport: p.port.port,
    })),
  ]);
}

describe('every hop of every example, in every CNI, gets a plain sentence', () => {
  const seen = new Set<HopAction>();
  for (const name of EXAMPLE_NAMES)
    for (const cni of CNIS)
      for (const srcCheck of [false, true])
        it(`${name} under ${cni}${srcCheck ? ' with the cloud source/destination check' : ''}`, () => {
          const net = exampleNetwork(name, { cni, srcCheck });
          for (const probe of probesOf(net)) {
            const t = trace(net, probe);
            if (!t.ok) continue;
            t.value.hops.forEach((h: Hop, i) => {
              seen.add(h.action);
              const s = explainHop(t.value.hops, i);
              expect(s, `${probe.from} → ${probe.dst}: hop ${i + 1} ${h.action}`).toContain(
                h.namespace,
              );
              expect(s).toMatch(/^\S.{30,}[.]$/s);
              expect(s).not.toMatch(/undefined|\[object/);
            });
          }
        });
  it('those walks met every action the walker has', () => {
    expect([...seen].sort()).toEqual([...ACTIONS].sort());
  });
});

describe('the sentence says what happened and why, in the tables’ own terms', () => {
  const seed = exampleNetwork('seed');
  const hops = send(seed, { from: 'pod1a', dst: '172.17.2.2' }).hops;
  const at = (action: HopAction, ns: string) =>
    explainHop(
      hops,
      hops.findIndex((h) => h.action === action && h.namespace === ns),
    );

  it('a route lookup names the address, the route that matched and where it sends it', () => {
    expect(at('forward', 'node1')).toBe(
      'node1 gets the packet for 172.17.2.2 on cni0, which is not its own address, so it routes it: it looks 172.17.2.2 up in its routing table, and the 172.17.2.0/24 route sends it out flannel.1 via 172.17.2.0; forwarding takes the TTL from 64 to 63.',
    );
  });

  it('a VXLAN encapsulation names the peer node, its VTEP port and the route that pointed at flannel.1', () => {
    expect(at('encapsulate', 'node1')).toMatch(
      /^node1 wraps the packet for 172\.17\.2\.2 in UDP to node2 \(10\.100\.0\.3:8472\), because the route to 172\.17\.2\.0\/24 points at flannel\.1/,
    );
  });

  it('an IPIP encapsulation says protocol 4 and the route to tunl0', () => {
    const ipip = send(exampleNetwork('seed', { cni: 'calico-ipip' }), {
      from: 'pod1a',
      dst: '172.17.2.2',
    }).hops;
    const i = ipip.findIndex((h) => h.action === 'encapsulate');
    expect(explainHop(ipip, i)).toMatch(
      /^node1 wraps the packet for 172\.17\.2\.2 in a second IPv4 header \(IP protocol 4\) to node2 \(10\.100\.0\.3\), because the route to 172\.17\.2\.0\/26 points at tunl0/,
    );
  });

  it('a Service connection names the Service and the endpoint it was rewritten to', () => {
    const tcp = send(seed, { from: 'pod1a', dst: '10.96.0.10', protocol: 'tcp', dport: 80 }).hops;
    const i = tcp.findIndex((h) => h.action === 'dnat');
    expect(explainHop(tcp, i)).toMatch(
      /Service default\/web:http at 10\.96\.0\.10:80.*endpoint 172\.17\.2\.2:8080/,
    );
  });

  it('a drop says why: the cloud check, a missing route', () => {
    const direct = send(exampleNetwork('seed', { datapath: 'direct', srcCheck: true }), {
      from: 'pod1a',
      dst: '172.17.2.2',
    }).hops;
    expect(explainHop(direct, direct.length - 1)).toMatch(
      /^The cloud network of \S+ drops what node1 sent \(172\.17\.1\.2 → 172\.17\.2\.2\): its source\/destination check/,
    );
    const lost = send(seed, { from: 'pod1a', dst: '172.17.9.9' }).hops;
    const drop = lost.findIndex((h) => h.action === 'drop');
    expect(explainHop(lost, drop)).toMatch(/has no route to 172\.17\.9\.9.*"network unreachable"/);
  });
});
