import type { IptRule, IptTable } from '../network/iptables';

/** A rule's counters, or (rule undefined) its built-in chain's policy's: what `-v` prints. */
export type CountersOf = (
  chain: string,
  rule?: IptRule,
) => { readonly packets: number; readonly bytes: number };

/**
 * iptables-nft's save_matches_and_target (nft-shared.c): a rule's counters go
 * after its matches, before `-j`. The target is the first ` -j ` outside a
 * quoted comment.
 */
function withCounters(line: string, c: { packets: number; bytes: number }): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (!quoted && (line.startsWith(' -j ', i) || line.startsWith(' -g ', i)))
      return `${line.slice(0, i)} -c ${c.packets} ${c.bytes}${line.slice(i)}`;
  }
  return `${line} -c ${c.packets} ${c.bytes}`;
}

const policyLine = (chain: string, c?: CountersOf) => {
  const n = c?.(chain);
  return `-P ${chain} ACCEPT${n ? ` -c ${n.packets} ${n.bytes}` : ''}`;
};

const rulesOf = (t: IptTable, chain: string, c?: CountersOf) =>
  t.rules
    .filter((r) => r.chain === chain)
    .map((r) => {
      const n = c?.(r.chain, r);
      return n ? withCounters(r.line, n) : r.line;
    });

/**
 * `iptables [-t nat] -S [-v]`: policies, chains sorted, then rules grouped by
 * chain in that order (nft_rule_list_save). With counters (`-v`) each policy
 * and rule carries `-c <pkts> <bytes>`; `-N` lines never do.
 */
export function printIptables(t: IptTable, counters?: CountersOf): string {
  const lines = [
    ...t.builtins.map((ch) => policyLine(ch, counters)),
    ...t.chains.map((ch) => `-N ${ch}`),
  ];
  for (const chain of [...t.builtins, ...t.chains]) lines.push(...rulesOf(t, chain, counters));
  return lines.join('\n');
}

/** `iptables -S CHAIN [-v]`: the chain's `-P` or `-N` line, then its rules; undefined for no such chain. */
export function printIptablesChain(
  t: IptTable,
  chain: string,
  counters?: CountersOf,
): string | undefined {
  if (t.builtins.includes(chain))
    return [policyLine(chain, counters), ...rulesOf(t, chain, counters)].join('\n');
  if (t.chains.includes(chain)) return [`-N ${chain}`, ...rulesOf(t, chain, counters)].join('\n');
  return undefined;
}
