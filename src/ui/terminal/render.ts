/**
 * Drawing a prompt and its line with VT100 sequences, the way readline
 * redisplays: from the row the prompt started on, whatever the line's
 * wrapping across the terminal's width. Positions count cells from the
 * prompt's first column; every character is one cell wide.
 */

const up = (n: number) => (n > 0 ? `\x1b[${n}A` : '');
const right = (n: number) => (n > 0 ? `\x1b[${n}C` : '');

/** Row within the prompt's block of a cell position, as the cursor sits after we place it. */
const rowOf = (pos: number, cols: number) => Math.floor(pos / cols);

/** Moves the cursor from one cell position to another within the drawn block. */
export function moveCursor(from: number, to: number, cols: number): string {
  const dRow = rowOf(from, cols) - rowOf(to, cols);
  // CSI B, not LF: a line feed clears xterm's "wrapped" mark on the row it lands on,
  // which would split the edited line in two; the rows below exist, they were just drawn
  const down = dRow < 0 ? `\x1b[${-dRow}B` : '';
  return `${up(dRow)}${down}\r${right(to % cols)}`;
}

/**
 * Redraws prompt + line and leaves the cursor at `cursor`. `from` is where
 * the cursor is now (a cell position). Writing exactly to the right margin
 * leaves xterm's cursor pending a wrap; " \r" settles it on the next row as
 * readline does, so positions map to rows by plain division.
 */
export function redraw(
  prompt: string,
  text: string,
  cursor: number,
  from: number,
  cols: number,
): string {
  const end = prompt.length + text.length;
  const settle = end > 0 && end % cols === 0 ? ' \r' : '';
  return `${up(rowOf(from, cols))}\r${prompt}${text}${settle}\x1b[J${moveCursor(end, prompt.length + cursor, cols)}`;
}

/** Lists completion candidates in columns down then across, as bash does. */
export function columns(words: readonly string[], cols: number): string[] {
  const width = Math.max(...words.map((w) => w.length)) + 2;
  const across = Math.max(1, Math.floor(cols / width));
  const rows = Math.ceil(words.length / across);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < across; c++) {
      const w = words[c * rows + r];
      if (w !== undefined) line += w.padEnd(width);
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** Program output as the terminal wants it: CRLF line ends (no pty here to translate \n). */
export const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
