import type { IpAddr } from '../addr/ip';
import type { Segment, SegmentPort } from '../network/types';

interface SegmentIndex {
  readonly byAddress: ReadonlyMap<bigint, readonly SegmentPort[]>;
  readonly byDevice: ReadonlyMap<string, SegmentPort>;
}
const segmentIndexes = new WeakMap<Segment, SegmentIndex>();

/** An underlay subnet can hold thousands of nodes: ARP and port lookups go through an index. */
function segmentIndex(seg: Segment): SegmentIndex {
  let idx = segmentIndexes.get(seg);
  if (idx) return idx;
  const byAddress = new Map<bigint, SegmentPort[]>();
  const byDevice = new Map<string, SegmentPort>();
  for (const p of seg.ports) {
    byDevice.set(`${p.namespace}/${p.device}`, p);
    for (const a of p.addresses) {
      const list = byAddress.get(a.bits);
      if (list) list.push(p);
      else byAddress.set(a.bits, [p]);
    }
  }
  idx = { byAddress, byDevice };
  segmentIndexes.set(seg, idx);
  return idx;
}

export const portOf = (seg: Segment, ns: string, dev: string) =>
  segmentIndex(seg).byDevice.get(`${ns}/${dev}`);

/** Who answers ARP for an address on this segment (never the asker itself). */
export const arpTarget = (seg: Segment, a: IpAddr, asker: SegmentPort | undefined) =>
  segmentIndex(seg)
    .byAddress.get(a.bits)
    ?.find((p) => p !== asker);
