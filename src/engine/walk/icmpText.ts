import type { IcmpLayer } from './packet';

export const ICMP_TEXT = {
  net: 'Destination Net Unreachable',
  host: 'Destination Host Unreachable',
  timeExceeded: 'Time to live exceeded',
} as const;

/** How the sending tool reports an ICMP error it received (iputils ping wording). */
export function icmpErrorText(l: IcmpLayer): string {
  if (l.type === 'time-exceeded') return ICMP_TEXT.timeExceeded;
  if (l.type !== 'dest-unreach') return l.type;
  switch (l.code) {
    case 0:
      return ICMP_TEXT.net;
    case 1:
      return ICMP_TEXT.host;
    case 3:
      return 'Destination Port Unreachable';
    case 4:
      return `Frag needed and DF set (mtu = ${l.mtu ?? 0})`;
  }
}
