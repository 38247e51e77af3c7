import { parsePrefix, type Prefix } from '../addr/ip';
import { parseIp } from '../addr/ip';
import type { CtState, IptRule, RuleMatch, RuleTarget } from './iptables';

/**
 * One rule as kube-proxy hands it to iptables-restore (`-A CHAIN -m comment --comment "…"
 * -m tcp -p tcp -d 10.96.0.1 --dport 443 -j KUBE-SVC-…`), turned into what the kernel
 * then holds: the rule's meaning for the walk, and the line `iptables-save` / `iptables -S`
 * prints back. The kernel keeps matches, not words, so the printed line is in iptables'
 * own order (iptables-nft nft_ipv4_save_rule, libxtables): `-s`, `-d`, `-p` first, then the
 * matches in the order written, each with its save function's spelling, then `-j` and the
 * target's options as its save function prints them.
 */

/** libxtables xtables_save_string: quoted unless the text is only [_-0-9A-Za-z] */
export function saveString(value: string): string {
  if (/^[_\-0-9A-Za-z]+$/.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/** A rule's comment as iptables-save prints it (`--comment "…"`), or undefined without one. */
export const ruleComment = (line: string): string | undefined =>
  /--comment "([^"]*)"/.exec(line)?.[1] ?? /--comment (\S+)/.exec(line)?.[1];

/** A prefix as iptables prints it: an address alone is a /32 */
function savePrefix(text: string): Prefix {
  const p = parsePrefix(text.includes('/') ? text.trim() : `${text.trim()}/32`);
  if (!p.ok) throw new Error(`iptables rule: bad address ${text}`);
  return p.value;
}

const hex = (n: number) => `0x${n.toString(16)}`;
const CT_ORDER: readonly CtState[] = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'SNAT', 'DNAT'];

/**
 * xt_statistic keeps the probability as a u32 fraction of 2^31 and prints it
 * back with %.11f, so 1/3 shows as 0.33333333349.
 */
export function statisticProbability(p: number): number {
  return Math.round(0x80000000 * p) / 0x80000000;
}

interface Parsed {
  src?: { text: string; negate: boolean };
  dst?: { text: string; negate: boolean };
  proto?: string;
  matches: string[];
  target?: string;
}

/**
 * `args` are the words after `-A CHAIN`, exactly as kube-proxy writes them (proxier.go's
 * natRules.Write / filterRules.Write), a quoted comment being one word with its quotes.
 */
export function restoreRule(chain: string, args: readonly string[]): IptRule {
  const words = args.map((w) => (w.startsWith('"') && w.endsWith('"') ? w.slice(1, -1) : w));
  const out: Parsed = { matches: [] };
  const match: { -readonly [K in keyof RuleMatch]: RuleMatch[K] } = {};
  let target: RuleTarget = { kind: 'none' };
  let module = '';
  let moduleText: string[] = [];
  // recent: its save function prints the options in its own order, whatever order was written
  let recent: { set?: boolean; rcheck?: boolean; seconds?: number; reap?: boolean; name?: string } =
    {};
  const flush = () => {
    if (module === 'recent' && recent.name !== undefined) {
      // libxt_recent recent_save (IPv4): --set | --rcheck, --seconds, --reap, --name, --mask, --rsource
      moduleText = [
        ...(recent.set ? ['--set'] : []),
        ...(recent.rcheck ? ['--rcheck'] : []),
        ...(recent.seconds ? [`--seconds ${recent.seconds}`] : []),
        ...(recent.reap ? ['--reap'] : []),
        `--name ${recent.name}`,
        '--mask 255.255.255.255',
        '--rsource',
      ];
      match.recent = {
        name: recent.name,
        mode: recent.rcheck ? 'rcheck' : 'set',
        ...(recent.seconds ? { seconds: recent.seconds } : {}),
      };
      recent = {};
    }
    if (module) out.matches.push([`-m ${module}`, ...moduleText].join(' '));
    module = '';
    moduleText = [];
  };
  let i = 0;
  let negate = false;
  const next = () => words[++i] ?? '';
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (w === '!') {
      negate = true;
      continue;
    }
    if (w === '-s' || w === '-d') {
      const text = next();
      const prefix = savePrefix(text);
      out[w === '-s' ? 'src' : 'dst'] = { text: prefix.text, negate };
      if (w === '-s') match.src = { prefix, negate };
      else {
        match.dst = prefix;
        if (negate) match.dstNegate = true;
      }
      negate = false;
      continue;
    }
    if (w === '-p') {
      out.proto = next();
      match.proto = out.proto as 'tcp' | 'udp';
      continue;
    }
    if (w === '-m') {
      flush();
      module = next();
      continue;
    }
    if (w === '-j') {
      flush();
      const name = next();
      const rest = words.slice(i + 1);
      target = targetOf(name, rest);
      out.target = saveTarget(name, rest);
      break;
    }
    // an option of the current match
    const bang = negate ? '! ' : '';
    switch (w) {
      case '--comment':
        moduleText.push(`--comment ${saveString(next())}`);
        break;
      case '--dport': {
        const port = Number(next());
        match.dport = port;
        moduleText.push(`${bang}--dport ${port}`);
        break;
      }
      case '--mode':
        moduleText.push(`--mode ${next()}`);
        break;
      case '--probability': {
        const p = statisticProbability(Number(next()));
        match.probability = p;
        moduleText.push(`--probability ${p.toFixed(11)}`);
        break;
      }
      case '--dst-type':
      case '--src-type': {
        const type = next();
        if (type === 'LOCAL') match[w === '--dst-type' ? 'dstLocal' : 'srcLocal'] = true;
        moduleText.push(`${bang}${w} ${type}`);
        break;
      }
      case '--mark': {
        const [value, mask] = next().split('/');
        const m = { value: Number(value), mask: Number(mask ?? '0xffffffff'), negate };
        match.mark = m;
        moduleText.push(`${bang}--mark ${hex(m.value)}${mask ? `/${hex(m.mask)}` : ''}`);
        break;
      }
      case '--ctstate': {
        const states = next().split(',') as CtState[];
        match.ctstate = { states, negate };
        const ordered = CT_ORDER.filter((s) => states.includes(s));
        moduleText.push(`${bang}--ctstate ${ordered.join(',')}`);
        break;
      }
      case '--nfacct-name':
        // libxt_nfacct nfacct_print_name prints "--nfacct-name " and xtables_save_string its own
        // leading space: two spaces, as every iptables-save of such a node shows
        moduleText.push(`--nfacct-name  ${saveString(next())}`);
        break;
      case '--name':
        recent.name = next();
        break;
      case '--set':
        recent.set = true;
        break;
      case '--rcheck':
        recent.rcheck = true;
        break;
      case '--seconds':
        recent.seconds = Number(next());
        break;
      case '--reap':
        recent.reap = true;
        break;
      default:
        throw new Error(`iptables rule: podhop does not model ${w}`);
    }
    negate = false;
  }
  flush();
  const head = [
    ...(out.src ? [`${out.src.negate ? '! ' : ''}-s ${out.src.text}`] : []),
    ...(out.dst ? [`${out.dst.negate ? '! ' : ''}-d ${out.dst.text}`] : []),
    ...(out.proto ? [`-p ${out.proto}`] : []),
  ];
  const line = [`-A ${chain}`, ...head, ...out.matches, ...(out.target ? [out.target] : [])].join(
    ' ',
  );
  return { chain, match, target, line };
}

function targetOf(name: string, rest: readonly string[]): RuleTarget {
  switch (name) {
    case 'RETURN':
      return { kind: 'return' };
    case 'ACCEPT':
      return { kind: 'accept' };
    case 'DROP':
      return { kind: 'drop' };
    case 'REJECT':
      return { kind: 'reject' };
    case 'MASQUERADE':
      return { kind: 'masquerade' };
    case 'MARK': {
      const value = Number(rest[1]);
      return rest[0] === '--xor-mark'
        ? { kind: 'clearMark', bits: value }
        : { kind: 'mark', set: value };
    }
    case 'DNAT': {
      const [ip, port] = (rest[1] ?? '').split(':');
      const to = parseIp(ip ?? '');
      if (!to.ok) throw new Error(`iptables rule: bad DNAT target ${rest[1]}`);
      return { kind: 'dnat', to: to.value, port: Number(port) };
    }
    default:
      return { kind: 'jump', chain: name };
  }
}

/** each target's save function (libxt_MARK, libipt_REJECT, libxt_DNAT, libxt_MASQUERADE) */
function saveTarget(name: string, rest: readonly string[]): string {
  switch (name) {
    case 'MARK': {
      const value = Number(rest[1]);
      return `-j MARK --set-xmark ${hex(value)}/${rest[0] === '--xor-mark' ? '0x0' : hex(value)}`;
    }
    case 'REJECT':
      return `-j REJECT --reject-with ${rest[1] ?? 'icmp-port-unreachable'}`;
    default:
      return [`-j ${name}`, ...rest].join(' ');
  }
}
