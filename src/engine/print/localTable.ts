import { broadcastAddress, prefixFromBits } from '../addr/ip';
import type { Namespace } from '../network/types';
import { broadcastLine, localLine } from '../walk/walker';

/**
 * `ip route show table local` for a namespace, as the walk quotes it: one
 * `local <addr>` line per IPv4 address (on the first device holding it),
 * `local 127.0.0.0/8` on lo, and a `broadcast` line for the subnet broadcast of
 * every address shorter than /31 (fib_add_ifaddr; since Linux 5.14 there is no
 * `broadcast <network>` line), in the kernel's dump order: by address, the
 * shorter prefix first. Lines end with a space, like iproute2's.
 */
export function printLocalTable(ns: Namespace): string {
  const rows = new Map<string, { bits: bigint; len: number; line: string }>();
  const add = (key: string, bits: bigint, len: number, line: string) => {
    if (!rows.has(key)) rows.set(key, { bits, len, line });
  };
  const lo = ns.devices.find((d) => d.kind === 'loopback');
  if (lo) add('127.0.0.0/8', 0x7f000000n, 8, localLine('127.0.0.0/8', lo.name, '127.0.0.1'));
  for (const dev of ns.devices)
    for (const a of dev.addresses) {
      if (a.ip.family !== 4) continue;
      const ip = a.ip.text;
      add(`${ip}/32`, a.ip.bits, 32, localLine(ip, dev.name));
      if (a.len < 31) {
        const brd = broadcastAddress(prefixFromBits(4, a.ip.bits, a.len));
        add(`${brd.text}/32`, brd.bits, 32, broadcastLine(brd.text, dev.name, ip));
      }
    }
  return [...rows.values()]
    .sort((x, y) => (x.bits < y.bits ? -1 : x.bits > y.bits ? 1 : x.len - y.len))
    .map((r) => r.line)
    .join('\n');
}
