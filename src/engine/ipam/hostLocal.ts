import { broadcastAddress, familyWidth, ipFromBits, type IpAddr, type Prefix } from '../addr/ip';

/**
 * CNI host-local IPAM (plugins/ipam/host-local/backend/allocator): the range is
 * the podCIDR from `.1` to the last address before broadcast; the gateway `.1`
 * is reserved for the bridge; iteration starts after `last_reserved_ip` and
 * wraps, so a released address is not handed out again until the range cycles.
 */
/**
 * host-local over a podCIDR (the gateway `.1` kept for the bridge), or a Calico IPAM block
 * (libcalico-go lib/ipam: a /26 of the IP pool whose ordinals are handed out lowest first;
 * no bridge, so no gateway, and no network or broadcast address kept back).
 */
export type RangeShape =
  { readonly kind: 'hostLocal' } | { readonly kind: 'calicoBlock'; readonly tunnel: boolean };
const HOST_LOCAL: RangeShape = { kind: 'hostLocal' };

export class HostLocalRange {
  private readonly used = new Set<bigint>();
  readonly start: bigint;
  readonly end: bigint;
  readonly gateway: bigint;

  constructor(
    readonly subnet: Prefix,
    private lastReserved?: bigint,
    private readonly shape: RangeShape = HOST_LOCAL,
  ) {
    if (shape.kind === 'calicoBlock') {
      // a block hands out every ordinal, its first and last too; in an encapsulating
      // mode the first is the node's tunnel address (tunl0 / vxlan.calico 172.17.1.0/32)
      this.start = subnet.bits + (shape.tunnel ? 1n : 0n);
      this.end = broadcastAddress(subnet).bits;
      this.gateway = -1n;
      return;
    }
    this.start = subnet.bits + 1n;
    // IPv4: never the broadcast address (range_set.go Canonicalize)
    this.end = broadcastAddress(subnet).bits - 1n;
    this.gateway = this.start;
  }

  get last(): bigint | undefined {
    return this.lastReserved;
  }

  /** `10.244.1.1-10.244.1.254`, as the error message prints the range set */
  get rangeText(): string {
    return `${ipFromBits(this.subnet.family, this.start).text}-${ipFromBits(this.subnet.family, this.end).text}`;
  }

  contains(bits: bigint): boolean {
    return bits >= this.start && bits <= this.end;
  }

  /**
   * Takes an address that is already on disk (a reservation file from an
   * earlier ADD). False when it cannot be held: outside the range, the
   * gateway, or already reserved for another container — `store.Reserve`
   * finds the file taken (backend/disk/backend.go: O_EXCL).
   */
  reserve(bits: bigint): boolean {
    if (!this.contains(bits) || bits === this.gateway || this.used.has(bits)) return false;
    this.used.add(bits);
    return true;
  }

  allocate(): IpAddr | undefined {
    const size = this.end - this.start + 1n;
    // calico-ipam takes the block's lowest free ordinal; host-local goes on after the last
    const first =
      this.shape.kind === 'hostLocal' &&
      this.lastReserved !== undefined &&
      this.contains(this.lastReserved)
        ? this.lastReserved + 1n
        : this.start;
    for (let k = 0n; k < size; k++) {
      let candidate = first + k;
      if (candidate > this.end) candidate -= size;
      if (candidate === this.gateway || this.used.has(candidate)) continue;
      this.used.add(candidate);
      this.lastReserved = candidate;
      return ipFromBits(this.subnet.family, candidate);
    }
    return undefined;
  }
}

/**
 * host-local refuses a subnet with no host addresses before allocating
 * anything (allocator/range.go Canonicalize: `ones > masklen-2`), and
 * LoadIPAMConfig wraps it: `invalid range set 0: Network 10.244.0.0/31 too
 * small to allocate from`. Undefined when the subnet can hold a gateway and a pod.
 */
export function rangeConfigError(subnet: Prefix): string | undefined {
  if (subnet.len <= familyWidth(subnet.family) - 2) return undefined;
  return `invalid range set 0: Network ${subnet.text} too small to allocate from`;
}

export const noAddressesText = (range: HostLocalRange): string =>
  `failed to allocate for range 0: no IP addresses available in range set: ${range.rangeText}`;
