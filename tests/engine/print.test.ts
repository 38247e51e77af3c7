import { describe, expect, it } from 'vitest';
import { ip, linkLocalFromMac, prefix, type IpAddr } from '../../src/engine/addr/ip';
import { buildNetwork } from '../../src/engine/network/build';
import { hostVethName, podMac, vtepMac } from '../../src/engine/network/node';
import type { Namespace, Network, RouteEntry } from '../../src/engine/network/types';
import {
  interfaceCapture,
  kernelRouteOrder,
  printAddr,
  printAddrBrief,
  printFdb,
  printNeigh,
  printRouteGet,
  printRoutes,
  printTraceroute,
  tcpdumpBrief,
  tcpdumpVerbose,
  tracerouteHopLines,
  underlayCapture,
} from '../../src/engine/print/index';
import { encodePacket, l4Checksum, onesSum } from '../../src/engine/print/wire';
import { example, type ExampleName, type ExampleOptions } from '../../src/engine/scenario/examples';
import type { Datapath } from '../../src/engine/scenario/types';
import { fragmentsOf } from '../../src/engine/walk/fragment';
import type { Ipv4Layer, Packet } from '../../src/engine/walk/packet';
import { trace, type Trace } from '../../src/engine/walk/probe';
import { traceroute, type TracerouteResult } from '../../src/engine/walk/traceroute';

function net(name: ExampleName, opts: ExampleOptions = {}): Network {
  const built = buildNetwork(example(name, opts));
  if (!built.ok) throw new Error(built.problems.map((p) => p.text).join('\n'));
  return built.network;
}

const seed = (datapath: Datapath) => net('seed', { datapath });

function ns(n: Network, name: string): Namespace {
  const space = n.namespace(name);
  if (!space) throw new Error(`no namespace ${name}`);
  return space;
}

function ping(n: Network, from: string, dst: string): Trace {
  const t = trace(n, { from, dst, protocol: 'icmp' });
  if (!t.ok) throw new Error(t.error.text);
  return t.value;
}

function tracert(n: Network, from: string, dst: string): TracerouteResult {
  const r = traceroute(n, from, dst);
  if (!r.ok) throw new Error(r.error.text);
  return r.value;
}

/** A device's MAC and link-local, so expectations keep the kernel's shape without hard-coding hashes. */
function dev(space: Namespace, name: string) {
  const d = space.devices.find((x) => x.name === name);
  if (!d) throw new Error(`no device ${name} in ${space.name}`);
  return { mac: d.mac, ll: linkLocalFromMac(d.mac) };
}

const lines = (...l: string[]) => l.join('\n');

describe('printRoutes: ip route, in the kernel’s dump order', () => {
  it('direct: node1, node2, the router and a pod print as in reference/seed-two-nodes-direct.txt', () => {
    const n = seed('direct');
    expect(printRoutes(ns(n, 'node1'))).toBe(
      lines(
        'default via 10.100.0.1 dev eth0 ',
        '10.100.0.0/24 dev eth0 proto kernel scope link src 10.100.0.2 ',
        '172.17.1.0/24 dev cni0 proto kernel scope link src 172.17.1.1 ',
        '172.17.2.0/24 via 10.100.0.3 dev eth0 ',
      ),
    );
    expect(printRoutes(ns(n, 'node2'))).toBe(
      lines(
        'default via 10.100.0.1 dev eth0 ',
        '10.100.0.0/24 dev eth0 proto kernel scope link src 10.100.0.3 ',
        '172.17.1.0/24 via 10.100.0.2 dev eth0 ',
        '172.17.2.0/24 dev cni0 proto kernel scope link src 172.17.2.1 ',
      ),
    );
    // the lab's router bridge was called `fabric`; ours is the router's eth0 (SPEC §4b)
    expect(printRoutes(ns(n, 'vpc'))).toBe(
      '10.100.0.0/24 dev eth0 proto kernel scope link src 10.100.0.1 ',
    );
    expect(printRoutes(ns(n, 'pod1a'))).toBe(
      lines(
        'default via 172.17.1.1 dev eth0 ',
        '172.17.1.0/24 dev eth0 proto kernel scope link src 172.17.1.2 ',
      ),
    );
  });

  it('overlay: the peer podCIDR goes via its .0 on flannel.1, onlink', () => {
    const n = seed('overlay');
    expect(printRoutes(ns(n, 'node1'))).toBe(
      lines(
        'default via 10.100.0.1 dev eth0 ',
        '10.100.0.0/24 dev eth0 proto kernel scope link src 10.100.0.2 ',
        '172.17.1.0/24 dev cni0 proto kernel scope link src 172.17.1.1 ',
        '172.17.2.0/24 via 172.17.2.0 dev flannel.1 onlink ',
      ),
    );
    expect(printRoutes(ns(n, 'node2'))).toBe(
      lines(
        'default via 10.100.0.1 dev eth0 ',
        '10.100.0.0/24 dev eth0 proto kernel scope link src 10.100.0.3 ',
        '172.17.1.0/24 via 172.17.1.0 dev flannel.1 onlink ',
        '172.17.2.0/24 dev cni0 proto kernel scope link src 172.17.2.1 ',
      ),
    );
  });

  it('gateway: nodes have no cross-node route; the router holds the pod routes', () => {
    const n = seed('gateway');
    expect(printRoutes(ns(n, 'node1'))).toBe(
      lines(
        'default via 10.100.0.1 dev eth0 ',
        '10.100.0.0/24 dev eth0 proto kernel scope link src 10.100.0.2 ',
        '172.17.1.0/24 dev cni0 proto kernel scope link src 172.17.1.1 ',
      ),
    );
    expect(printRoutes(ns(n, 'vpc'))).toBe(
      lines(
        '10.100.0.0/24 dev eth0 proto kernel scope link src 10.100.0.1 ',
        '172.17.1.0/24 via 10.100.0.2 dev eth0 ',
        '172.17.2.0/24 via 10.100.0.3 dev eth0 ',
      ),
    );
  });

  it('orders by network address, then the longest prefix of one address first, then metric', () => {
    const r = (dst: string, extra: Partial<RouteEntry> = {}): RouteEntry => ({
      dst: prefix(dst),
      isDefault: dst === '0.0.0.0/0',
      dev: 'eth0',
      ...extra,
    });
    const order = kernelRouteOrder([
      r('10.0.0.0/8'),
      r('0.0.0.0/0', { metric: 200 }),
      r('10.0.0.0/24'),
      r('0.0.0.0/1'),
      r('0.0.0.0/0', { metric: 100 }),
    ]);
    expect(order.map((x) => `${x.dst.text} ${x.metric ?? 0}`)).toEqual([
      '0.0.0.0/1 0',
      '0.0.0.0/0 100',
      '0.0.0.0/0 200',
      '10.0.0.0/24 0',
      '10.0.0.0/8 0',
    ]);
  });
});

describe('printAddrBrief: ip -br addr', () => {
  // node1 numbers lo 1, eth0 2, cni0 3 and pod1a's veth 4: the pod's eth0 prints `eth0@if4`
  it('prints a pod as in reference/: lo, then eth0@if<host veth index>', () => {
    const pod1a = ns(seed('direct'), 'pod1a');
    expect(printAddrBrief(pod1a)).toBe(
      lines(
        'lo               UNKNOWN        127.0.0.1/8 ::1/128 ',
        `eth0@if4         UP             172.17.1.2/24 ${dev(pod1a, 'eth0').ll}/64 `,
      ),
    );
  });

  it('lists a node’s veths as vethXXXX@if2 (the pod end is always ifindex 2), flannel.1 last', () => {
    const node1 = ns(seed('overlay'), 'node1');
    const v1 = hostVethName('pod1a');
    const v2 = hostVethName('pod1b');
    expect(printAddrBrief(node1)).toBe(
      lines(
        'lo               UNKNOWN        127.0.0.1/8 ::1/128 ',
        `eth0             UP             10.100.0.2/24 ${dev(node1, 'eth0').ll}/64 `,
        `cni0             UP             172.17.1.1/24 ${dev(node1, 'cni0').ll}/64 `,
        `${v1}@if2 UP             ${dev(node1, v1).ll}/64 `,
        `${v2}@if2 UP             ${dev(node1, v2).ll}/64 `,
        `flannel.1        UNKNOWN        172.17.1.0/32 ${dev(node1, 'flannel.1').ll}/64 `,
      ),
    );
  });
});

describe('printAddr: ip addr', () => {
  it('prints a flannel node the way iproute2 does (qlen, master, link-netnsid, brd, lifetimes)', () => {
    const node1 = ns(seed('overlay'), 'node1');
    const v1 = hostVethName('pod1a');
    const v2 = hostVethName('pod1b');
    const d = (name: string) => dev(node1, name);
    expect(printAddr(node1)).toBe(
      lines(
        '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        '    inet 127.0.0.1/8 scope host lo',
        '       valid_lft forever preferred_lft forever',
        '    inet6 ::1/128 scope host noprefixroute ',
        '       valid_lft forever preferred_lft forever',
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
        `    link/ether ${d('eth0').mac} brd ff:ff:ff:ff:ff:ff`,
        '    inet 10.100.0.2/24 brd 10.100.0.255 scope global eth0',
        '       valid_lft forever preferred_lft forever',
        `    inet6 ${d('eth0').ll}/64 scope link `,
        '       valid_lft forever preferred_lft forever',
        '3: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000',
        `    link/ether ${d('cni0').mac} brd ff:ff:ff:ff:ff:ff`,
        '    inet 172.17.1.1/24 brd 172.17.1.255 scope global cni0',
        '       valid_lft forever preferred_lft forever',
        `    inet6 ${d('cni0').ll}/64 scope link `,
        '       valid_lft forever preferred_lft forever',
        `4: ${v1}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP group default `,
        `    link/ether ${d(v1).mac} brd ff:ff:ff:ff:ff:ff link-netnsid 0`,
        `    inet6 ${d(v1).ll}/64 scope link `,
        '       valid_lft forever preferred_lft forever',
        `5: ${v2}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP group default `,
        `    link/ether ${d(v2).mac} brd ff:ff:ff:ff:ff:ff link-netnsid 1`,
        `    inet6 ${d(v2).ll}/64 scope link `,
        '       valid_lft forever preferred_lft forever',
        '6: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default ',
        `    link/ether ${d('flannel.1').mac} brd ff:ff:ff:ff:ff:ff`,
        '    inet 172.17.1.0/32 scope global flannel.1',
        '       valid_lft forever preferred_lft forever',
        `    inet6 ${d('flannel.1').ll}/64 scope link `,
        '       valid_lft forever preferred_lft forever',
      ),
    );
  });

  it('gives a pod’s eth0 the host as link-netnsid 0 and a brd for its /24', () => {
    const pod1a = ns(seed('overlay'), 'pod1a');
    const out = printAddr(pod1a).split('\n');
    expect(out[6]).toBe(
      '2: eth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default ',
    );
    expect(out.slice(7)).toEqual([
      `    link/ether ${podMac('pod1a')} brd ff:ff:ff:ff:ff:ff link-netnsid 0`,
      '    inet 172.17.1.2/24 brd 172.17.1.255 scope global eth0',
      '       valid_lft forever preferred_lft forever',
      `    inet6 ${linkLocalFromMac(podMac('pod1a'))}/64 scope link `,
      '       valid_lft forever preferred_lft forever',
    ]);
  });
});

describe('printNeigh: ip neigh', () => {
  it('overlay: the permanent entry flannel writes for the peer VTEP', () => {
    expect(printNeigh(ns(seed('overlay'), 'node1'))).toBe(
      `172.17.2.0 dev flannel.1 lladdr ${vtepMac('node2')} PERMANENT `,
    );
    expect(printNeigh(ns(seed('overlay'), 'node2'))).toBe(
      `172.17.1.0 dev flannel.1 lladdr ${vtepMac('node1')} PERMANENT `,
    );
  });

  it('direct: nothing stored (learned entries come and go)', () => {
    expect(printNeigh(ns(seed('direct'), 'node1'))).toBe('');
  });
});

describe('printFdb: bridge fdb show', () => {
  it('learned pod MACs and the ports’ own permanent MACs on cni0, then the VTEP entry', () => {
    const node1 = ns(seed('overlay'), 'node1');
    const v1 = hostVethName('pod1a');
    const v2 = hostVethName('pod1b');
    expect(printFdb(node1)).toBe(
      lines(
        `${podMac('pod1a')} dev ${v1} master cni0 `,
        `${dev(node1, v1).mac} dev ${v1} master cni0 permanent`,
        `${podMac('pod1b')} dev ${v2} master cni0 `,
        `${dev(node1, v2).mac} dev ${v2} master cni0 permanent`,
        `${vtepMac('node2')} dev flannel.1 dst 10.100.0.3 self permanent`,
      ),
    );
  });

  it('a namespace without a bridge prints nothing', () => {
    expect(printFdb(ns(seed('overlay'), 'pod1a'))).toBe('');
  });
});

describe('printRouteGet: ip route get', () => {
  const fromPod = { from: ip('172.17.1.2'), iif: 'cni0' };

  it('forwarded for a pod (from + iif), as in reference/ for each datapath: no onlink, no src, no uid', () => {
    expect(printRouteGet(ns(seed('direct'), 'node1'), ip('172.17.2.2'), fromPod)).toBe(
      '172.17.2.2 from 172.17.1.2 via 10.100.0.3 dev eth0 \n    cache iif cni0 ',
    );
    expect(printRouteGet(ns(seed('overlay'), 'node1'), ip('172.17.2.2'), fromPod)).toBe(
      '172.17.2.2 from 172.17.1.2 via 172.17.2.0 dev flannel.1 \n    cache iif cni0 ',
    );
    expect(printRouteGet(ns(seed('gateway'), 'node1'), ip('172.17.2.2'), fromPod)).toBe(
      '172.17.2.2 from 172.17.1.2 via 10.100.0.1 dev eth0 \n    cache iif cni0 ',
    );
  });

  it('locally originated: the source the route picks, and the caller’s uid', () => {
    const direct = ns(seed('direct'), 'node1');
    expect(printRouteGet(direct, ip('172.17.2.2'))).toBe(
      '172.17.2.2 via 10.100.0.3 dev eth0 src 10.100.0.2 uid 0 \n    cache ',
    );
    expect(printRouteGet(direct, ip('172.17.1.3'))).toBe(
      '172.17.1.3 dev cni0 src 172.17.1.1 uid 0 \n    cache ',
    );
    // flannel.1's own /32 is the source towards the other node's pods
    expect(printRouteGet(ns(seed('overlay'), 'node1'), ip('172.17.2.2'))).toBe(
      '172.17.2.2 via 172.17.2.0 dev flannel.1 src 172.17.1.0 uid 0 \n    cache ',
    );
    // a given source that is ours is not repeated as src
    expect(printRouteGet(direct, ip('172.17.2.2'), { from: ip('10.100.0.2') })).toBe(
      '172.17.2.2 from 10.100.0.2 via 10.100.0.3 dev eth0 uid 0 \n    cache ',
    );
  });

  it('a local address answers from table local over lo', () => {
    const node1 = ns(seed('direct'), 'node1');
    expect(printRouteGet(node1, ip('172.17.1.1'))).toBe(
      'local 172.17.1.1 dev lo table local src 172.17.1.1 uid 0 \n    cache <local> ',
    );
    expect(printRouteGet(node1, ip('127.0.0.53'))).toBe(
      'local 127.0.0.53 dev lo table local src 127.0.0.1 uid 0 \n    cache <local> ',
    );
    expect(printRouteGet(node1, ip('10.100.0.2'), fromPod)).toBe(
      'local 10.100.0.2 from 172.17.1.2 dev lo table local \n    cache <local> iif cni0 ',
    );
  });

  it('the kernel’s refusals', () => {
    const direct = seed('direct');
    // the router knows only its subnet
    expect(printRouteGet(ns(direct, 'vpc'), ip('172.17.2.2'))).toBe(
      'RTNETLINK answers: Network is unreachable',
    );
    expect(
      printRouteGet(ns(direct, 'vpc'), ip('172.17.2.2'), {
        from: ip('10.100.0.2'),
        iif: 'eth0',
      }),
    ).toBe('RTNETLINK answers: Network is unreachable');
    // a pod does not forward
    expect(
      printRouteGet(ns(direct, 'pod1a'), ip('172.17.2.2'), {
        from: ip('172.17.1.3'),
        iif: 'eth0',
      }),
    ).toBe('RTNETLINK answers: No route to host');
    expect(printRouteGet(ns(direct, 'node1'), ip('172.17.2.2'), { from: ip('1.2.3.4') })).toBe(
      'RTNETLINK answers: Invalid argument',
    );
    expect(printRouteGet(ns(direct, 'node1'), ip('172.17.2.2'), { ...fromPod, iif: 'cni9' })).toBe(
      'Cannot find device "cni9"',
    );
  });
});

describe('printTraceroute: traceroute -n -q 1, times left out', () => {
  it('direct: the bridge gateway, the peer node, the pod (reference/seed-two-nodes-direct.txt)', () => {
    const r = tracert(seed('direct'), 'pod1a', '172.17.2.2');
    expect(printTraceroute(r)).toBe(
      lines(
        'traceroute to 172.17.2.2 (172.17.2.2), 30 hops max, 60 byte packets',
        ' 1  172.17.1.1',
        ' 2  10.100.0.3',
        ' 3  172.17.2.2',
      ),
    );
  });

  it('overlay answers from flannel.1’s .0, gateway adds the router; same node is one hop', () => {
    expect(tracerouteHopLines(tracert(seed('overlay'), 'pod1a', '172.17.2.2'))).toEqual([
      ' 1  172.17.1.1',
      ' 2  172.17.2.0',
      ' 3  172.17.2.2',
    ]);
    expect(tracerouteHopLines(tracert(seed('gateway'), 'pod1a', '172.17.2.2'))).toEqual([
      ' 1  172.17.1.1',
      ' 2  10.100.0.1',
      ' 3  10.100.0.3',
      ' 4  172.17.2.2',
    ]);
    expect(tracerouteHopLines(tracert(seed('direct'), 'pod1a', '172.17.1.3'))).toEqual([
      ' 1  172.17.1.3',
    ]);
  });

  it('prints * for a probe whose answer never comes, and the mark after an address', () => {
    const lost = tracert(
      net('seed', { datapath: 'direct', srcCheck: true }),
      'pod1a',
      '172.17.2.2',
    );
    const hopLines = tracerouteHopLines(lost);
    expect(hopLines.slice(0, 3)).toEqual([' 1  172.17.1.1', ' 2  *', ' 3  *']);
    expect(hopLines).toHaveLength(30);
    expect(hopLines.at(-1)).toBe('30  *');
    const first = lost.hops[0]!;
    const marked: TracerouteResult = {
      ...lost,
      hops: [{ ...first, ttl: 3, from: ip('10.0.0.1'), mark: '!H' }],
    };
    expect(tracerouteHopLines(marked)).toEqual([' 3  10.0.0.1 !H']);
  });
});

/** The masks reference/ applies to what varies run to run. */
function mask(text: string): string {
  return text
    .replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g, '<mac>')
    .replace(/, id \d+, offset/g, ', id <n>, offset')
    .replace(/ICMP echo (request|reply), id \d+/g, 'ICMP echo $1, id <id>')
    .replace(/\[bad udp cksum [^\]]*\]/g, '[bad udp cksum …]')
    .replace(/(\d+\.\d+\.\d+\.\d+)\.\d+ > (\d+\.\d+\.\d+\.\d+)\.8472:/g, '$1.<sport> > $2.8472:');
}

describe('tcpdump: frames as tcpdump -e -vv -n and tcpdump -n print them', () => {
  it('direct: the underlay sees the pod packet itself (reference/seed-two-nodes-direct.txt)', () => {
    const n = seed('direct');
    expect(underlayCapture(ping(n, 'pod1a', '172.17.2.2'), n).map(mask)).toEqual([
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 63, id <n>, offset 0, flags [DF], proto ICMP (1), length 84)',
        '    172.17.1.2 > 172.17.2.2: ICMP echo request, id <id>, seq 1, length 64',
      ),
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 63, id <n>, offset 0, flags [none], proto ICMP (1), length 84)',
        '    172.17.2.2 > 172.17.1.2: ICMP echo reply, id <id>, seq 1, length 64',
      ),
    ]);
  });

  it('overlay: VXLAN in UDP 8472, which tcpdump decodes as OTV, the inner frame under it', () => {
    const n = seed('overlay');
    expect(underlayCapture(ping(n, 'pod1a', '172.17.2.2'), n).map(mask)).toEqual([
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 148: (tos 0x0, ttl 64, id <n>, offset 0, flags [none], proto UDP (17), length 134)',
        '    10.100.0.2.<sport> > 10.100.0.3.8472: [bad udp cksum …] OTV, flags [I] (0x08), overlay 0, instance 1',
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 63, id <n>, offset 0, flags [DF], proto ICMP (1), length 84)',
        '    172.17.1.2 > 172.17.2.2: ICMP echo request, id <id>, seq 1, length 64',
      ),
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 148: (tos 0x0, ttl 64, id <n>, offset 0, flags [none], proto UDP (17), length 134)',
        '    10.100.0.3.<sport> > 10.100.0.2.8472: [bad udp cksum …] OTV, flags [I] (0x08), overlay 0, instance 1',
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 63, id <n>, offset 0, flags [none], proto ICMP (1), length 84)',
        '    172.17.2.2 > 172.17.1.2: ICMP echo reply, id <id>, seq 1, length 64',
      ),
    ]);
  });

  it('overlay: the real MACs are the nodes’ eth0 outside and the flannel.1 VTEPs inside', () => {
    const n = seed('overlay');
    const [request] = underlayCapture(ping(n, 'pod1a', '172.17.2.2'), n);
    const out = request!.split('\n');
    expect(out[0]).toMatch(
      new RegExp(`^${dev(ns(n, 'node1'), 'eth0').mac} > ${dev(ns(n, 'node2'), 'eth0').mac}, `),
    );
    expect(out[2]).toMatch(new RegExp(`^${vtepMac('node1')} > ${vtepMac('node2')}, `));
  });

  it('gateway: the request crosses the underlay twice, one TTL less the second time', () => {
    const n = seed('gateway');
    const capture = underlayCapture(ping(n, 'pod1a', '172.17.2.2'), n).map(mask);
    expect(capture.slice(0, 2)).toEqual([
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 63, id <n>, offset 0, flags [DF], proto ICMP (1), length 84)',
        '    172.17.1.2 > 172.17.2.2: ICMP echo request, id <id>, seq 1, length 64',
      ),
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 62, id <n>, offset 0, flags [DF], proto ICMP (1), length 84)',
        '    172.17.1.2 > 172.17.2.2: ICMP echo request, id <id>, seq 1, length 64',
      ),
    ]);
    expect(capture).toHaveLength(4);
  });

  it('same node: nothing reaches the underlay', () => {
    const n = seed('overlay');
    expect(underlayCapture(ping(n, 'pod1a', '172.17.1.3'), n)).toEqual([]);
  });

  it('brief: one IP line, or the OTV line and the inner packet', () => {
    const n = seed('overlay');
    const t = ping(n, 'pod1a', '172.17.2.2');
    const first = t.hops[0]!;
    expect(tcpdumpBrief(first.wire!.frame)).toBe(
      'IP 172.17.1.2 > 172.17.2.2: ICMP echo request, id 1, seq 1, length 64',
    );
    const vx = t.hops.find((h) => h.wire && h.wire.frame.some((l) => l.kind === 'vxlan'))!;
    expect(tcpdumpBrief(vx.wire!.frame)).toMatch(
      /^IP 10\.100\.0\.2\.\d+ > 10\.100\.0\.3\.8472: OTV, flags \[I\] \(0x08\), overlay 0, instance 1\nIP 172\.17\.1\.2 > 172\.17\.2\.2: ICMP echo request, id 1, seq 1, length 64$/,
    );
  });

  it('ICMP errors quote the offending datagram on a tab-indented line (-v)', () => {
    const r = tracert(seed('direct'), 'pod1a', '172.17.2.2');
    const answer = (ttl: number) =>
      r.hops[ttl - 1]!.trace.hops.filter((h) => h.leg === 'error' && h.wire).at(-1)!;
    const timeExceeded = tcpdumpVerbose(answer(1).wire!.frame).split('\n');
    expect(timeExceeded[0]).toMatch(
      /, length 102: \(tos 0xc0, ttl 64, id \d+, offset 0, flags \[none\], proto ICMP \(1\), length 88\)$/,
    );
    expect(timeExceeded[1]).toBe(
      '    172.17.1.1 > 172.17.1.2: ICMP time exceeded in-transit, length 68',
    );
    expect(timeExceeded[2]).toMatch(
      /^\t\(tos 0x0, ttl 1, id \d+, offset 0, flags \[none\], proto UDP \(17\), length 60\)$/,
    );
    expect(timeExceeded[3]).toMatch(
      /^ {4}172\.17\.1\.2\.\d+ > 172\.17\.2\.2\.33434: \[bad udp cksum 0x[0-9a-f]{4} -> 0x[0-9a-f]{4}!\] UDP, length 32$/,
    );
    expect(tcpdumpBrief(answer(3).wire!.frame)).toBe(
      'IP 172.17.2.2 > 172.17.1.2: ICMP 172.17.2.2 udp port 33436 unreachable, length 68',
    );
  });

  it('names each unreachable as print-icmp.c does', () => {
    const a = (text: string): IpAddr => ip(text);
    const probe: Packet = [
      {
        kind: 'ipv4',
        src: a('172.17.1.2'),
        dst: a('172.17.9.9'),
        ttl: 63,
        proto: 'udp',
        df: true,
        length: 1500,
        id: 7,
        tos: 0,
      },
      { kind: 'udp', sport: 40000, dport: 33434 },
    ];
    const error = (code: 0 | 1 | 4, mtu?: number): Packet => [
      {
        kind: 'ipv4',
        src: a('172.17.1.1'),
        dst: a('172.17.1.2'),
        ttl: 64,
        proto: 'icmp',
        df: false,
        length: 576,
        id: 9,
        tos: 0xc0,
      },
      { kind: 'icmp', type: 'dest-unreach', code, quoted: probe, ...(mtu ? { mtu } : {}) },
    ];
    expect(tcpdumpBrief(error(0))).toBe(
      'IP 172.17.1.1 > 172.17.1.2: ICMP net 172.17.9.9 unreachable, length 556',
    );
    expect(tcpdumpBrief(error(1))).toBe(
      'IP 172.17.1.1 > 172.17.1.2: ICMP host 172.17.9.9 unreachable, length 556',
    );
    expect(tcpdumpBrief(error(4, 1450))).toBe(
      'IP 172.17.1.1 > 172.17.1.2: ICMP 172.17.9.9 unreachable - need to frag (mtu 1450), length 556',
    );
    // a quote cut at 576 bytes cannot be checksummed: no UDP checksum note inside it
    expect(tcpdumpVerbose(error(1)).split('\n')[3]).toBe(
      '    172.17.1.2.40000 > 172.17.9.9.33434: UDP, length 1472',
    );
  });

  it('TCP: a SYN with Linux’s options, the SYN-ACK acking ISN + 1', () => {
    const n = seed('direct');
    const t = trace(n, { from: 'pod1a', dst: '172.17.2.2', protocol: 'tcp', dport: 8080 });
    if (!t.ok) throw new Error(t.error.text);
    const frames = t.value.hops.filter((h) => h.wire).map((h) => h.wire!.frame);
    const syn = tcpdumpBrief(frames[0]!);
    const synAck = tcpdumpBrief(frames.at(-1)!);
    expect(syn).toMatch(
      /^IP 172\.17\.1\.2\.(\d+) > 172\.17\.2\.2\.8080: Flags \[S\], seq (\d+), win 64240, options \[mss 1460,sackOK,TS val (\d+) ecr 0,nop,wscale 10\], length 0$/,
    );
    const [, port, isn, tsVal] = /\.(\d+) > .* seq (\d+), .*TS val (\d+)/.exec(syn)!;
    expect(synAck).toMatch(
      new RegExp(
        `^IP 172\\.17\\.2\\.2\\.8080 > 172\\.17\\.1\\.2\\.${port}: Flags \\[S\\.\\], seq \\d+, ack ${Number(isn) + 1}, win 65160, options \\[mss 1460,sackOK,TS val \\d+ ecr ${tsVal},nop,wscale 10\\], length 0$`,
      ),
    );
    expect(tcpdumpVerbose(frames[0]!).split('\n')[1]).toMatch(
      /Flags \[S\], cksum 0x[0-9a-f]{4} \(incorrect -> 0x[0-9a-f]{4}\), seq \d+, win 64240, /,
    );
  });

  it('checksums: RFC 1071 arithmetic, and the correct value really sums to 0xffff', () => {
    expect(onesSum([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7])).toBe(0xddf2);
    const n = seed('overlay');
    const vx = ping(n, 'pod1a', '172.17.2.2').hops.find(
      (h) => h.wire && h.wire.frame.some((l) => l.kind === 'vxlan'),
    )!;
    const frame = vx.wire!.frame;
    const c = l4Checksum(frame, 1)!;
    // offloaded: the header holds the folded pseudo-header sum only
    const outer = frame[1] as Ipv4Layer;
    const words = [
      Number(outer.src.bits >> 16n),
      Number(outer.src.bits & 0xffffn),
      Number(outer.dst.bits >> 16n),
      Number(outer.dst.bits & 0xffffn),
      17,
      outer.length - 20,
    ];
    let pseudo = words.reduce((s, w) => s + w, 0);
    while (pseudo > 0xffff) pseudo = (pseudo & 0xffff) + (pseudo >>> 16);
    expect(c.field).toBe(pseudo);
    // Ethernet 14 + IPv4 20, then the UDP datagram; with the right checksum in place it sums to all ones
    const seg = encodePacket(frame).slice(34);
    seg.splice(6, 2, c.correct >> 8, c.correct & 0xff);
    expect(onesSum(seg, pseudo)).toBe(0xffff);
  });
});

describe('ip route show table local', () => {
  it('lists 127.0.0.0/8 and every local address on its device (lo keeps 127.0.0.1 too), as the walk quotes them', async () => {
    const { buildNetwork, example, printLocalTable } = await import('../../src/engine/index');
    const b = buildNetwork(example('seed'));
    if (!b.ok) throw new Error('invalid');
    expect(printLocalTable(b.network.namespace('pod1a')!).split('\n')).toEqual([
      'local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 ',
      'local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 ',
      'broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 ',
      'local 172.17.1.2 dev eth0 proto kernel scope host src 172.17.1.2 ',
      'broadcast 172.17.1.255 dev eth0 proto kernel scope link src 172.17.1.2 ',
    ]);
  });
});

describe('tcpdump: a fragmented datagram, one frame a fragment (print-ip.c)', () => {
  function bigPing(n: Network, size = 3000): Trace {
    const t = trace(n, { from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp', size });
    if (!t.ok) throw new Error(t.error.text);
    return t.value;
  }

  it('gateway: offset in bytes, `+` for MF, the ICMP header only in the first fragment, ip-proto-1 after', () => {
    const n = seed('gateway');
    const capture = underlayCapture(bigPing(n), n).map(mask);
    expect(capture.slice(0, 3)).toEqual([
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 1514: (tos 0x0, ttl 63, id <n>, offset 0, flags [+], proto ICMP (1), length 1500)',
        '    172.17.1.2 > 172.17.2.2: ICMP echo request, id <id>, seq 1, length 1480',
      ),
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 1514: (tos 0x0, ttl 63, id <n>, offset 1480, flags [+], proto ICMP (1), length 1500)',
        '    172.17.1.2 > 172.17.2.2: ip-proto-1',
      ),
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 82: (tos 0x0, ttl 63, id <n>, offset 2960, flags [none], proto ICMP (1), length 68)',
        '    172.17.1.2 > 172.17.2.2: ip-proto-1',
      ),
    ]);
    // request and reply, each over two underlay links, three fragments each
    expect(capture).toHaveLength(12);
    expect(capture[3]).toContain('ttl 62, id <n>, offset 0, flags [+]');
  });

  it('overlay: each inner fragment in an outer VXLAN packet of its own, outer ids counting up', () => {
    const n = seed('overlay');
    const capture = underlayCapture(bigPing(n), n);
    expect(capture).toHaveLength(6);
    expect(capture.slice(0, 3).map(mask)).toEqual([
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 1508: (tos 0x0, ttl 64, id <n>, offset 0, flags [none], proto UDP (17), length 1494)',
        '    10.100.0.2.<sport> > 10.100.0.3.8472: [bad udp cksum …] OTV, flags [I] (0x08), overlay 0, instance 1',
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 1458: (tos 0x0, ttl 63, id <n>, offset 0, flags [+], proto ICMP (1), length 1444)',
        '    172.17.1.2 > 172.17.2.2: ICMP echo request, id <id>, seq 1, length 1424',
      ),
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 1508: (tos 0x0, ttl 64, id <n>, offset 0, flags [none], proto UDP (17), length 1494)',
        '    10.100.0.2.<sport> > 10.100.0.3.8472: [bad udp cksum …] OTV, flags [I] (0x08), overlay 0, instance 1',
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 1458: (tos 0x0, ttl 63, id <n>, offset 1424, flags [+], proto ICMP (1), length 1444)',
        '    172.17.1.2 > 172.17.2.2: ip-proto-1',
      ),
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 244: (tos 0x0, ttl 64, id <n>, offset 0, flags [none], proto UDP (17), length 230)',
        '    10.100.0.2.<sport> > 10.100.0.3.8472: [bad udp cksum …] OTV, flags [I] (0x08), overlay 0, instance 1',
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 194: (tos 0x0, ttl 63, id <n>, offset 2848, flags [none], proto ICMP (1), length 180)',
        '    172.17.1.2 > 172.17.2.2: ip-proto-1',
      ),
    ]);
    const outerIds = capture.slice(0, 3).map((c) => Number(/ id (\d+),/.exec(c)![1]));
    expect(outerIds).toEqual([outerIds[0], outerIds[0]! + 1, outerIds[0]! + 2]);
  });

  it('on the pod’s eth0 (tcpdump -n): the fragments it sends, and the fragments of the reply before ip_defrag', () => {
    expect(interfaceCapture(bigPing(seed('overlay')), 'pod1a').map(mask)).toEqual([
      'IP 172.17.1.2 > 172.17.2.2: ICMP echo request, id <id>, seq 1, length 1424',
      'IP 172.17.1.2 > 172.17.2.2: ip-proto-1',
      'IP 172.17.1.2 > 172.17.2.2: ip-proto-1',
      'IP 172.17.2.2 > 172.17.1.2: ICMP echo reply, id <id>, seq 1, length 1424',
      'IP 172.17.2.2 > 172.17.1.2: ip-proto-1',
      'IP 172.17.2.2 > 172.17.1.2: ip-proto-1',
    ]);
  });

  it('UDP: the first fragment names the whole datagram’s length and no checksum is checked', () => {
    const n = seed('direct');
    const t = trace(n, {
      from: 'pod1a',
      dst: '172.17.2.2',
      protocol: 'udp',
      dport: 9999,
      sport: 40000,
      size: 3000,
    });
    if (!t.ok) throw new Error(t.error.text);
    expect(underlayCapture(t.value, n).slice(0, 2).map(mask)).toEqual([
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 1514: (tos 0x0, ttl 63, id <n>, offset 0, flags [+], proto UDP (17), length 1500)',
        '    172.17.1.2.40000 > 172.17.2.2.9999: UDP, length 3000',
      ),
      lines(
        '<mac> > <mac>, ethertype IPv4 (0x0800), length 1514: (tos 0x0, ttl 63, id <n>, offset 1480, flags [+], proto UDP (17), length 1500)',
        '    172.17.1.2 > 172.17.2.2: ip-proto-17',
      ),
    ]);
  });

  it('on the wire: MF and the offset in 8-byte units in the header, the fragments’ payloads cut from the whole datagram', () => {
    const t = bigPing(seed('gateway'));
    const frags = fragmentsOf(t.hops[0]!.headers);
    const bytes = frags.map(encodePacket);
    expect(bytes.map((b) => ((b[6]! << 8) | b[7]!).toString(16))).toEqual(['2000', '20b9', '172']);
    const whole = t.hops.find((h) => h.action === 'deliver')!.headers;
    const wholeIp = whole[0] as Ipv4Layer;
    const source: Packet = [{ ...wholeIp, ttl: 64 }, ...whole.slice(1)];
    expect(bytes.flatMap((b) => b.slice(20))).toEqual(encodePacket(source).slice(20));
  });
});

describe('a fragment says where it sits in its datagram', () => {
  it('the first of three fragments of a 3028-byte ping at mtu 1450', async () => {
    const { buildNetwork, example, fragmentNote, outerIp, trace } =
      await import('../../src/engine/index');
    const b = buildNetwork(example('seed'));
    if (!b.ok) throw new Error('invalid');
    const t = trace(b.network, { from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp', size: 3000 });
    if (!t.ok) throw new Error(t.error.text);
    expect(fragmentNote(outerIp(t.value.hops[0]!.headers))).toBe(' frag 1/3 offset 0 MF of 3028');
    const plain = trace(b.network, { from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp' });
    if (!plain.ok) throw new Error(plain.error.text);
    expect(fragmentNote(outerIp(plain.value.hops[0]!.headers))).toBe('');
  });
});
