/**
 * Deterministic stand-ins for the random values the kernel and CNI pick
 * (veth names, locally administered MACs): the same scenario always prints the
 * same tables. FNV-1a, 32 bits, twice with different seeds for 48 bits of MAC.
 */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const hex2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');

/** A locally administered unicast MAC (bit 1 of the first octet set, bit 0 clear). */
export function macFor(key: string): string {
  const a = fnv1a(key);
  const b = fnv1a(key, 0x01000193 ^ a);
  const bytes = [((a >>> 24) & 0xfc) | 0x02, a >>> 16, a >>> 8, a, b >>> 8, b];
  return bytes.map(hex2).join(':');
}

/** `vethXXXXXXXX`, as the CNI bridge plugin names the host end (ip.RandomVethName: 4 random bytes). */
export function vethNameFor(key: string): string {
  return `veth${fnv1a(key).toString(16).padStart(8, '0')}`;
}
