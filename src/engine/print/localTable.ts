import type { Namespace } from '../network/types';

/**
 * `ip route show table local` for a namespace, as the walk quotes it: one
 * `local <addr>` line per IPv4 address (on the first device holding it), and
 * `local 127.0.0.0/8` on lo, in the kernel's dump order (by address, the
 * shorter prefix first). Lines end with a space, like iproute2's. (The kernel
 * also keeps `broadcast` entries there; the walk never consults them.)
 *
 * (`ip route show table all` prints `table local`, as here; the walk quotes these lines.)
 */
export function printLocalTable(ns: Namespace): string {
  const rows = new Map<string, { bits: bigint; len: number; line: string }>();
  const add = (key: string, bits: bigint, len: number, line: string) => {
    if (!rows.has(key)) rows.set(key, { bits, len, line });
  };
  const lo = ns.devices.find((d) => d.kind === 'loopback');
  if (lo)
    add(
      '127.0.0.0/8',
      0x7f000000n,
      8,
      `local 127.0.0.0/8 dev ${lo.name} table local proto kernel scope host src 127.0.0.1 `,
    );
  for (const dev of ns.devices)
    for (const a of dev.addresses) {
      if (a.ip.family !== 4) continue;
      const ip = a.ip.text;
      add(
        `${ip}/32`,
        a.ip.bits,
        32,
        `local ${ip} dev ${dev.name} table local proto kernel scope host src ${ip} `,
      );
    }
  return [...rows.values()]
    .sort((x, y) => (x.bits < y.bits ? -1 : x.bits > y.bits ? 1 : x.len - y.len))
    .map((r) => r.line)
    .join('\n');
}
