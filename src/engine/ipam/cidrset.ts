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
  private readonly used = new Set<number>();
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
      for (let i = 0; i < this.maxCidrs; i++) this.used.add(i);
      return true;
    }
    if (p.len >= this.maskSize) {
      this.used.add(Number((p.bits - this.cluster.bits) >> this.shift));
      return true;
    }
    const first = Number((p.bits - this.cluster.bits) >> this.shift);
    const count = 2 ** (this.maskSize - p.len);
    for (let i = first; i < first + count; i++) this.used.add(i);
    return true;
  }

  allocateNext(): Prefix | undefined {
    for (let k = 0; k < this.maxCidrs; k++) {
      const candidate = (k + this.nextCandidate) % this.maxCidrs;
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        this.nextCandidate = (candidate + 1) % this.maxCidrs;
        return this.block(candidate);
      }
    }
    return undefined;
  }
}
