import type { Ipv4Layer } from '../walk/packet';

/**
 * Where a fragment sits in its datagram, for a header line: ` frag 1/3 offset 0 MF
 * of 3028` (the offset in bytes, as tcpdump prints it; MF while more follow).
 */
export function fragmentNote(l: Ipv4Layer): string {
  const f = l.frag;
  if (!f) return '';
  const n = f.train.findIndex((p) => p.offset === f.offset) + 1;
  return ` frag ${n}/${f.train.length} offset ${f.offset}${f.more ? ' MF' : ''} of ${f.whole}`;
}
