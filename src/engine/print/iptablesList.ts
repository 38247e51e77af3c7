import type { IptRule, IptTable } from '../network/iptables';
import type { CountersOf } from './iptables';

/**
 * `iptables -L` as iptables-nft 1.8.9 prints it (xshared.c print_header,
 * print_rule_details, print_fragment, print_ifaces, print_ipv4_addresses;
 * nft-shared.c print_matches_and_target; each extension's print()). A rule is
 * read back from its `-S` line, as iptables itself rebuilds the rule from the
 * kernel before printing it.
 */
export interface ListOptions {
  /** `-n`: addresses, ports and protocols as numbers */
  readonly numeric?: boolean;
  /** `-v`: counters and the in/out interface columns */
  readonly verbose?: boolean;
  /** `-x`: exact counters instead of K/M/G */
  readonly exact?: boolean;
  /** `--line-numbers` */
  readonly lineNumbers?: boolean;
  readonly counters?: CountersOf;
}

/** The services netbase's /etc/services names, for the ports kube-proxy and the CNI use. */
const SERVICES: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  tcp: { 22: 'ssh', 53: 'domain', 80: 'http', 443: 'https', 8080: 'http-alt' },
  udp: { 53: 'domain', 8472: 'otv' },
};

/** xtables_print_num: `%8llu ` exact, else `%5llu ` then K, M, G, T rounded; bare in a header. */
function num(n: number, exact: boolean, bare = false): string {
  const fmt = (s: string, width: number) => (bare ? `${s} ` : `${s.padStart(width)} `);
  if (exact) return fmt(String(n), 8);
  if (n <= 99999) return fmt(String(n), 5);
  let v = n;
  for (const unit of ['K', 'M', 'G']) {
    v = Math.floor((v + 500) / 1000);
    if (v <= 9999) return fmt(`${v}${unit}`, 5);
  }
  return fmt(`${Math.floor((v + 500) / 1000)}T`, 5);
}

/** The `-S` words of a rule, quotes removed. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2]!);
  return out;
}

interface ParsedRule {
  src?: string;
  dst?: string;
  srcInvert: boolean;
  dstInvert: boolean;
  proto?: string;
  protoInvert: boolean;
  iface: { in?: string; out?: string };
  target: string;
  /** what the matches and the target print after the addresses */
  extras: string;
}

const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, icmp: 1, sctp: 132 };

/** An address column: `0.0.0.0/0` (or `anywhere`), a host without its /32, a network with its prefix. */
function address(a: string | undefined, numeric: boolean): string {
  if (!a) return numeric ? '0.0.0.0/0' : 'anywhere';
  return a.endsWith('/32') ? a.slice(0, -3) : a;
}

function port(proto: string, p: string, numeric: boolean): string {
  return numeric ? p : (SERVICES[proto]?.[Number(p)] ?? p);
}

/** One match module's print(): what follows the addresses for `-m NAME OPTS`. */
function matchText(name: string, opts: readonly string[], numeric: boolean): string {
  const opt = (o: string) => {
    const i = opts.indexOf(o);
    return i >= 0 ? opts[i + 1] : undefined;
  };
  const inverted = (o: string) => opts[opts.indexOf(o) - 1] === '!';
  switch (name) {
    case 'comment':
      return ` /* ${opt('--comment') ?? ''} */`;
    case 'tcp':
    case 'udp': {
      const sport = opt('--sport');
      const dport = opt('--dport');
      return (
        ` ${name}` +
        (sport ? ` spt:${inverted('--sport') ? '!' : ''}${port(name, sport, numeric)}` : '') +
        (dport ? ` dpt:${inverted('--dport') ? '!' : ''}${port(name, dport, numeric)}` : '')
      );
    }
    case 'statistic':
      return ` statistic mode ${opt('--mode') ?? 'random'} probability ${opt('--probability') ?? ''}`;
    case 'addrtype': {
      const dst = opt('--dst-type');
      const src = opt('--src-type');
      return (
        ' ADDRTYPE match' +
        (src ? ` src-type ${inverted('--src-type') ? '!' : ''}${src}` : '') +
        (dst ? ` dst-type ${inverted('--dst-type') ? '!' : ''}${dst}` : '')
      );
    }
    case 'mark':
      return ` mark match${inverted('--mark') ? ' !' : ''} ${opt('--mark') ?? ''}`;
    case 'conntrack':
      return `${inverted('--ctstate') ? ' !' : ''} ctstate ${opt('--ctstate') ?? ''}`;
    case 'nfacct':
      // libxt_nfacct nfacct_print_name: " nfacct-name " then xtables_save_string's own space
      return ` nfacct-name  ${opt('--nfacct-name') ?? ''}`;
    case 'recent': {
      // libxt_recent recent_print (IPv4)
      const seconds = opt('--seconds');
      return (
        ' recent:' +
        (opts.includes('--set') ? ' SET' : '') +
        (opts.includes('--rcheck') ? ' CHECK' : '') +
        (seconds ? ` seconds: ${seconds}` : '') +
        (opts.includes('--reap') ? ' reap' : '') +
        ` name: ${opt('--name') ?? ''} side: source mask: ${opt('--mask') ?? '255.255.255.255'}`
      );
    }
    default:
      return ` ${name}`;
  }
}

/** A target's print(): MARK's xt_mark_tginfo2 forms, NAT ranges, REJECT's type. */
function targetText(target: string, opts: readonly string[]): string {
  const opt = (o: string) => {
    const i = opts.indexOf(o);
    return i >= 0 ? opts[i + 1] : undefined;
  };
  switch (target) {
    case 'MARK': {
      const [v, m] = (opt('--set-xmark') ?? '0x0/0xffffffff').split('/').map((x) => Number(x));
      const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
      const mark = v ?? 0;
      const mask = m ?? 0xffffffff;
      if (mark === 0) return ` MARK and ${hex(~mask)}`;
      if (mark === mask) return ` MARK or ${hex(mark)}`;
      if (mask === 0) return ` MARK xor ${hex(mark)}`;
      if (mask === 0xffffffff) return ` MARK set ${hex(mark)}`;
      return ` MARK xset ${hex(mark)}/${hex(mask)}`;
    }
    case 'DNAT':
    case 'SNAT': {
      const to = opt(target === 'DNAT' ? '--to-destination' : '--to-source');
      return `${to ? ` to:${to}` : ''}${opts.includes('--random') ? ' random' : ''}${opts.includes('--persistent') ? ' persistent' : ''}`;
    }
    case 'MASQUERADE':
      return `${opt('--to-ports') ? ` masq ports: ${opt('--to-ports')}` : ''}${opts.includes('--random') ? ' random' : ''}${opts.includes('--random-fully') ? ' random-fully' : ''}`;
    case 'REJECT':
      return ` reject-with ${opt('--reject-with') ?? 'icmp-port-unreachable'}`;
    default:
      return '';
  }
}

function parseRule(r: IptRule, numeric: boolean): ParsedRule {
  const w = words(r.line).slice(2);
  const p: ParsedRule = {
    srcInvert: false,
    dstInvert: false,
    protoInvert: false,
    iface: {},
    target: '',
    extras: '',
  };
  let matches = '';
  let invert = false;
  for (let i = 0; i < w.length; i++) {
    const x = w[i]!;
    if (x === '!') {
      invert = true;
      continue;
    }
    if (x === '-s' || x === '-d' || x === '-p' || x === '-i' || x === '-o') {
      const v = w[++i];
      if (x === '-s') [p.src, p.srcInvert] = [v, invert];
      if (x === '-d') [p.dst, p.dstInvert] = [v, invert];
      if (x === '-p') [p.proto, p.protoInvert] = [v, invert];
      if (x === '-i') p.iface.in = `${invert ? '!' : ''}${v ?? ''}`;
      if (x === '-o') p.iface.out = `${invert ? '!' : ''}${v ?? ''}`;
    } else if (x === '-m') {
      const name = w[++i] ?? '';
      const opts: string[] = [];
      while (i + 1 < w.length && !['-m', '-j', '-g', '-s', '-d', '-p'].includes(w[i + 1]!))
        opts.push(w[++i]!);
      // a `!` before the next selector belongs to it, not to this match
      if (opts.at(-1) === '!') {
        opts.pop();
        invert = true;
        matches += matchText(name, opts, numeric);
        continue;
      }
      matches += matchText(name, opts, numeric);
    } else if (x === '-j' || x === '-g') {
      p.target = w[++i] ?? '';
      p.extras = matches + targetText(p.target, w.slice(i + 1));
      return p;
    }
    invert = false;
  }
  p.extras = matches;
  return p;
}

/** Every rule jumping to a chain: its `(N references)`. */
const references = (t: IptTable, chain: string) =>
  t.rules.filter((r) => r.target.kind === 'jump' && r.target.chain === chain).length;

function header(t: IptTable, chain: string, o: ListOptions): string[] {
  const exact = o.exact ?? false;
  let first = `Chain ${chain}`;
  if (t.builtins.includes(chain)) {
    const c = o.counters?.(chain) ?? { packets: 0, bytes: 0 };
    first += o.verbose
      ? ` (policy ACCEPT ${num(c.packets, exact, true)}packets, ${num(c.bytes, exact, true)}bytes)`
      : ' (policy ACCEPT)';
  } else first += ` (${references(t, chain)} references)`;
  let cols = o.lineNumbers ? 'num  ' : '';
  if (o.verbose) cols += exact ? `${'pkts'.padStart(8)} ${'bytes'.padStart(10)} ` : ' pkts bytes ';
  cols += `${'target'.padEnd(9)}  prot opt`;
  if (o.verbose) cols += ` ${'in'.padEnd(6)} ${'out'.padEnd(6)} `;
  cols += ` ${'source'.padEnd(19)}  ${'destination'.padEnd(19)} `;
  return [first, cols];
}

function row(t: IptTable, r: IptRule, n: number, o: ListOptions): string {
  const numeric = o.numeric ?? false;
  const p = parseRule(r, numeric);
  let s = o.lineNumbers ? `${String(n).padEnd(4)} ` : '';
  if (o.verbose) {
    const c = o.counters?.(r.chain, r) ?? { packets: 0, bytes: 0 };
    s += num(c.packets, o.exact ?? false) + num(c.bytes, o.exact ?? false);
  }
  s += `${p.target.padEnd(9)} `;
  s += p.protoInvert ? '!' : ' ';
  const proto = p.proto ?? 'all';
  s += `${(numeric ? String(PROTOCOL_NUMBERS[proto] ?? 0) : proto).padEnd(4)} `;
  s += '-- ';
  if (o.verbose) {
    const any = numeric ? '*' : 'any';
    s += ` ${(p.iface.in ?? any).padEnd(6)} ${(p.iface.out ?? any).padEnd(6)} `;
  }
  s += `${p.srcInvert ? '!' : ' '}${address(p.src, numeric).padEnd(19)} `;
  s += `${p.dstInvert ? '!' : ' '}${address(p.dst, numeric).padEnd(19)} `;
  return s + p.extras;
}

/** `iptables [-t TABLE] -L [CHAIN] [-n] [-v] [-x] [--line-numbers]`; undefined for no such chain. */
export function printIptablesList(
  t: IptTable,
  o: ListOptions = {},
  chain?: string,
): string | undefined {
  const chains = [...t.builtins, ...t.chains];
  if (chain !== undefined && !chains.includes(chain)) return undefined;
  const blocks = (chain === undefined ? chains : [chain]).map((ch) =>
    [
      ...header(t, ch, o),
      ...t.rules.filter((r) => r.chain === ch).map((r, i) => row(t, r, i + 1, o)),
    ].join('\n'),
  );
  return blocks.join('\n\n');
}
