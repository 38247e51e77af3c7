import type { TracerouteResult } from '../walk/traceroute';

/**
 * The hop lines of `traceroute -n -q 1` without the times (traceroute.c
 * print_probe): `%2u ` then ` ADDR` or ` *`, then ` !H` / ` !N` / ` !F-1450`.
 */
export function tracerouteHopLines(r: TracerouteResult): string[] {
  return r.hops.map((h) => {
    const who = h.from ? ` ${h.from.text}` : ' *';
    return `${String(h.ttl).padStart(2)} ${who}${h.mark ? ` ${h.mark}` : ''}`;
  });
}

/** `traceroute -n -q 1 DST`: the header line, then one line a TTL. */
export function printTraceroute(r: TracerouteResult): string {
  const header = `traceroute to ${r.dst.text} (${r.dst.text}), ${r.maxHops} hops max, ${r.packetBytes} byte packets`;
  return [header, ...tracerouteHopLines(r)].join('\n');
}
