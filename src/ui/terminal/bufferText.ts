import type { IBuffer } from '@xterm/xterm';

/**
 * The text a person reads in the terminal (scrollback and screen), rows that
 * xterm wrapped joined back into the line that was written, trailing blanks
 * dropped. The e2e tests read this, so they assert on what is on screen.
 */
export function bufferText(buffer: IBuffer): string {
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y++) {
    const row = buffer.getLine(y);
    if (!row) continue;
    // untrimmed: a row that wraps may end in the blank between two words
    const text = row.translateToString(false);
    if (row.isWrapped && lines.length) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  const text = lines.map((l) => l.trimEnd());
  while (text.length && text.at(-1) === '') text.pop();
  return text.join('\n');
}
