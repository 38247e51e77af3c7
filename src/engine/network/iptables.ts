import type { IpAddr, Prefix } from '../addr/ip';

/**
 * An iptables table as kube-proxy's iptables mode writes it. Each rule keeps
 * both its meaning (for the walk) and its `iptables -S` line (for the screen),
 * so what is printed is exactly what is evaluated.
 */
export type RuleTarget =
  | { readonly kind: 'jump'; readonly chain: string }
  | { readonly kind: 'return' }
  | { readonly kind: 'dnat'; readonly to: IpAddr; readonly port: number }
  | { readonly kind: 'mark'; readonly set: number }
  | { readonly kind: 'clearMark' }
  | { readonly kind: 'masquerade' }
  | { readonly kind: 'reject' };

export interface RuleMatch {
  readonly src?: { readonly prefix: Prefix; readonly negate?: boolean };
  readonly dst?: Prefix;
  readonly proto?: 'tcp' | 'udp';
  readonly dport?: number;
  /** `-m mark ! --mark 0x4000/0x4000` */
  readonly notMarked?: number;
  /** `-m statistic --mode random --probability p`: p as iptables stores it */
  readonly probability?: number;
  /** `-m addrtype --dst-type LOCAL` */
  readonly dstLocal?: boolean;
  /** `-m conntrack --ctstate NEW` */
  readonly ctNew?: boolean;
}

export interface IptRule {
  readonly chain: string;
  readonly match: RuleMatch;
  readonly target: RuleTarget;
  /** the rule as `iptables -S` prints it: `-A KUBE-SERVICES -d 10.96.0.10/32 …` */
  readonly line: string;
}

export interface IptTable {
  readonly name: 'nat' | 'filter';
  /** built-in chains in kernel order, with their policy */
  readonly builtins: readonly string[];
  /** user chains (printed sorted, as iptables-nft lists them) */
  readonly chains: readonly string[];
  readonly rules: readonly IptRule[];
}

export const KUBE_MARK_MASQ_BIT = 0x4000;
