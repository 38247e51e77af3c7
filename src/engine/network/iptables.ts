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
  | { readonly kind: 'clearMark'; readonly bits: number }
  | { readonly kind: 'masquerade' }
  | { readonly kind: 'reject' }
  | { readonly kind: 'accept' }
  | { readonly kind: 'drop' }
  /** a rule without -j only counts (kube-proxy's "other traffic … will be dropped" in KUBE-FW-) */
  | { readonly kind: 'none' };

/** conntrack's states as `-m conntrack --ctstate` names them */
export type CtState = 'INVALID' | 'NEW' | 'RELATED' | 'ESTABLISHED' | 'SNAT' | 'DNAT';

export interface RuleMatch {
  readonly src?: { readonly prefix: Prefix; readonly negate?: boolean };
  readonly dst?: Prefix;
  /** `! -d 127.0.0.0/8` */
  readonly dstNegate?: boolean;
  readonly proto?: 'tcp' | 'udp';
  readonly dport?: number;
  /** `-m mark [!] --mark 0x4000/0x4000` */
  readonly mark?: { readonly value: number; readonly mask: number; readonly negate: boolean };
  /** `-m statistic --mode random --probability p`: p as iptables stores it */
  readonly probability?: number;
  /** `-m addrtype --dst-type LOCAL` */
  readonly dstLocal?: boolean;
  /** `-m addrtype --src-type LOCAL` */
  readonly srcLocal?: boolean;
  /** `-m conntrack [!] --ctstate NEW` */
  readonly ctstate?: { readonly states: readonly CtState[]; readonly negate: boolean };
  /** `-m recent --set` / `--rcheck --seconds N --reap`, the list named after the endpoint chain */
  readonly recent?: {
    readonly name: string;
    readonly mode: 'set' | 'rcheck';
    readonly seconds?: number;
  };
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

/** A table's rules by chain, in order: grouped once (a big cluster has thousands of chains). */
const byChain = new WeakMap<IptTable, Map<string, IptRule[]>>();
export function chainRules(t: IptTable, chain: string): readonly IptRule[] {
  let m = byChain.get(t);
  if (!m) {
    m = new Map();
    for (const r of t.rules) {
      const list = m.get(r.chain);
      if (list) list.push(r);
      else m.set(r.chain, [r]);
    }
    byChain.set(t, m);
  }
  return m.get(chain) ?? [];
}
