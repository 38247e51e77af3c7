import {
  fragmentNote,
  type Consulted,
  type Hop,
  type HopAction,
  type Layer,
  type Packet,
  parseSegment,
  tunnelOf,
} from '../../engine/index';

/** The verdict tag of a hop, in the past tense a learner reads on the card. */
export const ACTION_TAG: Record<HopAction, string> = {
  send: 'sent',
  forward: 'forwarded',
  bridge: 'bridged',
  encapsulate: 'encapsulated',
  decapsulate: 'decapsulated',
  dnat: 'DNAT',
  undnat: 'un-DNAT',
  snat: 'SNAT',
  deliver: 'delivered',
  drop: 'dropped',
};

/** Where a consulted line comes from, named by the command that prints that table. */
export const TABLE_NAME: Record<Consulted['table'], string> = {
  route: 'ip route',
  local: 'ip route show table local',
  neigh: 'ip neigh',
  fdb: 'bridge fdb',
  cloud: 'cloud fabric rule',
  sysctl: 'sysctl',
  nat: 'iptables -t nat -S',
  filter: 'iptables -S',
  conntrack: 'conntrack -L',
  link: 'bridge -d link',
};

const ICMP_UNREACH: Record<0 | 1 | 3 | 4, string> = {
  0: 'net unreachable',
  1: 'host unreachable',
  3: 'port unreachable',
  4: 'fragmentation needed',
};

/** One header as a short, tcpdump-like line: [protocol, fields]. */
function headerLine(l: Layer): [string, string] {
  switch (l.kind) {
    case 'eth':
      return ['Ethernet', `${l.src} > ${l.dst}`];
    case 'ipv4':
      return [
        'IPv4',
        `${l.src.text} > ${l.dst.text} ttl ${l.ttl}${l.df ? ' DF' : ''} len ${l.length}${l.tos ? ` tos 0x${l.tos.toString(16)}` : ''}${fragmentNote(l)}`,
      ];
    case 'udp':
      return ['UDP', `${l.sport} > ${l.dport}`];
    case 'tcp':
      return ['TCP', `${l.sport} > ${l.dport} [${l.flags}]`];
    case 'vxlan':
      return ['VXLAN', `VNI ${l.vni}`];
    case 'icmp':
      switch (l.type) {
        case 'echo-request':
        case 'echo-reply':
          return ['ICMP', `${l.type.replace('-', ' ')} id ${l.id} seq ${l.seq}`];
        case 'dest-unreach':
          return [
            'ICMP',
            `destination unreachable: ${ICMP_UNREACH[l.code]}${l.mtu ? ` (mtu ${l.mtu})` : ''}`,
          ];
        case 'time-exceeded':
          return ['ICMP', 'time exceeded in transit'];
      }
  }
}

/**
 * A header stack, outer first. Everything up to a VXLAN header is the outer
 * packet and visibly wraps the inner one; an ICMP error wraps what it quotes.
 */
function Stack({ packet, label }: { packet: Packet; label?: string }) {
  const tunnel = tunnelOf(packet);
  const outer = tunnel ? packet.slice(0, tunnel.inner) : packet;
  const inner = tunnel ? packet.slice(tunnel.inner) : [];
  return (
    <div className={tunnel ? 'hdr-frame hdr-outer' : 'hdr-frame'}>
      {label && <div className="hdr-frame-label">{label}</div>}
      {outer.map((l, i) => {
        const [name, text] = headerLine(l);
        const quoted = l.kind === 'icmp' && 'quoted' in l ? l.quoted : undefined;
        return (
          <div key={i}>
            <div className={`hdr hdr-${l.kind}`}>
              <span className="hdr-name">{name}</span>
              <span className="hdr-text">{text}</span>
            </div>
            {quoted && <Stack packet={quoted} label="quoted original" />}
          </div>
        );
      })}
      {inner.length > 0 && (
        <Stack packet={inner} label={`inner packet (carried in ${tunnel?.kind ?? 'a tunnel'})`} />
      )}
    </div>
  );
}

/** Where a frame was put, in words: `bridge:node1` → "node1's cni0 bridge", `subnet:x` → "the x underlay". */
export function segmentText(id: string): string {
  const seg = parseSegment(id);
  if (seg?.kind === 'bridge') return `${seg.node}’s cni0 bridge`;
  if (seg?.kind === 'subnet') return `the ${seg.subnet} underlay`;
  return id;
}

/** The innermost transport header of a packet (past any VXLAN wrapping). */
function innerL4(p: Packet): Layer | undefined {
  return [...p].reverse().find((l) => l.kind === 'tcp' || l.kind === 'udp' || l.kind === 'icmp');
}

/** The innermost IPv4 header (inside any VXLAN wrapping). */
function innerIp(p: Packet) {
  const rest = p.slice(tunnelOf(p)?.inner ?? 0);
  return rest.find((l) => l.kind === 'ipv4');
}

/** What happened to the packet at a hop where it does not leave: it arrived, or it ends here. */
function arrival(hop: Hop, next: Hop | undefined): string | undefined {
  const ns = hop.namespace;
  if (hop.action === 'drop') return 'nothing: the packet goes no further';
  if (hop.action !== 'deliver') return undefined;
  if (hop.leg === 'error') return `handed to the sending socket in ${ns} as an error`;
  if (hop.leg === 'reply') return `delivered to the socket in ${ns} that sent the request`;
  const l4 = innerL4(hop.headers);
  if (l4?.kind === 'icmp' && l4.type === 'echo-request')
    return `delivered to ${ns}’s kernel, which answers the echo itself`;
  const port = l4 && (l4.kind === 'tcp' || l4.kind === 'udp') ? l4 : undefined;
  const proto = port ? `${port.kind.toUpperCase()} ${port.dport}` : undefined;
  const answer = next && next.namespace === ns ? next : undefined;
  const answerL4 = answer && innerL4(answer.headers);
  if (proto && answer?.leg === 'error')
    return `delivered to ${ns}, but no socket listens on ${proto}: ${ns} answers with an ICMP error`;
  if (proto && answerL4?.kind === 'tcp' && answerL4.flags.includes('R'))
    return `delivered to ${ns}, but no socket listens on ${proto}: the kernel answers with a reset`;
  return `delivered to the socket listening${proto ? ` on ${proto}` : ''} in ${ns}`;
}

/** The first hop of a reply or an ICMP error: the packet was created here. */
function creation(hop: Hop, prev: Hop | undefined): string | undefined {
  if (!prev || prev.leg === hop.leg || hop.leg === 'request') return undefined;
  if (hop.leg === 'reply') return 'reply created: source and destination swapped';
  const l4 = innerL4(hop.headers);
  const ip = innerIp(hop.headers);
  const kind =
    l4?.kind !== 'icmp'
      ? 'error'
      : l4.type === 'dest-unreach'
        ? `destination unreachable (${ICMP_UNREACH[l4.code]})`
        : l4.type === 'time-exceeded'
          ? 'time exceeded'
          : l4.type.replace('-', ' ');
  return `ICMP ${kind} created${ip?.kind === 'ipv4' ? ` for ${ip.dst.text}` : ''}, quoting the header of the packet it answers`;
}

/** The lines of "what changed": the engine's, with what creating or receiving the packet did. */
export function changesOf(hop: Hop, prev?: Hop, next?: Hop): string[] {
  const made = creation(hop, prev);
  const end = arrival(hop, next);
  return [...(made ? [made] : []), ...hop.changes, ...(end ? [end] : [])];
}

/** The three parts of a hop: the packet, what changed, and why (the table lines it matched). */
export function HopDetail({ hop, prev, next }: { hop: Hop; prev?: Hop; next?: Hop }) {
  const packet = hop.wire?.frame ?? hop.headers;
  const vxlan = tunnelOf(packet) !== undefined;
  const changes = changesOf(hop, prev, next);
  return (
    <div className="hop-detail" data-testid="hop-detail">
      <section className="hd-part">
        <h3 className="hd-title">
          Packet
          {hop.wire && <span className="hd-note"> on {segmentText(hop.wire.segment)}</span>}
        </h3>
        <div className="hdr-stack" data-testid="hop-headers" data-encapsulated={vxlan || undefined}>
          <Stack packet={packet} {...(vxlan ? { label: 'outer packet (node → node)' } : {})} />
        </div>
      </section>
      <section className="hd-part">
        <h3 className="hd-title">What changed</h3>
        {changes.length > 0 ? (
          <ul className="hd-changes" data-testid="hop-changes">
            {changes.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">nothing: the packet leaves as it came</p>
        )}
      </section>
      <section className="hd-part">
        <h3 className="hd-title">Why</h3>
        <ul className="hd-why" data-testid="hop-why">
          {hop.consulted.map((c, i) => (
            <li key={i}>
              <span className="why-table">{TABLE_NAME[c.table]}</span>
              <code className="why-line">{c.line.trimEnd()}</code>
            </li>
          ))}
        </ul>
        {hop.consulted.length === 0 && !hop.reason && (
          <p className="muted">no table was consulted</p>
        )}
        {hop.reason && (
          <p className="hop-reason" data-testid="hop-reason">
            {hop.reason}
          </p>
        )}
        {hop.notes?.map((n, i) => (
          <p key={i} className="hop-note" data-testid="hop-note">
            {n}
          </p>
        ))}
      </section>
    </div>
  );
}
