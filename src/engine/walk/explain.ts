/**
 * One plain sentence per hop: what happened and why, for a learner who does not
 * read `ip route` yet. It is read off the hop's structured data only (action,
 * namespace, devices, the table lines consulted, the headers, the drop's kind)
 * and the hops around it, never off a scenario: every action the walk emits
 * gets a sentence (an exhaustive switch).
 */
import { ruleComment } from '../network/iptablesRule';
import { parseSegment } from '../scenario/ids';
import type { Consulted, Hop } from './hop';
import { tunnelOf, type Ipv4Layer, type Packet } from './packet';

/** A route line as `ip route` prints it, taken apart: `[type] dst [via G] [dev D] …`. */
interface RouteWords {
  readonly type?: string;
  readonly dst: string;
  readonly via?: string;
  readonly dev?: string;
}

const ROUTE_TYPES = new Set([
  'local',
  'broadcast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
]);

function routeWords(line: string): RouteWords {
  const w = line.trim().split(/\s+/);
  const type = ROUTE_TYPES.has(w[0] ?? '') ? w.shift() : undefined;
  const after = (key: string) => {
    const i = w.indexOf(key);
    return i >= 0 ? w[i + 1] : undefined;
  };
  const via = after('via');
  const dev = after('dev');
  return {
    dst: w[0] ?? '',
    ...(type ? { type } : {}),
    ...(via ? { via } : {}),
    ...(dev ? { dev } : {}),
  };
}

const routeOf = (h: Hop | undefined): RouteWords | undefined => {
  const c = h?.consulted.find((x) => x.table === 'route' || x.table === 'local');
  return c ? routeWords(c.line) : undefined;
};

const consulted = (h: Hop, table: Consulted['table']) =>
  h.consulted.filter((c) => c.table === table).map((c) => c.line.trim());

/** The innermost IPv4 header: the packet a tunnel carries, else the packet itself. */
function innerIp(p: Packet): Ipv4Layer | undefined {
  const rest = p.slice(tunnelOf(p)?.inner ?? 0);
  return rest.find((l): l is Ipv4Layer => l.kind === 'ipv4');
}

const firstIp = (p: Packet): Ipv4Layer | undefined =>
  p.find((l): l is Ipv4Layer => l.kind === 'ipv4');

function ports(p: Packet): { sport?: number; dport?: number } {
  const rest = p.slice(tunnelOf(p)?.inner ?? 0);
  const l4 = rest.find((l) => l.kind === 'tcp' || l.kind === 'udp');
  return l4 && (l4.kind === 'tcp' || l4.kind === 'udp') ? { sport: l4.sport, dport: l4.dport } : {};
}

/** "the packet", "the reply", "the ICMP error": what this leg carries. */
const what = (h: Hop) =>
  h.leg === 'reply' ? 'the reply' : h.leg === 'error' ? 'the ICMP error' : 'the packet';

/** How a route sends a packet on: "the 172.17.2.0/24 route sends it out flannel.1 via 172.17.2.0". */
function routeSends(r: RouteWords): string {
  const out = r.dev ? ` out ${r.dev}` : '';
  if (r.dst === 'default')
    return `its default route (for everything with no more specific route) sends it${out}${r.via ? ` via ${r.via}` : ''}`;
  if (r.via) return `the ${r.dst} route sends it${out} via ${r.via}`;
  if (!r.dst.includes('/')) return `the host route for ${r.dst} sends it straight${out}`;
  return `the ${r.dst} route says that network is on ${r.dev ?? 'the device'}'s own link, so it goes straight${out}`;
}

/** Later hops of the same leg, for the name of whoever the packet reaches. */
function later(hops: readonly Hop[], i: number, pick: (h: Hop) => boolean): Hop | undefined {
  const leg = hops[i]?.leg;
  for (let j = i + 1; j < hops.length && hops[j]?.leg === leg; j++) {
    const h = hops[j];
    if (h && pick(h)) return h;
  }
  return undefined;
}

/** The route (in this namespace, just before) that pointed the packet at a device. */
function routeInto(
  hops: readonly Hop[],
  i: number,
  dev: string | undefined,
): RouteWords | undefined {
  const h = hops[i];
  for (let j = i - 1; j >= 0; j--) {
    const p = hops[j];
    if (!p || !h || p.leg !== h.leg || p.namespace !== h.namespace) return undefined;
    const r = p.devOut === dev ? routeOf(p) : undefined;
    if (r) return r;
  }
  return undefined;
}

function sendSentence(hops: readonly Hop[], i: number, h: Hop): string {
  const tunnel = tunnelOf(h.headers);
  const ip = firstIp(h.headers);
  const r = routeOf(h);
  const why = r ? `, because ${routeSends(r)}` : '';
  const pieces = h.fragments ? ` in ${h.fragments} fragments` : '';
  if (tunnel && ip) {
    const peer = later(hops, i, (x) => x.action === 'decapsulate')?.namespace;
    return `${h.namespace} sends the ${tunnel.kind} packet to ${peer ? `${peer} (${ip.dst.text})` : ip.dst.text} out ${h.devOut ?? 'its device'} as its own packet from ${ip.src.text}${pieces}${why}.`;
  }
  const dst = ip?.dst.text ?? 'its destination';
  return `${h.namespace} sends ${what(h)} for ${dst} out ${h.devOut ?? 'its device'}${pieces}${why}.`;
}

function forwardSentence(h: Hop): string {
  const ip = firstIp(h.headers);
  const dst = ip?.dst.text ?? 'the destination';
  const r = routeOf(h);
  const ttl = ip ? `; forwarding takes the TTL from ${ip.ttl + 1} to ${ip.ttl}` : '';
  const lookup = r ? `, and ${routeSends(r)}` : '';
  return `${h.namespace} gets ${what(h)} for ${dst}${h.devIn ? ` on ${h.devIn}` : ''}, which is not its own address, so it routes it: it looks ${dst} up in its routing table${lookup}${ttl}.`;
}

function bridgeSentence(h: Hop): string {
  const mac = consulted(h, 'fdb')[0]?.split(/\s+/)[0];
  const ttl = innerIp(h.headers)?.ttl;
  return `${h.namespace}'s cni0 bridge switches the frame from ${h.devIn ?? 'one port'} to ${h.devOut ?? 'another'}, because its forwarding table (bridge fdb) has ${mac ? `the destination MAC ${mac}` : 'the destination MAC'} behind that port: nothing is routed${ttl !== undefined ? `, the TTL stays ${ttl}` : ''}.`;
}

function encapSentence(hops: readonly Hop[], i: number, h: Hop): string {
  const tunnel = tunnelOf(h.headers);
  const outer = firstIp(h.headers);
  const inner = innerIp(h.headers);
  const peer = later(hops, i, (x) => x.action === 'decapsulate')?.namespace;
  const r = routeInto(hops, i, h.devIn);
  const because = r
    ? `, because the route to ${r.dst} points at ${h.devIn ?? 'the tunnel'}`
    : h.devIn
      ? `, because the route it took points at ${h.devIn}`
      : '';
  const to = outer ? outer.dst.text : 'the other node';
  const udp = h.headers.find((l) => l.kind === 'udp');
  const port = tunnel?.kind === 'VXLAN' && udp?.kind === 'udp' ? `:${udp.dport}` : '';
  const who = peer ? `${peer} (${to}${port})` : `${to}${port}`;
  const innerFor = inner ? `the packet for ${inner.dst.text}` : 'the packet';
  if (tunnel?.kind === 'VXLAN')
    return `${h.namespace} wraps ${innerFor} in UDP to ${who}${because}, a VXLAN device whose neighbour and FDB entries lead to ${peer ?? to}; the inner packet rides inside unchanged.`;
  return `${h.namespace} wraps ${innerFor} in a second IPv4 header (IP protocol 4) to ${who}${because}; the inner packet rides inside unchanged.`;
}

function decapSentence(hops: readonly Hop[], i: number, h: Hop): string {
  const before = hops[i - 1];
  const arrived = h.reassembledFrom ?? before?.headers;
  const tunnel = arrived ? tunnelOf(arrived) : undefined;
  const outer = arrived ? firstIp(arrived) : undefined;
  const inner = innerIp(h.headers);
  const kind = tunnel?.kind === 'IPIP' ? 'an IPIP' : tunnel ? `a ${tunnel.kind}` : 'a tunnelled';
  return `${h.namespace} receives ${kind} packet${outer ? ` addressed to its own ${outer.dst.text}` : ''}${h.devIn ? ` on ${h.devIn}` : ''}; ${h.devOut ?? 'its tunnel device'} takes it, strips the outer headers and passes on the packet inside${inner ? ` (for ${inner.dst.text})` : ''} as if it had arrived on ${h.devOut ?? 'that device'}.`;
}

/** `src=… dst=… sport=… dport=…` of a conntrack line: the original direction, then the reply. */
function conntrackTuples(h: Hop): { dst?: string; dport?: string; replySrc?: string }[] {
  const line = consulted(h, 'conntrack')[0] ?? '';
  const halves = line.split(/(?=\bsrc=)/).filter((s) => s.startsWith('src='));
  return halves.map((s) => {
    const m = (k: string) => new RegExp(`\\b${k}=(\\S+)`).exec(s)?.[1];
    const dst = m('dst');
    const dport = m('dport');
    const src = m('src');
    return {
      ...(dst ? { dst } : {}),
      ...(dport ? { dport } : {}),
      ...(src ? { replySrc: src } : {}),
    };
  });
}

/** The Service kube-proxy's comment names: `--comment "default/web:http cluster IP"`. */
function serviceName(h: Hop): string | undefined {
  for (const line of consulted(h, 'nat')) {
    const m = /--comment "([^"]+) cluster IP"/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

function dnatSentence(h: Hop): string {
  const [orig] = conntrackTuples(h);
  const ip = firstIp(h.headers);
  const { dport } = ports(h.headers);
  const before = orig?.dst
    ? `${orig.dst}${orig.dport ? `:${orig.dport}` : ''}`
    : 'the Service address';
  const after = ip ? `${ip.dst.text}${dport !== undefined ? `:${dport}` : ''}` : 'an endpoint';
  const svc = serviceName(h);
  return `${h.namespace}'s kube-proxy rules (iptables nat) catch the new connection to ${svc ? `Service ${svc} at ` : ''}${before}, which no device owns, and rewrite its destination to the endpoint ${after}; conntrack remembers it so the reply can be rewritten back.`;
}

function undnatSentence(h: Hop): string {
  const [, reply] = conntrackTuples(h);
  const ip = firstIp(h.headers);
  return `${h.namespace}'s conntrack knows this reply belongs to a connection it DNATed, so it rewrites the source${reply?.replySrc ? ` from the endpoint ${reply.replySrc}` : ''} back to ${ip?.src.text ?? 'the Service address'}: the client sees an answer from the address it connected to.`;
}

function snatSentence(hops: readonly Hop[], i: number, h: Hop): string {
  const prev = hops[i - 1];
  const was = prev && prev.namespace === h.namespace ? firstIp(prev.headers)?.src.text : undefined;
  const now = firstIp(h.headers)?.src.text;
  return `${h.namespace} masquerades ${what(h)}: a nat POSTROUTING rule (MASQUERADE) rewrites its source${was ? ` ${was}` : ''} to ${h.namespace}'s own address${now ? ` ${now}` : ''} on ${h.devOut ?? 'the way out'}, so the answer comes back to ${h.namespace}, whose conntrack undoes it.`;
}

function deliverSentence(h: Hop): string {
  const ip = firstIp(h.headers);
  const dst = ip?.dst.text ?? 'its address';
  const src = ip?.src.text ?? 'the other end';
  if (h.devIn === 'lo' || h.devOut === 'lo')
    return `${h.namespace} itself owns ${dst}, so ${what(h)} never leaves it: the kernel loops it back over lo and delivers it there.`;
  const local = consulted(h, 'local')[0];
  if (local && routeWords(local).type === 'broadcast')
    return `${h.namespace} takes ${what(h)} for ${dst} in as a broadcast of its subnet (table local says so); a broadcast is delivered, never forwarded.`;
  const on = h.devIn ? ` on ${h.devIn}` : '';
  if (h.leg === 'error')
    return `${h.namespace} gets back an ICMP error from ${src}${on} about the packet it sent, and hands it to the socket that sent it.`;
  if (h.leg === 'reply')
    return `${h.namespace} receives the reply from ${src}${on}: ${dst} is its own address, so the socket that sent the request gets the answer.`;
  return `${h.namespace} owns ${dst} (its local table lists it), so ${what(h)} that arrived${on} is taken in, not routed on: it has reached its destination.`;
}

/** Why a drop happened, from what the kernel does about it and the lines it consulted. */
function dropSentence(h: Hop): string {
  const ns = h.namespace;
  const ip = firstIp(h.headers);
  const dst = ip?.dst.text ?? 'its destination';
  const sysctl = consulted(h, 'sysctl');
  const route = routeOf(h);
  const seg = parseSegment(h.segment);
  if (h.segment)
    return `The cloud network of ${seg?.kind === 'subnet' ? seg.subnet : h.segment} drops what ${ns} sent (${ip ? `${ip.src.text} → ${ip.dst.text}` : 'the packet'}): its source/destination check lets a machine send and receive only for its own address, and a pod's address is not one — encapsulation or turning the check off gets it through.`;
  if (consulted(h, 'link').some((l) => l.includes('hairpin off')))
    return `${ns}'s bridge would have to send the frame back out ${h.devOut ?? 'the port'} it came in on — the pod reached itself through its own Service (hairpin) — and a bridge does that only for a port in hairpin mode, which is off here: the connection times out.`;
  const filter = consulted(h, 'filter');
  if (filter.length > 0) {
    const rule = filter.at(-1) ?? '';
    const why = ruleComment(rule);
    if (rule.endsWith('-j DROP'))
      return why?.endsWith('has no local endpoints')
        ? `${ns} drops the connection to ${dst} without a word: the Service's traffic policy is Local and no endpoint runs on ${ns}, so kube-proxy's filter rule (${why}) throws it away and the client times out.`
        : `${ns} drops the connection to ${dst} without a word: kube-proxy's filter rule${why ? ` (${why})` : ''} throws it away and the client times out.`;
    return `${ns} rejects the connection to ${dst}: the Service has no ready endpoints, so kube-proxy's filter rule refuses it and answers "port unreachable".`;
  }
  if (sysctl.some((l) => l.startsWith('net.ipv4.ip_forward')))
    return `${ns} is not a router (net.ipv4.ip_forward = 0), so a packet for ${dst}, which is not its own address, is thrown away.`;
  if (sysctl.some((l) => l.startsWith('net.ipv4.icmp_echo_ignore_broadcasts')))
    return `${ns} ignores a ping sent to the broadcast address ${dst}, as Linux does by default (net.ipv4.icmp_echo_ignore_broadcasts = 1).`;
  if (route?.type === 'blackhole')
    return `${ns}'s route for ${dst} is a blackhole route (${route.dst}), which exists to discard packets: nobody is told.`;
  const drop = h.drop;
  const big = `${ip ? ` (${ip.length} bytes, Don't Fragment set)` : ''}`;
  switch (drop?.kind) {
    case 'localNoRoute':
      return `${ns} has no route to ${dst} at all — not even a default route — so ${what(h)} cannot be sent: "Network is unreachable".`;
    case 'localMsgSize':
      return `${what(h)}${big} is larger than ${h.devOut ?? 'the device'}'s MTU of ${drop.mtu}, so ${ns} refuses to send it and tells the program the message is too long.`;
    case 'icmp':
      switch (drop.icmp) {
        case 'net':
          return `${ns} has no route to ${dst}, so it drops ${what(h)}${h.leg === 'error' ? ' (an ICMP error never answers an ICMP error)' : ' and answers the sender with "network unreachable"'}.`;
        case 'host': {
          const neigh = consulted(h, 'neigh')[0]?.split(/\s+/)[0];
          return `${ns} asks on ${h.devOut ?? 'its link'} who has ${neigh ?? dst} (ARP) and nobody answers, so the frame has nowhere to go: the sender hears "host unreachable".`;
        }
        case 'port':
          return `${ns} refuses ${what(h)} for ${dst} and answers "port unreachable".`;
        case 'fragNeeded':
          return `${what(h)}${big} is too big for ${h.devOut ?? 'the next link'} (MTU ${drop.mtu ?? '?'}), so ${ns} drops it and tells the sender to send smaller packets ("fragmentation needed").`;
        case 'timeExceeded':
          return `${what(h)} reaches ${ns} with TTL ${ip?.ttl ?? 1}: forwarding it would take the TTL to 0, so ${ns} drops it and answers "time exceeded" — this is how traceroute learns each hop.`;
      }
      break;
    case 'silent':
    case undefined:
      break;
  }
  return `${ns} drops ${what(h)}${h.reason ? `: ${h.reason}` : ''}.`;
}

/** The plain sentence of hop `i` of a walk (its neighbours name the peer and the route it took). */
export function explainHop(hops: readonly Hop[], i: number): string {
  const h = hops[i];
  if (!h) return '';
  const s = sentence(hops, i, h);
  // a sentence may open on "the packet …"; a namespace's name keeps its case
  return s.startsWith('the ') ? `T${s.slice(1)}` : s;
}

function sentence(hops: readonly Hop[], i: number, h: Hop): string {
  switch (h.action) {
    case 'send':
      return sendSentence(hops, i, h);
    case 'forward':
      return forwardSentence(h);
    case 'bridge':
      return bridgeSentence(h);
    case 'encapsulate':
      return encapSentence(hops, i, h);
    case 'decapsulate':
      return decapSentence(hops, i, h);
    case 'dnat':
      return dnatSentence(h);
    case 'undnat':
      return undnatSentence(h);
    case 'snat':
      return snatSentence(hops, i, h);
    case 'deliver':
      return deliverSentence(h);
    case 'drop':
      return dropSentence(h);
  }
}
