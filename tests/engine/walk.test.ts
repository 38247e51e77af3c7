import { describe, expect, it } from 'vitest';
import {
  buildNetwork,
  buildProblems,
  DEFAULT_CLUSTER,
  example,
  outerIp,
  SCENARIO_VERSION,
  trace,
  traceroute,
  type Hop,
  type Network,
  type NodeName,
  type Probe,
  type RouterName,
  type Scenario,
  type SubnetName,
} from '../../src/engine/index';
import { routeLine } from '../../src/engine/network/routeLine';
import { fragmentsOf } from '../../src/engine/walk/fragment';
import { exampleNetwork, network, path, send } from './helpers';

const net = exampleNetwork;

describe('pods on one node talk across the bridge', () => {
  it('bridges the frame without a routing hop and without touching the TTL', () => {
    const t = send(net('seed'), { from: 'pod1a', dst: '172.17.1.3' });
    expect(path(t.hops)).toEqual(['pod1a:send', 'node1:bridge', 'pod1b:deliver']);
    expect(outerIp(t.hops.at(-1)!.headers).ttl).toBe(64);
    expect(t.verdict).toEqual({ ok: true, text: '64 bytes from 172.17.1.3: icmp_seq=1 ttl=64' });
  });
});

describe('pods on different nodes: the tables decide, not the mode', () => {
  it('overlay: encapsulates in VXLAN (UDP 8472, VNI 1, outer TTL 64, inner TTL kept)', () => {
    const t = send(net('seed', { datapath: 'overlay' }), { from: 'pod1a', dst: '172.17.2.2' });
    expect(path(t.hops)).toEqual([
      'pod1a:send',
      'node1:forward',
      'node1:encapsulate',
      'node1:send',
      'node2:decapsulate',
      'node2:forward',
      'node2:bridge',
      'pod2a:deliver',
    ]);
    const enc = t.hops.find((h) => h.action === 'encapsulate')!;
    expect(enc.headers.map((l) => l.kind)).toEqual(['ipv4', 'udp', 'vxlan', 'eth', 'ipv4', 'icmp']);
    expect(enc.headers[0]).toMatchObject({
      ttl: 64,
      proto: 'udp',
      src: { text: '10.100.0.2' },
      dst: { text: '10.100.0.3' },
      length: 134,
    });
    expect(enc.headers[1]).toMatchObject({ dport: 8472 });
    expect(enc.headers[2]).toEqual({ kind: 'vxlan', vni: 1 });
    expect(enc.headers[4]).toMatchObject({ ttl: 63, src: { text: '172.17.1.2' } });
    expect(enc.consulted.map((c) => c.table)).toEqual(['neigh', 'fdb']);
  });

  it('direct: the pod packet itself crosses the underlay to the peer node', () => {
    const t = send(net('seed', { datapath: 'direct' }), { from: 'pod1a', dst: '172.17.2.2' });
    expect(path(t.hops)).toEqual([
      'pod1a:send',
      'node1:forward',
      'node2:forward',
      'node2:bridge',
      'pod2a:deliver',
    ]);
    expect(t.hops[1]?.consulted[0]?.line).toBe('172.17.2.0/24 via 10.100.0.3 dev eth0 ');
    expect(t.hops[1]?.wire?.frame.map((l) => l.kind)).toEqual(['eth', 'ipv4', 'icmp']);
  });

  it('gateway: the packet follows the default route through the router', () => {
    const t = send(net('seed', { datapath: 'gateway' }), { from: 'pod1a', dst: '172.17.2.2' });
    expect(path(t.hops)).toEqual([
      'pod1a:send',
      'node1:forward',
      'vpc:forward',
      'node2:forward',
      'node2:bridge',
      'pod2a:deliver',
    ]);
    expect(t.verdict.text).toBe('64 bytes from 172.17.2.2: icmp_seq=1 ttl=61');
  });

  it('switching the datapath changes the hops themselves', () => {
    const overlay = path(
      send(net('seed', { datapath: 'overlay' }), { from: 'pod1a', dst: '172.17.2.2' }).hops,
    );
    const direct = path(
      send(net('seed', { datapath: 'direct' }), { from: 'pod1a', dst: '172.17.2.2' }).hops,
    );
    expect(overlay).not.toEqual(direct);
  });
});

describe('the cloud source/destination check', () => {
  it('drops direct routing silently on the fabric (the source is a pod, not the node)', () => {
    const t = send(net('seed', { datapath: 'direct', srcCheck: true }), {
      from: 'pod1a',
      dst: '172.17.2.2',
    });
    expect(t.verdict.ok).toBe(false);
    const last = t.hops.at(-1)!;
    expect(last).toMatchObject({ action: 'drop', segment: 'subnet:vpc-subnet' });
    expect(last.reason).toContain(
      'node1 sent a packet from 172.17.1.2, which is not its address 10.100.0.2',
    );
  });

  it('lets overlay through: the outer header is node to node', () => {
    expect(
      send(net('seed', { datapath: 'overlay', srcCheck: true }), {
        from: 'pod1a',
        dst: '172.17.2.2',
      }).verdict.ok,
    ).toBe(true);
  });

  it('drops gateway routing too', () => {
    expect(
      send(net('seed', { datapath: 'gateway', srcCheck: true }), {
        from: 'pod1a',
        dst: '172.17.2.2',
      }).verdict.ok,
    ).toBe(false);
  });
});

describe('a second subnet', () => {
  it('direct: the route to a node behind a router cannot be installed', () => {
    const n = net('xsubnet', { datapath: 'direct' });
    expect(n.namespace('node1')?.installErrors).toEqual([
      {
        command: 'ip route add 172.17.3.0/24 via 10.100.1.2 dev eth0',
        text: 'Error: Nexthop has invalid gateway.',
      },
    ]);
    const t = send(n, { from: 'pod1', dst: '172.17.3.2' });
    // the packet follows the default route to a router that knows no pod routes
    expect(path(t.hops)).toEqual(['pod1:send', 'node1:forward', 'rtr:drop']);
    expect(t.verdict.ok).toBe(false);
  });

  it('crossSubnet: direct on the same subnet, VXLAN across the router', () => {
    const n = net('xsubnet', { datapath: 'crossSubnet' });
    expect(path(send(n, { from: 'pod1', dst: '172.17.2.2' }).hops)).toEqual([
      'pod1:send',
      'node1:forward',
      'node2:forward',
      'node2:bridge',
      'pod2:deliver',
    ]);
    expect(path(send(n, { from: 'pod1', dst: '172.17.3.2' }).hops)).toContain('node1:encapsulate');
    expect(send(n, { from: 'pod1', dst: '172.17.3.2' }).verdict.ok).toBe(true);
  });
});

describe('naive IPAM: duplicate pod IPs', () => {
  const n = net('naive', { datapath: 'overlay' });
  it('a pod pinging its own IP answers itself over lo', () => {
    const t = send(n, { from: 'pod1a', dst: '172.17.0.2' });
    expect(t.hops[0]).toMatchObject({ action: 'deliver', devOut: 'lo' });
    expect(t.verdict.ok).toBe(true);
  });
  it('an IP that lives only on another node gets no ARP reply: Destination Host Unreachable from the sender itself', () => {
    const t = send(n, { from: 'pod2a', dst: '172.17.0.3' });
    expect(t.verdict.text).toBe('From 172.17.0.2 icmp_seq=1 Destination Host Unreachable');
    expect(t.hops.some((h) => h.wire && h.wire.segment.startsWith('subnet:'))).toBe(false);
  });
  it('the CNI cannot install the cross-node route', () => {
    expect(n.namespace('node1')?.installErrors.map((e) => e.text)).toEqual([
      'Error: Nexthop has invalid gateway.',
    ]);
    expect(
      net('naive', { datapath: 'direct' })
        .namespace('node1')
        ?.installErrors.map((e) => e.text),
    ).toEqual(['RTNETLINK answers: File exists']);
  });
});

describe('TTL, MTU and unreachable destinations', () => {
  it('a TTL that runs out gets Time to live exceeded from the hop, from its flannel.1 address in overlay', () => {
    expect(
      send(net('seed', { datapath: 'overlay' }), { from: 'pod1a', dst: '172.17.2.2', ttl: 2 })
        .verdict.text,
    ).toBe('From 172.17.2.0 icmp_seq=1 Time to live exceeded');
    expect(
      send(net('seed', { datapath: 'direct' }), { from: 'pod1a', dst: '172.17.2.2', ttl: 2 })
        .verdict.text,
    ).toBe('From 10.100.0.3 icmp_seq=1 Time to live exceeded');
  });

  it('a DF packet too big for the overlay fails at the sender (ping -M do)', () => {
    expect(
      send(net('seed', { datapath: 'overlay' }), {
        from: 'pod1a',
        dst: '172.17.2.2',
        size: 1423,
        df: true,
      }).verdict.text,
    ).toBe('ping: local error: message too long, mtu=1450');
    expect(
      send(net('seed', { datapath: 'overlay' }), {
        from: 'pod1a',
        dst: '172.17.2.2',
        size: 1422,
        df: true,
      }).verdict.ok,
    ).toBe(true);
    expect(
      send(net('seed', { datapath: 'direct' }), {
        from: 'pod1a',
        dst: '172.17.2.2',
        size: 1472,
        df: true,
      }).verdict.ok,
    ).toBe(true);
  });

  it('plain ping sets DF only on a packet that fits (IP_PMTUDISC_WANT): a bigger one is fragmented and answered', () => {
    const t = send(net('seed', { datapath: 'overlay' }), {
      from: 'pod1a',
      dst: '172.17.2.2',
      size: 2000,
    });
    expect(outerIp(t.hops[0]!.headers).df).toBe(false);
    expect(t.verdict.ok).toBe(true);
    expect(
      outerIp(send(net('seed'), { from: 'pod1a', dst: '172.17.2.2' }).hops[0]!.headers).df,
    ).toBe(true);
  });

  it('a DF packet too big for a router hop gets Frag needed from that hop', () => {
    const base = example('xsubnet', { datapath: 'gateway' });
    const small = {
      ...base,
      subnets: base.subnets.map((s) => (s.name === 'subnet-b' ? { ...s, mtu: 1400 } : s)),
    };
    const built = buildNetwork(small);
    if (!built.ok) throw new Error('invalid');
    const t = send(built.network, { from: 'pod1', dst: '172.17.3.2', size: 1472 });
    expect(t.verdict.text).toBe('From 10.100.0.1 icmp_seq=1 Frag needed and DF set (mtu = 1400)');
  });

  it('an address nobody owns on the bridge: Destination Host Unreachable', () => {
    expect(send(net('seed'), { from: 'pod1a', dst: '172.17.1.99' }).verdict.text).toBe(
      'From 172.17.1.2 icmp_seq=1 Destination Host Unreachable',
    );
  });

  it('no route at a router, and none back: icmp_send finds no route for its error and sends none', () => {
    const t = send(net('seed', { datapath: 'overlay' }), { from: 'pod1a', dst: '192.0.2.1' });
    expect(t.verdict.ok).toBe(false);
    expect(t.verdict.text).toContain('vpc sends no ICMP error: it has no route back to 172.17.1.2');
    // no error leg, so no error packet whose source was never chosen (0.0.0.0)
    expect(t.hops.filter((h) => h.leg === 'error')).toEqual([]);
    expect(t.hops.at(-1)).toMatchObject({ namespace: 'vpc', action: 'drop' });
  });

  it('a pod with no route at all: connect: Network is unreachable', () => {
    const s = example('seed');
    const built = buildNetwork({ ...s, subnets: s.subnets });
    if (!built.ok) throw new Error('invalid');
    // the node itself has a default route; a pod always has one via its gateway, so ask a router
    expect(send(built.network, { from: 'vpc', dst: '192.0.2.1' }).verdict.text).toBe(
      'ping: connect: Network is unreachable',
    );
  });
});

describe('TCP and UDP to a port', () => {
  it('a listening container answers SYN-ACK; a closed port answers RST', () => {
    const n = net('seed');
    expect(
      send(n, { from: 'pod1a', dst: '172.17.2.2', protocol: 'tcp', dport: 8080 }).verdict,
    ).toEqual({ ok: true, text: 'Connection to 172.17.2.2 8080 port [tcp/*] succeeded!' });
    expect(
      send(n, { from: 'pod1a', dst: '172.17.2.2', protocol: 'tcp', dport: 9999 }).verdict,
    ).toEqual({
      ok: false,
      text: 'nc: connect to 172.17.2.2 port 9999 (tcp) failed: Connection refused',
    });
  });
  it('a closed UDP port answers ICMP port unreachable from the target', () => {
    const t = send(net('seed'), { from: 'pod1a', dst: '172.17.2.2', protocol: 'udp', dport: 5000 });
    expect(t.verdict.ok).toBe(false);
    expect(t.response?.end).toMatchObject({ kind: 'delivered', namespace: 'pod1a' });
  });
});

describe('traceroute', () => {
  const hops = (n: Network, from: string, dst: string) => {
    const r = traceroute(n, from, dst);
    if (!r.ok) throw new Error(r.error.text);
    return r.value.hops.map((h) => (h.from?.text ?? '*') + (h.mark ? ` ${h.mark}` : ''));
  };
  it('each hop answers from the interface facing the sender', () => {
    expect(hops(net('seed', { datapath: 'overlay' }), 'pod1a', '172.17.2.2')).toEqual([
      '172.17.1.1',
      '172.17.2.0',
      '172.17.2.2',
    ]);
    expect(hops(net('seed', { datapath: 'direct' }), 'pod1a', '172.17.2.2')).toEqual([
      '172.17.1.1',
      '10.100.0.3',
      '172.17.2.2',
    ]);
    expect(hops(net('xsubnet', { datapath: 'gateway' }), 'pod1', '172.17.3.2')).toEqual([
      '172.17.1.1',
      '10.100.0.1',
      '10.100.1.2',
      '172.17.3.2',
    ]);
  });
  it('prints * for every probe whose answer is lost, up to 30 hops', () => {
    const h = hops(net('seed', { datapath: 'direct', srcCheck: true }), 'pod1a', '172.17.2.2');
    expect(h).toHaveLength(30);
    expect(h[0]).toBe('172.17.1.1');
    expect(h.slice(1).every((x) => x === '*')).toBe(true);
  });
});

describe('Services need net.bridge.bridge-nf-call-iptables = 1 for same-node endpoints', () => {
  const seedWith = (on: boolean) => {
    const s = example('seed');
    const built = buildNetwork({ ...s, cluster: { ...s.cluster, bridgeNfCallIptables: on } });
    if (!built.ok) throw new Error('invalid');
    return built.network;
  };
  it('with it, conntrack un-DNATs the bridged reply and the client connects', () => {
    const t = send(seedWith(true), {
      from: 'pod1a',
      dst: '10.96.0.10',
      protocol: 'tcp',
      dport: 80,
      endpoint: 0,
    });
    expect(t.hops.map((h) => h.action)).toContain('undnat');
    expect(t.verdict).toEqual({
      ok: true,
      text: 'Connection to 10.96.0.10 80 port [tcp/*] succeeded!',
    });
  });
  it('without it, the reply comes from the pod IP, matches no socket, and the connection fails', () => {
    const t = send(seedWith(false), {
      from: 'pod1a',
      dst: '10.96.0.10',
      protocol: 'tcp',
      dport: 80,
      endpoint: 0,
    });
    expect(t.hops.map((h) => h.action)).not.toContain('undnat');
    expect(t.verdict.ok).toBe(false);
    expect(t.verdict.text).toContain(
      'the answer came from 172.17.1.3:8080, not from 10.96.0.10:80',
    );
    // an endpoint on another node is reached through node1's IP layer, where conntrack still sees it
    expect(
      send(seedWith(false), {
        from: 'pod1a',
        dst: '10.96.0.10',
        protocol: 'tcp',
        dport: 80,
        endpoint: 1,
      }).verdict.ok,
    ).toBe(true);
  });
});

describe('values the tool refuses before anything is sent', () => {
  const refused = (probe: Omit<Probe, 'from' | 'dst'>) => {
    const t = trace(net('seed'), { from: 'pod1a', dst: '172.17.2.2', ...probe });
    return t.ok ? 'sent' : `${t.error.kind}: ${t.error.text}`;
  };

  it('ping: TTL and size outside what iputils parses, in its words (ping/ping.c strtol_or_err)', () => {
    expect(refused({ protocol: 'icmp', ttl: 300 })).toBe(
      "badTtl: ping: invalid argument: '300': out of range: 0 <= value <= 255",
    );
    expect(refused({ protocol: 'icmp', size: -5 })).toBe(
      "badSize: ping: invalid argument: '-5': out of range: 0 <= value <= 2147483647",
    );
    expect(refused({ protocol: 'icmp', size: 65508 })).toBe(
      "badSize: ping: invalid -s value: '65508': out of range: 0 <= value <= 65507",
    );
    expect(refused({ protocol: 'icmp', size: 65507 })).toBe('sent');
  });

  it('a TTL of 0 passes the parser but not setsockopt(IP_TTL): EINVAL', () => {
    expect(refused({ protocol: 'icmp', ttl: 0 })).toBe(
      'badTtl: ping: cannot set unicast time-to-live: Invalid argument',
    );
    expect(refused({ protocol: 'tcp', ttl: 0 })).toBe('badTtl: nc: set IP TTL: Invalid argument');
    expect(refused({ protocol: 'icmp', ttl: 1 })).toBe('sent');
    expect(refused({ protocol: 'icmp', ttl: 255 })).toBe('sent');
  });

  it('nc -M: strtonum 0..255 (OpenBSD netcat)', () => {
    expect(refused({ protocol: 'tcp', ttl: 256 })).toBe('badTtl: nc: ttl is too large');
    expect(refused({ protocol: 'udp', ttl: -1 })).toBe('badTtl: nc: ttl is too small');
    expect(refused({ protocol: 'udp', size: 70000 })).toBe('badSize: nc: write: Message too long');
  });
});

describe('0.0.0.0 and broadcast destinations', () => {
  it('0.0.0.0 is this host: the packet goes to 127.0.0.1 over lo and the reply comes from 127.0.0.1', () => {
    const t = send(net('seed'), { from: 'pod1a', dst: '0.0.0.0' });
    expect(path(t.hops)).toEqual(['pod1a:deliver']);
    expect(outerIp(t.request.hops[0]!.headers).dst.text).toBe('127.0.0.1');
    expect(t.verdict).toEqual({ ok: true, text: '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64' });
    // a TCP connect() to 0.0.0.0 reaches the local listener the same way
    const c = send(net('seed'), { from: 'pod1a', dst: '0.0.0.0', protocol: 'tcp', dport: 80 });
    expect(c.verdict).toEqual({
      ok: true,
      text: 'Connection to 0.0.0.0 80 port [tcp/*] succeeded!',
    });
  });

  it('ping refuses 255.255.255.255 and a connected subnet’s broadcast without -b (connect: EACCES)', () => {
    const n = net('seed');
    const text =
      'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules';
    for (const [from, dst] of [
      ['pod1a', '255.255.255.255'],
      ['pod1a', '172.17.1.255'],
      ['node1', '10.100.0.255'],
      ['node1', '172.17.1.255'],
      ['node1', '127.255.255.255'],
    ] as const)
      expect(trace(n, { from, dst, protocol: 'icmp' }), `${from} → ${dst}`).toEqual({
        ok: false,
        error: { kind: 'broadcast', text },
      });
  });

  it('nc: a TCP connect() to a broadcast is ENETUNREACH, a UDP one EACCES; traceroute’s connect() fails too', () => {
    const n = net('seed');
    const t = (protocol: 'tcp' | 'udp') =>
      trace(n, { from: 'pod1a', dst: '172.17.1.255', protocol, dport: 53 });
    expect(t('tcp')).toMatchObject({
      error: { text: 'nc: connect to 172.17.1.255 port 53 (tcp) failed: Network is unreachable' },
    });
    expect(t('udp')).toMatchObject({
      error: { text: 'nc: connect to 172.17.1.255 port 53 (udp) failed: Permission denied' },
    });
    expect(traceroute(n, 'pod1a', '255.255.255.255')).toEqual({
      ok: false,
      error: { kind: 'broadcast', text: 'connect: Permission denied' },
    });
  });

  it('255.255.255.255 from a namespace with no route covering it: connect: Network is unreachable', () => {
    // the router has no default route, so the output lookup fails before the broadcast check
    const t = send(net('seed'), { from: 'vpc', dst: '255.255.255.255' });
    expect(t.verdict).toEqual({ ok: false, text: 'ping: connect: Network is unreachable' });
  });

  it('another subnet’s broadcast is routed like any address; its owner takes it in and ignores the echo request', () => {
    const t = send(net('seed', { datapath: 'direct' }), { from: 'pod1a', dst: '172.17.2.255' });
    expect(path(t.hops)).toEqual(['pod1a:send', 'node1:forward', 'node2:drop']);
    const last = t.hops.at(-1)!;
    expect(last.consulted.map((c) => c.line)).toEqual([
      'broadcast 172.17.2.255 dev cni0 proto kernel scope link src 172.17.2.1 ',
      'net.ipv4.icmp_echo_ignore_broadcasts = 1',
    ]);
    expect(t.response).toBeUndefined();
    expect(t.verdict.ok).toBe(false);
  });

  it('a UDP datagram to a remote broadcast is delivered and never answered with port unreachable', () => {
    const t = send(net('seed', { datapath: 'direct' }), {
      from: 'pod1a',
      dst: '172.17.2.255',
      protocol: 'udp',
      dport: 9,
    });
    expect(t.request.end).toMatchObject({ kind: 'delivered', namespace: 'node2', broadcast: true });
    expect(t.response).toBeUndefined();
  });
});

describe('two routers on one subnet', () => {
  // subnets a, b, c; r1 joins a and c, r2 joins c and b: both have a leg on c
  const sub = (k: number, name: string, len = 24) => ({
    name: name as SubnetName,
    cidr: `10.100.${k}.0/${len}`,
    gateway: `10.100.${k}.1`,
    srcDstCheck: false,
  });
  const scenario = (
    opts: { cLen?: number; n2Ip?: string; extraRouter?: boolean } = {},
  ): Scenario => ({
    version: SCENARIO_VERSION,
    cluster: { ...DEFAULT_CLUSTER, datapath: 'gateway' as const },
    subnets: [sub(0, 'a'), sub(1, 'b'), sub(2, 'c', opts.cLen)],
    routers: [
      { name: 'r1' as RouterName, subnets: ['a', 'c'] as SubnetName[] },
      { name: 'r2' as RouterName, subnets: ['c', 'b'] as SubnetName[] },
      ...(opts.extraRouter ? [{ name: 'r3' as RouterName, subnets: ['c'] as SubnetName[] }] : []),
    ],
    nodes: [
      { name: 'n1' as NodeName, subnet: 'a' as SubnetName, ip: '10.100.0.2' },
      { name: 'n2' as NodeName, subnet: 'c' as SubnetName, ip: opts.n2Ip ?? '10.100.2.2' },
      { name: 'n3' as NodeName, subnet: 'b' as SubnetName, ip: '10.100.1.2' },
    ],
    pods: [],
    services: [],
  });
  const addrOf = (n: Network, ns: string) =>
    n
      .namespace(ns)
      ?.devices.flatMap((d) => d.addresses.map((a) => `${d.name} ${a.ip.text}/${a.len}`));

  it('the first router holds the gateway; the later one the highest usable address', () => {
    const n = network(scenario());
    expect(addrOf(n, 'r1')).toEqual(['lo 127.0.0.1/8', 'eth0 10.100.0.1/24', 'eth1 10.100.2.1/24']);
    expect(addrOf(n, 'r2')).toEqual([
      'lo 127.0.0.1/8',
      'eth0 10.100.2.254/24',
      'eth1 10.100.1.1/24',
    ]);
    expect(n.namespace('r2')?.routes.map((r) => routeLine(r))).toContain(
      '10.100.2.0/24 dev eth0 proto kernel scope link src 10.100.2.254 ',
    );
  });

  it('each address has one owner on the wire: the gateway answers from r1, .254 from r2', () => {
    const n = network(scenario());
    const gw = send(n, { from: 'n2', dst: '10.100.2.1' });
    expect(gw.request.end).toMatchObject({ kind: 'delivered', namespace: 'r1' });
    const r2 = send(n, { from: 'n2', dst: '10.100.2.254' });
    expect(r2.request.end).toMatchObject({ kind: 'delivered', namespace: 'r2' });
    expect(r2.verdict).toEqual({ ok: true, text: '64 bytes from 10.100.2.254: icmp_seq=1 ttl=64' });
  });

  it('a node on the later router’s address is refused; the rest of the cluster runs', () => {
    const r = buildNetwork(scenario({ n2Ip: '10.100.2.254' }));
    expect(buildProblems(r)).toContainEqual({
      kind: 'refused',
      object: 'node/n2',
      field: 'ip',
      text: 'node IP 10.100.2.254 is already used by router r2 (eth0 on subnet c)',
    });
    expect(r.ok && r.network.namespace('n2')).toBe(undefined);
    expect(r.ok && r.network.namespace('r2')?.name).toBe('r2');
  });

  it('a subnet with no usable address left for a third router says so', () => {
    // 10.100.2.0/30: .1 the gateway (r1), .2 for r2, nothing for r3
    const r = buildNetwork(scenario({ cLen: 30, extraRouter: true }));
    expect(buildProblems(r).map((p) => `${p.object}: ${p.text}`)).toContain(
      'router/r3: subnet "c" (10.100.2.0/30) has no address left for router r3: its gateway and every usable address below the broadcast are held by other routers',
    );
    expect(r.ok && r.network.namespace('r3')).toBe(undefined);
  });
});

describe('IPv4 fragmentation: ip_fragment on the way out, ip_defrag before delivery', () => {
  const geometry = (h: Hop | undefined) =>
    fragmentsOf(h?.headers ?? []).map((p) => {
      const ipl = p.find((l) => l.kind === 'ipv4' && l.frag)!;
      if (ipl.kind !== 'ipv4' || !ipl.frag) throw new Error('not a fragment');
      return `${ipl.length}@${ipl.frag.offset}${ipl.frag.more ? '+' : ''}`;
    });

  it('a 3000-byte ping leaves the pod in pieces of 1480 bytes (mtu 1500) or 1424 (mtu 1450), same id, MF on all but the last', () => {
    const gw = send(net('seed', { datapath: 'gateway' }), {
      from: 'pod1a',
      dst: '172.17.2.2',
      size: 3000,
    });
    expect(gw.hops[0]).toMatchObject({
      namespace: 'pod1a',
      action: 'send',
      title: 'pod1a fragments the 3028-byte datagram into 3 fragments (mtu 1500 on eth0)',
      fragments: 3,
    });
    expect(geometry(gw.hops[0])).toEqual(['1500@0+', '1500@1480+', '68@2960']);
    const ids = fragmentsOf(gw.hops[0]!.headers).map((p) => outerIp(p).id);
    expect(new Set(ids).size).toBe(1);
    expect(outerIp(gw.hops[0]!.headers).df).toBe(false);

    const ov = send(net('seed', { datapath: 'overlay' }), {
      from: 'pod1a',
      dst: '172.17.2.2',
      size: 3000,
    });
    expect(ov.hops[0]!.title).toBe(
      'pod1a fragments the 3028-byte datagram into 3 fragments (mtu 1450 on eth0)',
    );
    expect(geometry(ov.hops[0])).toEqual(['1444@0+', '1444@1424+', '180@2848']);
    expect(ov.hops[0]!.changes).toContain(
      `DF not set, so ip_fragment splits it for mtu 1450: 3 fragments of 1444, 1444, 180 bytes at offsets 0, 1424, 2848, all with id ${outerIp(ov.hops[0]!.headers).id}, MF on all but the last`,
    );
  });

  it('every hop on the way carries the train; VXLAN wraps each fragment in a packet of its own', () => {
    const t = send(net('seed', { datapath: 'overlay' }), {
      from: 'pod1a',
      dst: '172.17.2.2',
      size: 3000,
    });
    const request = t.hops.filter((h) => h.leg === 'request');
    expect(request.slice(0, -1).every((h) => h.fragments === 3)).toBe(true);
    const enc = request.find((h) => h.action === 'encapsulate')!;
    expect(enc.changes).toContain('each of the 3 fragments travels in a VXLAN packet of its own');
    expect(fragmentsOf(enc.headers).map((p) => outerIp(p).length)).toEqual([1494, 1494, 230]);
  });

  it('the destination reassembles before delivery, and answers the whole datagram (itself in fragments)', () => {
    for (const datapath of ['overlay', 'direct', 'gateway'] as const) {
      const t = send(net('seed', { datapath }), { from: 'pod1a', dst: '172.17.2.2', size: 3000 });
      const deliver = t.hops.find((h) => h.leg === 'request' && h.action === 'deliver')!;
      expect(deliver.title).toBe('pod2a owns 172.17.2.2: delivered (reassembled from 3 fragments)');
      expect(deliver.changes).toEqual(['reassembled from 3 fragments (ip_defrag)']);
      expect(deliver.fragments).toBeUndefined();
      expect(outerIp(deliver.headers)).toMatchObject({ length: 3028 });
      expect(outerIp(deliver.headers).frag).toBeUndefined();
      expect(t.response?.hops[0]?.fragments).toBe(3);
      expect(t.verdict.ok).toBe(true);
      expect(t.verdict.text).toMatch(/^3008 bytes from 172\.17\.2\.2: icmp_seq=1 ttl=/);
    }
  });

  it('a datagram that fits is never touched', () => {
    const t = send(net('seed', { datapath: 'overlay' }), { from: 'pod1a', dst: '172.17.2.2' });
    expect(t.hops.every((h) => h.fragments === undefined && !h.reassembledFrom)).toBe(true);
    expect(outerIp(t.hops[0]!.headers).frag).toBeUndefined();
  });

  it('with DF the datagram is still refused: EMSGSIZE at the sender, Frag needed from a router', () => {
    expect(
      send(net('seed', { datapath: 'overlay' }), {
        from: 'pod1a',
        dst: '172.17.2.2',
        size: 3000,
        df: true,
      }).verdict.text,
    ).toBe('ping: local error: message too long, mtu=1450');
    const base = example('xsubnet', { datapath: 'gateway' });
    const built = buildNetwork({
      ...base,
      subnets: base.subnets.map((s) => (s.name === 'subnet-b' ? { ...s, mtu: 1400 } : s)),
    });
    if (!built.ok) throw new Error('invalid');
    const t = send(built.network, { from: 'pod1', dst: '172.17.3.2', size: 1472, df: true });
    expect(t.verdict.text).toBe('From 10.100.0.1 icmp_seq=1 Frag needed and DF set (mtu = 1400)');
    expect(t.hops.some((h) => h.fragments !== undefined)).toBe(false);
  });

  it('a router towards a smaller MTU splits each fragment further (MF stays on all but the very last)', () => {
    const base = example('xsubnet', { datapath: 'gateway' });
    const built = buildNetwork({
      ...base,
      subnets: base.subnets.map((s) => (s.name === 'subnet-b' ? { ...s, mtu: 1400 } : s)),
    });
    if (!built.ok) throw new Error('invalid');
    const t = send(built.network, { from: 'pod1', dst: '172.17.3.2', size: 3000 });
    const rtr = t.hops.find((h) => h.namespace === 'rtr' && h.leg === 'request')!;
    expect(rtr.title).toBe(
      'rtr routes 172.17.3.2 via eth1 and splits its 3 fragments into 5 (mtu 1400 on eth1)',
    );
    expect(geometry(rtr)).toEqual(['1396@0+', '124@1376+', '1396@1480+', '124@2856+', '68@2960']);
    const deliver = t.hops.find((h) => h.leg === 'request' && h.action === 'deliver')!;
    expect(deliver.changes).toEqual(['reassembled from 5 fragments (ip_defrag)']);
    expect(t.verdict.ok).toBe(true);
  });

  it('a UDP datagram (nc -u, no DF) is fragmented too; the port unreachable quotes the reassembled header', () => {
    const t = send(net('seed', { datapath: 'direct' }), {
      from: 'pod1a',
      dst: '172.17.2.2',
      protocol: 'udp',
      dport: 9999,
      size: 3000,
    });
    expect(t.hops[0]!.fragments).toBe(3);
    expect(t.verdict.text).toBe(
      'nc: connect to 172.17.2.2 port 9999 (udp) failed: Connection refused',
    );
  });
});
