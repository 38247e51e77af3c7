import { fragmentNote, type Hop, type Layer } from '../engine/index';

function layerText(l: Layer): string {
  switch (l.kind) {
    case 'eth':
      return `Ethernet ${l.src} > ${l.dst}`;
    case 'ipv4':
      return `IPv4 ${l.src.text} > ${l.dst.text} ttl ${l.ttl}${l.df ? ' DF' : ''} len ${l.length}${fragmentNote(l)}`;
    case 'udp':
      return `UDP ${l.sport} > ${l.dport}`;
    case 'tcp':
      return `TCP ${l.sport} > ${l.dport} [${l.flags}]`;
    case 'vxlan':
      return `VXLAN vni ${l.vni}`;
    case 'icmp':
      return l.type === 'echo-request' || l.type === 'echo-reply'
        ? `ICMP ${l.type} id ${l.id} seq ${l.seq}`
        : `ICMP ${l.type}${l.type === 'dest-unreach' ? ` code ${l.code}` : ''}`;
  }
}

/** One hop as text for the CLI's `trace` (the UI draws the same data as cards). */
export function describeHop(h: Hop, n: number): string {
  const dev = [h.devIn ? `in ${h.devIn}` : '', h.devOut ? `out ${h.devOut}` : '']
    .filter(Boolean)
    .join(', ');
  const lines = [
    `${String(n).padStart(2)}. [${h.leg}] ${h.namespace}: ${h.action.toUpperCase()}${dev ? ` (${dev})` : ''} — ${h.title}`,
  ];
  for (const c of h.consulted) lines.push(`      ${c.table}: ${c.line.trimEnd()}`);
  for (const c of h.changes) lines.push(`      changed: ${c}`);
  lines.push(`      packet: ${h.headers.map(layerText).join(' | ')}`);
  if (h.reason) lines.push(`      reason: ${h.reason}`);
  return lines.join('\n');
}
