import type { RouteEntry } from './types';

/**
 * One route as `ip route` prints it (iproute2 ip/iproute.c print_route):
 * dst, via, dev, proto, scope, src, metric, then flags — each followed by a space.
 */
export function routeLine(r: RouteEntry): string {
  let line = r.type ? `${r.type} ` : '';
  line += r.isDefault
    ? 'default '
    : `${r.dst.len === 32 ? r.dst.text.replace(/\/32$/, '') : r.dst.text} `;
  if (r.via) line += `via ${r.via.text} `;
  // a blackhole has no nexthop device to print
  if (!r.type) line += `dev ${r.dev} `;
  if (r.proto) line += `proto ${r.proto} `;
  if (r.scope) line += `scope ${r.scope} `;
  if (r.src) line += `src ${r.src.text} `;
  if (r.metric !== undefined && r.metric !== 0) line += `metric ${r.metric} `;
  if (r.onlink) line += 'onlink ';
  return line;
}
