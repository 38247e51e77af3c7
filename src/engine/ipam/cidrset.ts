import { prefixCovers, prefixFromBits, prefixesOverlap, type Prefix } from '../addr/ip';

/** kube-controller-manager pkg/controller/nodeipam/ipam/cidrset/cidr_set.go */
export const CIDR_NOT_AVAILABLE =
  'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range';

/**
 * Block i of the cluster CIDR is `cluster | (i << (32 - mask))`. Allocation
 * takes the next free block from a moving cursor (`nextCandidate`), so a freed
 * block comes back only after the cursor wraps.
 */
export class CidrSet {
  readonly maxCidrs: number;
  /** single blocks taken (a node's podCIDR) */
  private readonly used = new Set<number>();
  /**
   * runs of blocks taken at once (a service range or a pinned CIDR wider than a
   * block): kept as spans, not bits, because an IPv4 cluster CIDR may hold 2^31 blocks
   */
  private readonly spans: (readonly [number, number])[] = [];
  private readonly shift: bigint;

  constructor(
    readonly cluster: Prefix,
    readonly maskSize: number,
    private nextCandidate = 0,
  ) {
    this.maxCidrs = 2 ** (maskSize - cluster.len);
    this.shift = BigInt((cluster.family === 4 ? 32 : 128) - maskSize);
    if (!Number.isInteger(this.nextCandidate) || this.nextCandidate < 0) this.nextCandidate = 0;
    this.nextCandidate %= this.maxCidrs;
  }

  get cursor(): number {
    return this.nextCandidate;
  }

  block(i: number): Prefix {
    return prefixFromBits(
      this.cluster.family,
      this.cluster.bits | (BigInt(i) << this.shift),
      this.maskSize,
    );
  }

  /** Marks every block a CIDR touches as taken (cidrset.Occupy); false if it is outside. */
  occupy(p: Prefix): boolean {
    if (!prefixesOverlap(this.cluster, p)) return false;
    if (prefixCovers(p, this.cluster)) {
      this.spans.push([0, this.maxCidrs - 1]);
      return true;
    }
    const first = Number((p.bits - this.cluster.bits) >> this.shift);
    if (p.len >= this.maskSize) this.used.add(first);
    else this.spans.push([first, first + 2 ** (this.maskSize - p.len) - 1]);
    return true;
  }

  private spanAt(i: number): readonly [number, number] | undefined {
    return this.spans.find(([a, b]) => a <= i && i <= b);
  }

  /** The next free block from the cursor, wrapping (cidrset.AllocateNext); undefined when all are taken. */
  allocateNext(): Prefix | undefined {
    let candidate = this.nextCandidate;
    for (let scanned = 0; scanned < this.maxCidrs;) {
      const span = this.spanAt(candidate);
      if (span) {
        scanned += span[1] - candidate + 1;
        candidate = (span[1] + 1) % this.maxCidrs;
        continue;
      }
      if (this.used.has(candidate)) {
        scanned++;
        candidate = (candidate + 1) % this.maxCidrs;
        continue;
      }
      this.used.add(candidate);
      this.nextCandidate = (candidate + 1) % this.maxCidrs;
      return this.block(candidate);
    }
    return undefined;
  }
}
