import { describe, expect, it } from 'vitest';
import { outerIp, traceroute, tracerouteHopLines, type Hop } from '../../src/engine/index';

import { exampleNetwork, path, send } from './helpers';

const net = exampleNetwork;

const hop = (hops: readonly Hop[], ns: string, action: Hop['action'], leg = 'request') =>
  hops.find((h) => h.namespace === ns && h.action === action && h.leg === leg)!;

/** The IP headers of a hop, outer first: `src > dst proto ttl df`. */
const ipStack = (h: Hop) =>
  h.headers.flatMap((l) =>
    l.kind === 'ipv4' ? [`${l.src.text} > ${l.dst.text} ${l.proto} ttl ${l.ttl} df ${l.df}`] : [],
  );

describe('IPIP: tunl0 wraps IPv4 in IPv4 (protocol 4) to the onlink gateway', () => {
  const seed = () => net('seed', { cni: 'calico-ipip' });

  it('encapsulates on node1, decapsulates on node2, and routes the inner packet on', () => {
    const t = send(seed(), { from: 'pod1a', dst: '172.17.2.2' });
    expect(path(t.hops)).toEqual([
      'pod1a:send',
      'node1:forward',
      'node1:encapsulate',
      'node1:send',
      'node2:decapsulate',
      'node2:forward',
      'pod2a:deliver',
    ]);
    expect(t.verdict).toEqual({ ok: true, text: '64 bytes from 172.17.2.2: icmp_seq=1 ttl=62' });
    const enc = hop(t.hops, 'node1', 'encapsulate');
    expect(enc).toMatchObject({ devIn: 'tunl0', devOut: 'eth0' });
    // ip_tunnel_xmit: outer from the node to the route's gateway, TTL inherited, DF copied
    expect(ipStack(enc)).toEqual([
      '10.100.0.2 > 10.100.0.3 ipip ttl 63 df true',
      '172.17.1.2 > 172.17.2.2 icmp ttl 63 df true',
    ]);
    expect(outerIp(enc.headers).length).toBe(outerIp(enc.headers.slice(1)).length + 20);
    // no Ethernet header inside the tunnel
    expect(enc.headers.map((l) => l.kind)).toEqual(['ipv4', 'ipv4', 'icmp']);
    const dec = hop(t.hops, 'node2', 'decapsulate');
    expect(dec).toMatchObject({ devIn: 'eth0', devOut: 'tunl0' });
    expect(ipStack(dec)).toEqual(['172.17.1.2 > 172.17.2.2 icmp ttl 63 df true']);
    expect(hop(t.hops, 'node2', 'forward').devIn).toBe('tunl0');
  });

  it('puts only the outer addresses on the wire: node to node', () => {
    const t = send(seed(), { from: 'pod1a', dst: '172.17.2.2' });
    const wire = t.hops.find(
      (h) => h.wire && h.wire.frame[1]?.kind === 'ipv4' && h.wire.frame[2]?.kind === 'ipv4',
    )!;
    expect(wire.wire!.segment).toBe('subnet:vpc-subnet');
    expect(wire.wire!.frame[0]).toMatchObject({ kind: 'eth' });
  });

  it('answers a reply from a node address through the tunnel: asymmetric, as the lab saw it', () => {
    const t = send(seed(), { from: 'pod1a', dst: '10.100.0.3' });
    // the request leaves plain over eth0; node2's reply to 172.17.1.2 takes tunl0
    expect(path(t.hops)).toEqual(['pod1a:send', 'node1:forward', 'node2:deliver']);
    expect(path(t.hops, 'reply')).toContain('node2:encapsulate');
    expect(ipStack(hop(t.hops, 'node2', 'encapsulate', 'reply'))).toEqual([
      '10.100.0.3 > 10.100.0.2 ipip ttl 64 df false',
      '10.100.0.3 > 172.17.1.2 icmp ttl 64 df false',
    ]);
  });

  it('a node speaks to a peer pod from its tunl0 address', () => {
    const t = send(seed(), { from: 'node1', dst: '172.17.2.2' });
    expect(ipStack(hop(t.hops, 'node1', 'encapsulate'))).toEqual([
      '10.100.0.2 > 10.100.0.3 ipip ttl 64 df true',
      '172.17.1.0 > 172.17.2.2 icmp ttl 64 df true',
    ]);
    expect(t.verdict.ok).toBe(true);
  });

  it('passes the cloud source/destination check (the outer header is the nodes’); BGP does not', () => {
    expect(
      send(net('seed', { cni: 'calico-ipip', srcCheck: true }), {
        from: 'pod1a',
        dst: '172.17.2.2',
      }).verdict.ok,
    ).toBe(true);
    const bgp = send(net('seed', { cni: 'calico-bgp', srcCheck: true }), {
      from: 'pod1a',
      dst: '172.17.2.2',
    });
    expect(bgp.verdict.ok).toBe(false);
    expect(bgp.hops.at(-1)!.reason).toContain('sent a packet from 172.17.1.2');
  });

  it('refuses a DF packet over tunl0’s MTU (1480) where the pod MTU lets it through', () => {
    // node1 itself has no pod veth in front of tunl0: its own DF ping meets tunl0's 1480
    const t = send(seed(), { from: 'node1', dst: '172.17.2.2', size: 1453, df: true });
    expect(t.verdict.ok).toBe(false);
    expect(t.verdict.text).toContain('mtu=1480');
  });

  it('fragments a datagram without DF at 1480 and sends each fragment in an IPIP packet of its own', () => {
    const t = send(seed(), {
      from: 'pod1a',
      dst: '172.17.2.2',
      protocol: 'udp',
      dport: 53,
      size: 1472,
      df: false,
    });
    const enc = hop(t.hops, 'node1', 'encapsulate');
    expect(enc.fragments).toBeGreaterThan(1);
    expect(outerIp(enc.headers).length).toBeLessThanOrEqual(1500);
    expect(enc.changes.join(' ')).toContain('travels in an IPIP packet of its own');
  });
});

describe('IPIP CrossSubnet: encapsulation only to the other subnet', () => {
  const xs = () => net('seed-xsubnet', { cni: 'calico-ipip-crosssubnet' });

  it('goes plain to a peer on the same subnet', () => {
    const t = send(xs(), { from: 'pod1a', dst: '172.17.2.2' });
    expect(path(t.hops)).not.toContain('node1:encapsulate');
    expect(t.verdict.ok).toBe(true);
  });

  it('tunnels across the router: the router sees only the outer header, the inner TTL is kept', () => {
    const t = send(xs(), { from: 'pod1a', dst: '172.17.3.2' });
    expect(path(t.hops)).toEqual([
      'pod1a:send',
      'node1:forward',
      'node1:encapsulate',
      'node1:send',
      'rtr:forward',
      'node3:decapsulate',
      'node3:forward',
      'pod3a:deliver',
    ]);
    expect(ipStack(hop(t.hops, 'rtr', 'forward'))).toEqual([
      '10.100.0.2 > 10.100.1.2 ipip ttl 62 df true',
      '172.17.1.2 > 172.17.3.2 icmp ttl 63 df true',
    ]);
    expect(ipStack(hop(t.hops, 'node3', 'decapsulate'))).toEqual([
      '172.17.1.2 > 172.17.3.2 icmp ttl 63 df true',
    ]);
  });

  it('traceroute: the router spends a hop it cannot report (ttl inherit), node3 spends none', () => {
    // the outer TTL is the inner's, so the router's time exceeded goes to node1 (the outer
    // source), and ipip_err relays nothing to the inner sender for a tunnel with no remote;
    // one hop further the router leaves outer TTL 1, node3 decapsulates the inner TTL 2 and
    // delivers it as 1: node3's own hop is never asked for
    const r = traceroute(xs(), 'pod1a', '172.17.3.2');
    if (!r.ok) throw new Error(r.error.text);
    expect(
      tracerouteHopLines(r.value)
        .slice(0, 3)
        .map((l) => l.replace(/ {2}[\d.]+ ms.*$/, '').trimEnd()),
    ).toEqual([' 1  10.100.0.2', ' 2  *', ' 3  172.17.3.2']);
    const lost = send(xs(), { from: 'pod1a', dst: '172.17.3.2', ttl: 2 });
    expect(lost.hops.find((h) => h.action === 'drop')).toMatchObject({
      namespace: 'rtr',
      reason: 'Time to live exceeded',
    });
    expect(lost.hops.at(-1)).toMatchObject({ namespace: 'node1', action: 'deliver', leg: 'error' });
  });
});
