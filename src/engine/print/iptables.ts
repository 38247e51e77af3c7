import type { IptTable } from '../network/iptables';

/** `iptables [-t nat] -S`: policies, chains sorted, then rules grouped by chain in that order. */
export function printIptables(t: IptTable): string {
  const order = [...t.builtins, ...t.chains];
  const lines = [...t.builtins.map((c) => `-P ${c} ACCEPT`), ...t.chains.map((c) => `-N ${c}`)];
  for (const chain of order) for (const r of t.rules) if (r.chain === chain) lines.push(r.line);
  return lines.join('\n');
}
