/**
 * Go's text/tabwriter as kubectl describe sets it up (describe.go tabbedString:
 * minwidth 0, tabwidth 8, padding 2, pad with spaces, no flags). A tab ends a
 * cell; a column is a run of consecutive lines that have a tab-terminated cell
 * at that index, as wide as its widest cell plus the padding; the cell after a
 * line's last tab is never part of a column (tabwriter.go Writer.format).
 */
const width = (s: string) => [...s].length;

export function tabwrite(text: string, padding = 2): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const out: string[] = [];

  const writeLines = (widths: readonly number[], from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      let line = '';
      cells.forEach((c, j) => {
        line += c;
        if (j < widths.length) line += ' '.repeat(Math.max(0, widths[j]! - width(c)));
      });
      out.push(line);
    }
  };

  const format = (widths: readonly number[], line0: number, line1: number) => {
    const column = widths.length;
    let start = line0;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      writeLines(widths, start, t);
      start = t;
      let w = 0;
      for (; t < line1; t++) {
        const cells = lines[t]!;
        if (column >= cells.length - 1) break;
        w = Math.max(w, width(cells[column]!) + padding);
      }
      format([...widths, w], start, t);
      start = t;
    }
    writeLines(widths, start, line1);
  };

  format([], 0, lines.length);
  return out.join('\n');
}
