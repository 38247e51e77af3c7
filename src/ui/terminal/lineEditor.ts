import type { Key } from './keys';

/** The line being typed at a prompt, readline-style: text, cursor and a walk through history. */
export interface LineState {
  readonly text: string;
  readonly cursor: number;
  /** index into the history while walking it with Up/Down; history.length means the new line */
  readonly historyAt: number;
  /** the new line as typed before walking into history, given back on the way down */
  readonly draft: string;
}

export const emptyLine = (history: readonly string[]): LineState => ({
  text: '',
  cursor: 0,
  historyAt: history.length,
  draft: '',
});

/** What a key asks of the terminal beyond editing the line. */
export type LineEffect = 'submit' | 'complete' | 'interrupt' | 'clearScreen' | 'eof';

export interface EditResult {
  readonly line: LineState;
  readonly effect?: LineEffect;
}

const at = (line: LineState, text: string, cursor: number): LineState => ({
  ...line,
  text,
  cursor: Math.max(0, Math.min(text.length, cursor)),
});

function recall(line: LineState, history: readonly string[], to: number): LineState {
  if (to < 0 || to > history.length || to === line.historyAt) return line;
  const draft = line.historyAt === history.length ? line.text : line.draft;
  const text = to === history.length ? draft : (history[to] ?? '');
  return { text, cursor: text.length, historyAt: to, draft };
}

/** Applies one key to the line (pure: the terminal draws the result). */
export function editLine(line: LineState, key: Key, history: readonly string[]): EditResult {
  const { text, cursor } = line;
  switch (key.kind) {
    case 'text':
      return {
        line: at(
          line,
          text.slice(0, cursor) + key.text + text.slice(cursor),
          cursor + key.text.length,
        ),
      };
    case 'backspace':
      return {
        line:
          cursor > 0 ? at(line, text.slice(0, cursor - 1) + text.slice(cursor), cursor - 1) : line,
      };
    case 'delete':
      return { line: at(line, text.slice(0, cursor) + text.slice(cursor + 1), cursor) };
    case 'left':
      return { line: at(line, text, cursor - 1) };
    case 'right':
      return { line: at(line, text, cursor + 1) };
    case 'home':
      return { line: at(line, text, 0) };
    case 'end':
      return { line: at(line, text, text.length) };
    case 'up':
      return { line: recall(line, history, line.historyAt - 1) };
    case 'down':
      return { line: recall(line, history, line.historyAt + 1) };
    case 'killLine':
      return { line: at(line, text.slice(cursor), 0) };
    case 'killToEnd':
      return { line: at(line, text.slice(0, cursor), cursor) };
    case 'killWord': {
      // readline's unix-word-rubout: back over spaces, then over the word
      const start = text.slice(0, cursor).replace(/\S*\s*$/, '').length;
      return { line: at(line, text.slice(0, start) + text.slice(cursor), start) };
    }
    case 'eof':
      // bash: Ctrl+D on an empty line ends the shell; otherwise it deletes under the cursor
      return text === ''
        ? { line, effect: 'eof' }
        : { line: at(line, text.slice(0, cursor) + text.slice(cursor + 1), cursor) };
    case 'enter':
      return { line, effect: 'submit' };
    case 'tab':
      return { line, effect: 'complete' };
    case 'interrupt':
      return { line, effect: 'interrupt' };
    case 'clearScreen':
      return { line, effect: 'clearScreen' };
  }
}

/** bash's HISTCONTROL=ignoreboth: no blank lines, no lines starting with a space, no repeats. */
export function remember(history: readonly string[], text: string): string[] {
  if (!text.trim() || text.startsWith(' ') || history.at(-1) === text) return [...history];
  return [...history, text].slice(-500);
}

/** Where the word under completion starts: after the last blank before the cursor. */
export const wordStart = (text: string, cursor: number): number =>
  text.slice(0, cursor).search(/\S*$/);

const commonPrefix = (words: readonly string[]): string =>
  words.reduce((p, w) => {
    let i = 0;
    while (i < p.length && i < w.length && p[i] === w[i]) i++;
    return p.slice(0, i);
  }, words[0] ?? '');

/**
 * Tab completion as bash does it: one candidate is completed (with a space
 * after it), several are extended to their common prefix, and when nothing
 * more can be added they are listed.
 */
export function complete(
  line: LineState,
  candidates: readonly string[],
): { line: LineState; list?: readonly string[] } {
  const start = wordStart(line.text, line.cursor);
  const word = line.text.slice(start, line.cursor);
  const fits = candidates.filter((c) => c.startsWith(word));
  if (fits.length === 0) return { line };
  const only = fits.length === 1;
  const prefix = only ? `${fits[0]} ` : commonPrefix(fits);
  if (prefix.length > word.length) {
    const rest = line.text.slice(line.cursor);
    const insert = only && rest.startsWith(' ') ? prefix.trimEnd() : prefix;
    const text = line.text.slice(0, start) + insert + rest;
    return { line: at(line, text, start + insert.length) };
  }
  // bash lists them sorted
  return { line, list: [...fits].sort() };
}
