import type { FdbEntry, Namespace } from '../network/types';

/**
 * One `bridge fdb show` line (bridge/fdb.c print_fdb): mac, dev, dst, the
 * flags (`self`), `master <bridge>`, then the state and a newline. The state
 * of a learned entry (NUD_REACHABLE) prints as the empty string, which leaves
 * the space after `master cni0`; `permanent` has none after it.
 */
export function fdbLine(f: FdbEntry): string {
  let line = `${f.mac} dev ${f.dev} `;
  if (f.dst) line += `dst ${f.dst.text} `;
  if (f.self) line += 'self ';
  if (f.master) line += `master ${f.master} `;
  return line + (f.permanent ? 'permanent' : '');
}

/**
 * `bridge fdb show`: the stored entries only (not the bridge's own or the
 * multicast `self permanent` ones). rtnl_fdb_dump walks devices by ifindex and
 * each device's entries newest first, the order the build stores them in.
 */
export function printFdb(ns: Namespace): string {
  const index = new Map(ns.devices.map((d) => [d.name, d.index]));
  const at = (f: FdbEntry) => index.get(f.dev) ?? Number.MAX_SAFE_INTEGER;
  return [...ns.fdb]
    .sort((a, b) => at(a) - at(b))
    .map(fdbLine)
    .join('\n');
}
