import type { Consulted, Hop, HopAction, Layer, Packet } from '../../engine/index';

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
        `${l.src.text} > ${l.dst.text} ttl ${l.ttl}${l.df ? ' DF' : ''} len ${l.length}${l.tos ? ` tos 0x${l.tos.toString(16)}` : ''}`,
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
  const vx = packet.findIndex((l) => l.kind === 'vxlan');
  const outer = vx >= 0 ? packet.slice(0, vx + 1) : packet;
  const inner = vx >= 0 ? packet.slice(vx + 1) : [];
  return (
    <div className={vx >= 0 ? 'hdr-frame hdr-outer' : 'hdr-frame'}>
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
      {inner.length > 0 && <Stack packet={inner} label="inner packet (carried in VXLAN)" />}
    </div>
  );
}

/** The three parts of a hop: the packet, what changed, and why (the table lines it matched). */
export function HopDetail({ hop }: { hop: Hop }) {
  const packet = hop.wire?.frame ?? hop.headers;
  const vxlan = packet.some((l) => l.kind === 'vxlan');
  return (
    <div className="hop-detail" data-testid="hop-detail">
      <section className="hd-part">
        <h4 className="hd-title">
          Packet
          {hop.wire && <span className="hd-note"> on the wire ({hop.wire.segment})</span>}
        </h4>
        <div className="hdr-stack" data-testid="hop-headers" data-encapsulated={vxlan || undefined}>
          <Stack packet={packet} {...(vxlan ? { label: 'outer packet (node → node)' } : {})} />
        </div>
      </section>
      <section className="hd-part">
        <h4 className="hd-title">What changed</h4>
        {hop.changes.length > 0 ? (
          <ul className="hd-changes">
            {hop.changes.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">nothing: the packet leaves as it came</p>
        )}
      </section>
      <section className="hd-part">
        <h4 className="hd-title">Why</h4>
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
      </section>
    </div>
  );
}
