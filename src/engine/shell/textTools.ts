/**
 * The coreutils and grep a learner pipes into (`iptables -t nat -S | grep SEP`),
 * answering as GNU grep 3.8 and coreutils 9.1 (Debian bookworm) do. They read
 * the previous command's output; without a pipe their stdin is the terminal,
 * which here holds nothing.
 */

export interface ToolResult {
  readonly output: string;
  readonly status: number;
}

const linesOf = (stdin: string): string[] => (stdin === '' ? [] : stdin.split('\n'));

/** Single-letter flags, attached (`-vi`) or apart, until the first operand. */
function flagsAndOperands(args: readonly string[]): { flags: Set<string>; operands: string[] } {
  const flags = new Set<string>();
  const operands: string[] = [];
  for (const a of args) {
    if (operands.length === 0 && /^-[A-Za-z]+$/.test(a)) for (const f of a.slice(1)) flags.add(f);
    else if (a.startsWith('--') && operands.length === 0) flags.add(a);
    else operands.push(a);
  }
  return { flags, operands };
}

/**
 * A POSIX basic regular expression as a JavaScript one: in a BRE `+ ? ( ) { } |`
 * are literal and their backslashed forms are the operators (GNU extensions).
 */
function fromBasic(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i]!;
      if ('+?(){}|'.includes(next)) out += next;
      else if (next === '<' || next === '>') out += '\\b';
      else out += `\\${next}`;
    } else if ('+?(){}|'.includes(ch)) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

const escapeFixed = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const GREP_USAGE =
  "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.";

export function grep(args: readonly string[], stdin: string): ToolResult {
  const { flags, operands } = flagsAndOperands(args);
  const [pattern, ...files] = operands;
  if (pattern === undefined) return { output: GREP_USAGE, status: 2 };
  const unknown = [...flags].find((f) => !'vicEFwnHhs'.includes(f) && !f.startsWith('--color'));
  if (unknown)
    return {
      output: `${unknown.startsWith('--') ? `grep: unrecognized option '${unknown}'` : `grep: invalid option -- '${unknown}'`}\n${GREP_USAGE}`,
      status: 2,
    };
  if (files.length)
    return {
      output: files.map((f) => `grep: ${f}: No such file or directory`).join('\n'),
      status: 2,
    };
  let source = flags.has('F')
    ? escapeFixed(pattern)
    : flags.has('E')
      ? pattern.replace(/\\[<>]/g, '\\b')
      : fromBasic(pattern);
  if (flags.has('w')) source = `(?<![\\w])(?:${source})(?![\\w])`;
  let re: RegExp;
  try {
    re = new RegExp(source, flags.has('i') ? 'i' : '');
  } catch {
    return { output: 'grep: Unmatched ( or \\(', status: 2 };
  }
  const invert = flags.has('v');
  const hits = linesOf(stdin)
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => re.test(line) !== invert);
  const status = hits.length ? 0 : 1;
  if (flags.has('c')) return { output: String(hits.length), status };
  const output = hits.map(({ line, n }) => (flags.has('n') ? `${n}:${line}` : line)).join('\n');
  return { output, status };
}

/** `-n N`, `-nN` or the old `-N`. */
function lineCount(args: readonly string[]): number | string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-n') return args[i + 1] ?? '';
    if (/^-n.+/.test(a)) return a.slice(2);
    if (/^-\d+$/.test(a)) return a.slice(1);
  }
  return undefined;
}

function headOrTail(name: 'head' | 'tail', args: readonly string[], stdin: string): ToolResult {
  const raw = lineCount(args) ?? '10';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    return { output: `${name}: invalid number of lines: ‘${raw}’`, status: 1 };
  const lines = linesOf(stdin);
  return {
    output: (name === 'head' ? lines.slice(0, n) : n === 0 ? [] : lines.slice(-n)).join('\n'),
    status: 0,
  };
}

export const head = (args: readonly string[], stdin: string) => headOrTail('head', args, stdin);
export const tail = (args: readonly string[], stdin: string) => headOrTail('tail', args, stdin);

/** wc: one count alone is printed bare; several share a width of 7 (stdin has no size to size them by). */
export function wc(args: readonly string[], stdin: string): ToolResult {
  const { flags } = flagsAndOperands(args);
  const text = stdin === '' ? '' : `${stdin}\n`;
  const counts: number[] = [];
  const all = !flags.has('l') && !flags.has('w') && !flags.has('c') && !flags.has('m');
  if (all || flags.has('l')) counts.push(linesOf(stdin).length);
  if (all || flags.has('w')) counts.push(text.split(/\s+/).filter(Boolean).length);
  if (all || flags.has('c') || flags.has('m')) counts.push(new TextEncoder().encode(text).length);
  const output =
    counts.length === 1 ? String(counts[0]) : counts.map((c) => String(c).padStart(7)).join(' ');
  return { output, status: 0 };
}

export function echo(args: readonly string[]): ToolResult {
  const words = args[0] === '-n' || args[0] === '-e' ? args.slice(1) : args;
  return { output: words.join(' '), status: 0 };
}
