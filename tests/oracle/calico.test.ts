import { describe, expect, it } from 'vitest';
import {
  buildNetwork,
  example,
  parseIp,
  printAddrBrief,
  printLinkBrief,
  printRouteGet,
  printRoutes,
  tcpdumpBrief,
  tcpdumpIpVerbose,
  trace,
  traceroute,
  tracerouteHopLines,
  type CniName,
  type Network,
  type Packet,
} from '../../src/engine/index';
import { newShellSession, runShell } from '../../src/engine/shell/index';
import {
  calicoFiles,
  fromLab,
  maskTimes,
  readCalicoBlocks,
  type CalicoBlock,
  type Command,
  type Section,
} from './calicoReference';

const blocks: CalicoBlock[] = calicoFiles().flatMap(readCalicoBlocks);

const cniOf = (b: CalicoBlock) => `calico-${b.mode}` as CniName;

function seedNetwork(b: CalicoBlock): Network {
  const built = buildNetwork(example('seed', { cni: cniOf(b) }));
  if (!built.ok) throw new Error(built.problems.map((p) => p.text).join('\n'));
  return built.network;
}

const ip = (text: string) => {
  const r = parseIp(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

/** The lab masked each MAC it did not fix as `<mac:namespace/device>`: the engine's, named so. */
function macNames(net: Network): (line: string) => string {
  const names = new Map<string, string>();
  for (const n of net.namespaceNames)
    for (const d of net.namespace(n)?.devices ?? [])
      if (d.mac !== 'ee:ee:ee:ee:ee:ee' && d.mac !== '00:00:00:00:00:00' && !names.has(d.mac))
        names.set(d.mac, `<mac:${n}/${d.name}>`);
  return (line) => line.replace(/\b([0-9a-f]{2}:){5}[0-9a-f]{2}\b/g, (m) => names.get(m) ?? m);
}

/**
 * The lab's nodes were network namespaces on a veth to the fabric (`eth0@if3`); podhop's
 * node has a NIC (`eth0`). Everything after the name is the kernel's either way.
 */
const labNodeNic = (ns: string, line: string) =>
  ns.startsWith('node') ? line.replace(/^eth0@if\d+ +/, 'eth0'.padEnd(17)) : line;

const lines = (text: string) => text.split('\n').map((l) => l.trimEnd());

/** `ping …` in the pod's terminal, as the lab printed it (no blank lines, times masked). */
function shellOutput(net: Network, c: Command): string[] {
  const r = runShell({ net, session: newShellSession(c.ns) }, c.command);
  const out = lines(r.output)
    .filter((l) => l !== '')
    .map(maskTimes);
  return c.output.at(-1)?.startsWith('(exit ') ? [...out, `(exit ${r.status ?? 0})`] : out;
}

/** The frames on node1's link while the probe runs: `tcpdump -nn -c 2 -i node1` (and -v). */
function capture(net: Network, from: string, dst: string, verbose: boolean): string[] {
  const t = trace(net, { from, dst, protocol: 'icmp' });
  if (!t.ok) throw new Error(t.error.text);
  const node1 = net.namespace('node1')!.devices.find((d) => d.name === 'eth0')!.mac;
  const frames: Packet[] = [];
  for (const h of t.value.hops) {
    const f = h.wire?.frame;
    const eth = f?.[0];
    if (!h.wire || net.segment(h.wire.segment)?.kind !== 'underlay' || eth?.kind !== 'eth')
      continue;
    if (eth.src === node1 || eth.dst === node1) frames.push(f!.slice(1));
  }
  // the engine prints -vv; the lab ran -v, and udp_print checks a UDP checksum only at -vv
  return frames
    .slice(0, 2)
    .flatMap((f) => lines(verbose ? tcpdumpIpVerbose(f) : tcpdumpBrief(f)))
    .map((l) => l.replace(/\[(udp sum ok|bad udp cksum [^\]]*)\] /, ''))
    .map(maskTimes);
}

function tcpdumpChecks(
  net: Network,
  s: Section,
): { label: string; got: string[]; want: string[] }[] {
  let last: { from: string; dst: string } | undefined;
  return s.commands.map((c) => {
    const m = c.command.match(/ while \((\S+)\) ping -c1 -W1 (\S+)$/);
    if (m) last = { from: m[1]!, dst: m[2]! };
    if (!last) throw new Error(`no probe for "${c.command}"`);
    const verbose = c.command.startsWith('the same with -v');
    return {
      label: `${c.command}`,
      got: capture(net, last.from, last.dst, verbose),
      want: c.output.map(maskTimes),
    };
  });
}

/** What the engine does not model yet (issue 9): each named, none silently skipped. */
const NOT_MODELLED: readonly RegExp[] = [
  /^ARP seen on /,
  /^ip -4 neigh \(\S+\), after the pod-to-pod pings/,
  /^ip -d link show /,
  /^ip neigh show dev /,
  /^bridge fdb show dev /,
  /^the same with pod1a's veth pair at MTU 1500/,
];

/** The sections the engine is not held against yet; the last test names them all. */
const unmodelled: string[] = [];

function checkSection(b: CalicoBlock, s: Section) {
  const h = s.header;
  let m: RegExpMatchArray | null;
  if ((m = h.match(/^host veth names: (.*?) \(/))) {
    const want = m[1]!;
    it(h, () => {
      const net = seedNetwork(b);
      const got = want
        .split(' ')
        .map((kv) => kv.split('=')[0]!)
        .map(
          (pod) =>
            `${pod}=${net.namespace(pod)!.devices.find((d) => d.name === 'eth0')!.peer!.device}`,
        )
        .join(' ');
      expect(got).toBe(want);
    });
  } else if ((m = h.match(/^ip route \((\S+)\)$/))) {
    const ns = m[1]!;
    it(h, () =>
      expect(lines(printRoutes(seedNetwork(b).namespace(ns)!))).toEqual(s.body.map(fromLab)),
    );
  } else if ((m = h.match(/^ip -br addr \((\S+)\)$/))) {
    const ns = m[1]!;
    it(h, () =>
      expect(lines(printAddrBrief(seedNetwork(b).namespace(ns)!)).map(maskTimes)).toEqual(
        s.body.map((l) => labNodeNic(ns, maskTimes(l))).map((l) => l.trimEnd()),
      ),
    );
  } else if ((m = h.match(/^ip -br link \((\S+)\)$/))) {
    const ns = m[1]!;
    it(h, () => {
      const net = seedNetwork(b);
      expect(lines(printLinkBrief(net.namespace(ns)!)).map(macNames(net))).toEqual(
        s.body.map((l) => labNodeNic(ns, l).trimEnd()),
      );
    });
  } else if ((m = h.match(/^sysctls on (\S+) \((\S+)\): (.*)$/))) {
    const [, dev, ns, want] = m as unknown as [string, string, string, string];
    it(h, () => {
      const n = seedNetwork(b).namespace(ns)!;
      const d = n.devices.find((x) => x.name === dev)!;
      const x = d.sysctls ?? {};
      const got = `proxy_arp=${x.proxyArp ? 1 : 0} rp_filter=${x.rpFilter ?? 0} route_localnet=${x.routeLocalnet ? 1 : 0} forwarding=${n.ipForward ? 1 : 0} proxy_delay=${x.proxyDelay ?? 80}`;
      expect(got).toBe(want.trim());
    });
  } else if ((m = h.match(/^traceroute (\S+) -> (\S+)$/))) {
    const [, from, dst] = m as unknown as [string, string, string];
    it(h, () => {
      const r = traceroute(seedNetwork(b), from, dst);
      if (!r.ok) throw new Error(r.error.text);
      // the lab ran traceroute -m 6; its times are masked
      const want = s.body.map((l) => l.replace(/ {2}<t> ms$/, '').trimEnd());
      expect(
        tracerouteHopLines(r.value)
          .slice(0, want.length)
          .map((l) => l.trimEnd()),
      ).toEqual(want);
    });
  } else if ((m = h.match(/^(\S+): ip route get (\S+) from (\S+) iif (\S+)$/))) {
    const [, ns, dst, from, iif] = m as unknown as [string, string, string, string, string];
    it(h, () =>
      expect(
        lines(printRouteGet(seedNetwork(b).namespace(ns)!, ip(dst), { from: ip(from), iif })),
      ).toEqual(s.body.map((l) => l.trimEnd())),
    );
  } else if (h === 'full ping output' || h.startsWith('DF pings at the MTU edge')) {
    for (const c of s.commands)
      it(`${h}: (${c.ns}) ${c.command}`, () =>
        expect(shellOutput(seedNetwork(b), c)).toEqual(c.output.map((l) => l.trimEnd())));
  } else if (h.startsWith('tcpdump on the underlay')) {
    it(h, () => {
      for (const c of tcpdumpChecks(seedNetwork(b), s)) expect(c.got, c.label).toEqual(c.want);
    });
  } else if (NOT_MODELLED.some((r) => r.test(h))) {
    unmodelled.push(`${b.mode}: ${h}`);
  } else throw new Error(`${b.file}: unknown section "${h}"`);
}

describe('the seed cluster under Calico prints what the lab kernel printed', () => {
  it('reads the three modes', () =>
    expect(blocks.map((b) => b.mode).sort()).toEqual(['bgp', 'ipip', 'vxlan']));
  for (const b of blocks) {
    describe(`${b.file}: cni ${cniOf(b)}`, () => {
      for (const p of b.pings)
        it(`ping ${p.from} -> ${p.dst}: ${p.ok ? 'ok' : 'FAIL'}`, () => {
          const t = trace(seedNetwork(b), { from: p.from, dst: p.dst, protocol: 'icmp' });
          if (!t.ok) throw new Error(t.error.text);
          expect(t.value.verdict.ok).toBe(p.ok);
        });
      for (const s of b.sections) checkSection(b, s);
    });
  }
});

/**
 * Not modelled yet: the ARP exchanges and neighbour entries traffic makes (issue 10), the
 * lab's tunnel-device details, and a pod MTU other than the CNI's.
 */
const UNMODELLED_TODAY = [
  "bgp: ARP seen on node1's calica87c8a6361 (pod1a's host veth) since pod1a's first packet",
  'bgp: ip -4 neigh (node1), after the pod-to-pod pings, sorted',
  'bgp: ip -4 neigh (pod1a), after the pod-to-pod pings, sorted',
  'ipip: ip -d link show tunl0 (node1), first 3 lines',
  "ipip: ARP seen on node1's calica87c8a6361 (pod1a's host veth) since pod1a's first packet",
  'ipip: ip -4 neigh (node1), after the pod-to-pod pings, sorted',
  'ipip: ip -4 neigh (pod1a), after the pod-to-pod pings, sorted',
  "ipip: the same with pod1a's veth pair at MTU 1500 (not Calico's setting): the error comes from node1",
  'vxlan: ip -d link show vxlan.calico (node1), first 3 lines',
  'vxlan: ip neigh show dev vxlan.calico (node1)',
  'vxlan: bridge fdb show dev vxlan.calico (node1)',
  "vxlan: ARP seen on node1's calica87c8a6361 (pod1a's host veth) since pod1a's first packet",
  'vxlan: ip -4 neigh (node1), after the pod-to-pod pings, sorted',
  'vxlan: ip -4 neigh (pod1a), after the pod-to-pod pings, sorted',
  "vxlan: the same with pod1a's veth pair at MTU 1500 (not Calico's setting): the error comes from node1",
];

describe('what the Calico references hold that podhop does not model yet', () => {
  // a section newly modelled (or newly in a reference) fails here until it gets its own check
  it('is exactly these sections', () => expect(unmodelled).toEqual(UNMODELLED_TODAY));
});
