/**
 * A bash command line as a list of pipelines: `a | b && c; d || e`. Only the
 * grammar learners type in a terminal: pipes, `;`, `&&`, `||`, quotes and
 * comments (bash(1), "Lists"). Redirections and substitutions are plain words.
 */

/** How a pipeline is joined to the one before it. */
export type ListOperator = ';' | '&&' | '||';

export interface Command {
  readonly argv: readonly string[];
  /** `> FILE` or `&> FILE`: what it prints goes to a file (the playground keeps no files) */
  readonly stdoutToFile: boolean;
}

export interface Pipeline {
  readonly after: ListOperator;
  readonly commands: readonly Command[];
}

export type ParsedLine =
  | { readonly ok: true; readonly pipelines: readonly Pipeline[] }
  | { readonly ok: false; readonly error: string };

type Token =
  | { readonly word: string }
  | { readonly op: '|' | ListOperator }
  /** `>`, `>>`, `2>`, `&>`; `2>&1` carries no target */
  | { readonly redirect: 'stdout' | 'stderr' | 'both'; readonly toFd: boolean };

function lex(line: string): Token[] {
  const out: Token[] = [];
  let cur = '';
  let quote: string | null = null;
  let any = false;
  const flush = () => {
    if (cur || any) out.push({ word: cur });
    cur = '';
    any = false;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      any = true;
    } else if (ch === '#' && !cur && !any) {
      // a word starting with # begins a comment
      break;
    } else if (/\s/.test(ch)) {
      flush();
    } else if (ch === '>' && (!any || cur === '1' || cur === '2' || cur === '&')) {
      const fd = cur === '2' ? 'stderr' : cur === '&' ? 'both' : 'stdout';
      cur = '';
      any = false;
      if (line[i + 1] === '>') i++;
      const dup = /^&\d/.exec(line.slice(i + 1));
      if (dup) i += 2;
      out.push({ redirect: fd, toFd: dup !== null });
    } else if (ch === '&' && line[i + 1] === '>' && !any) {
      any = true;
      cur = '&';
    } else if (ch === '|' || ch === ';' || ch === '&') {
      flush();
      const two = line.slice(i, i + 2);
      if (two === '||' || two === '&&') {
        out.push({ op: two });
        i++;
      } else if (ch === '&') {
        // a background job: the playground runs everything in the foreground
        out.push({ op: ';' });
      } else out.push({ op: ch });
    } else {
      cur += ch;
      any = true;
    }
  }
  flush();
  return out;
}

/** The words of a line as bash splits them (quotes removed), operators left out: for completion. */
export const wordsOf = (line: string): string[] =>
  lex(line).flatMap((t) => ('word' in t ? [t.word] : []));

/** bash's own complaint for an operator with nothing before it. */
const unexpected = (op: string) => `bash: syntax error near unexpected token \`${op}'`;

export function parseCommandLine(line: string): ParsedLine {
  const pipelines: Pipeline[] = [];
  let after: ListOperator = ';';
  let commands: Command[] = [];
  let words: string[] = [];
  let toFile = false;
  let dangling = false;
  let awaitingTarget: 'stdout' | 'stderr' | 'both' | undefined;
  for (const t of lex(line)) {
    if ('word' in t) {
      if (awaitingTarget) {
        if (awaitingTarget !== 'stderr') toFile = true;
        awaitingTarget = undefined;
      } else words.push(t.word);
      dangling = false;
      continue;
    }
    if (awaitingTarget) return { ok: false, error: unexpected('op' in t ? t.op : '>') };
    if ('redirect' in t) {
      if (!t.toFd) {
        awaitingTarget = t.redirect;
        dangling = true;
      }
      continue;
    }
    dangling = t.op !== ';';
    if (words.length === 0) return { ok: false, error: unexpected(t.op) };
    commands.push({ argv: words, stdoutToFile: toFile });
    words = [];
    toFile = false;
    if (t.op === '|') continue;
    pipelines.push({ after, commands });
    commands = [];
    after = t.op;
  }
  // `a |` or `a &&` at the end: bash waits for more; here the line is all there is
  if (awaitingTarget)
    return { ok: false, error: "bash: syntax error near unexpected token `newline'" };
  if (dangling) return { ok: false, error: 'bash: syntax error: unexpected end of file' };
  if (words.length) commands.push({ argv: words, stdoutToFile: toFile });
  if (commands.length) pipelines.push({ after, commands });
  return { ok: true, pipelines };
}
