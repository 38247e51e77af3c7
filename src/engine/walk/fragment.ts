/**
 * IPv4 fragmentation and reassembly (net/ipv4/ip_output.c ip_do_fragment,
 * net/ipv4/ip_fragment.c ip_defrag). A walk carries the first fragment of a
 * train; its IPv4 layer holds the geometry of every fragment, so the hops stay
 * one list and a capture can still print each fragment on its own.
 */
import { IPV4_HEADER, type Ipv4Layer, type Packet, type Piece } from './packet';

/**
 * ip_do_fragment's slow path on one datagram (or fragment): payloads of
 * `mtu - 20` rounded down to a multiple of 8, the last one whatever is left;
 * MF on every piece but the last, and on the last too when the piece being
 * split was itself not the datagram's last. ip_append_data cuts a local
 * datagram the same way (maxfraglen).
 */
function split(p: Piece, mtu: number): Piece[] {
  if (p.length <= mtu) return [p];
  const out: Piece[] = [];
  let left = p.length - IPV4_HEADER;
  let offset = p.offset;
  while (left > 0) {
    const room = mtu - IPV4_HEADER;
    const len = room < left ? room & ~7 : left;
    left -= len;
    out.push({ offset, length: IPV4_HEADER + len, more: left > 0 || p.more });
    offset += len;
  }
  return out;
}

const ipAt = (p: Packet): number => p.findIndex((l) => l.kind === 'ipv4');

/** The train of the outermost IPv4 header: its fragments, or the one whole datagram. */
export function trainOf(ip: Ipv4Layer): readonly Piece[] {
  return ip.frag?.train ?? [{ offset: 0, length: ip.length, more: false }];
}

/**
 * The outermost datagram split for `mtu` (a train already in flight is split
 * further, fragment by fragment, as a router does); the first fragment comes
 * back, carrying the train. Undefined when every fragment fits.
 */
export function fragment(pkt: Packet, mtu: number): Packet | undefined {
  const i = ipAt(pkt);
  const ip = pkt[i];
  if (ip?.kind !== 'ipv4') return undefined;
  const before = trainOf(ip);
  if (before.every((x) => x.length <= mtu)) return undefined;
  const train = before.flatMap((x) => split(x, mtu));
  const first = train[0]!;
  const frag = {
    offset: first.offset,
    more: first.more,
    whole: ip.frag?.whole ?? ip.length,
    train,
  };
  return [...pkt.slice(0, i), { ...ip, length: first.length, frag }, ...pkt.slice(i + 1)];
}

/** How many fragments the packet stands for (1 for a whole datagram): its first fragmented header's train. */
export function fragmentCount(pkt: Packet): number {
  const ip = pkt.find((l): l is Ipv4Layer => l.kind === 'ipv4' && l.frag !== undefined);
  return ip?.frag?.train.length ?? 1;
}

/**
 * Every packet a fragmented one stands for, in the order they are sent. The
 * fragmented header takes each fragment's offset, MF and length; a header
 * outside it (VXLAN's outer IPv4, one per fragment) grows or shrinks with it
 * and takes the next IP id. Only the fragmented header's train is unrolled:
 * a fragment of a fragmented VXLAN packet is not modelled.
 */
export function fragmentsOf(p: Packet): Packet[] {
  const i = p.findIndex((l) => l.kind === 'ipv4' && l.frag !== undefined);
  const ip = p[i];
  if (ip?.kind !== 'ipv4' || !ip.frag) return [p];
  const f = ip.frag;
  return f.train.map((piece, k) => {
    const delta = piece.length - ip.length;
    return p.map((l, j) => {
      if (j === i)
        return {
          ...ip,
          length: piece.length,
          frag: { ...f, offset: piece.offset, more: piece.more },
        };
      if (j < i && l.kind === 'ipv4')
        return { ...l, length: l.length + delta, id: (l.id + k) & 0xffff };
      return l;
    });
  });
}

/**
 * ip_defrag before local delivery: the outermost datagram as it was before
 * fragmentation, and how many fragments it was rebuilt from. Undefined for a
 * packet that was never split.
 */
export function reassemble(
  pkt: Packet,
): { readonly pkt: Packet; readonly from: number } | undefined {
  const i = ipAt(pkt);
  const ip = pkt[i];
  if (ip?.kind !== 'ipv4' || !ip.frag) return undefined;
  const { frag, ...whole } = ip;
  return {
    pkt: [...pkt.slice(0, i), { ...whole, length: frag.whole }, ...pkt.slice(i + 1)],
    from: frag.train.length,
  };
}

/** What a hop says when it fragments: the phrase for its title and the line for `what changed`. */
export function fragmentNote(
  before: Packet,
  after: Packet,
  mtu: number,
  dev: string,
): { readonly phrase: string; readonly change: string } {
  const was = before[ipAt(before)] as Ipv4Layer;
  const now = after[ipAt(after)] as Ipv4Layer;
  const train = trainOf(now);
  const count = trainOf(was).length;
  const phrase =
    count === 1
      ? `fragments the ${was.length}-byte datagram into ${train.length} fragments (mtu ${mtu} on ${dev})`
      : `splits its ${count} fragments into ${train.length} (mtu ${mtu} on ${dev})`;
  const change = `DF not set, so ip_fragment splits it for mtu ${mtu}: ${train.length} fragments of ${train
    .map((x) => x.length)
    .join(', ')} bytes at offsets ${train
    .map((x) => x.offset)
    .join(', ')}, all with id ${now.id}, MF on all but the last`;
  return { phrase, change };
}
