/**
 * Characters a reader cannot see, or that reorder what they can: C0/C1 controls
 * and DEL (Cc), format characters (Cf: U+200B ZERO WIDTH SPACE, U+202E RIGHT-TO-LEFT
 * OVERRIDE, U+2066–2069 isolates, U+FEFF…) and the line/paragraph separators.
 * Left raw in a notice they make it read as something else ("Trojan Source",
 * CVE-2021-42574).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

const hex = (cp: number, width: number) => cp.toString(16).padStart(width, '0');

/**
 * User input as a message may embed it: every invisible or bidirectional
 * control character escaped, the rest as typed. kubectl and the apiserver print
 * such values through Go's `%q` (strconv.Quote), which writes `\u202e` for a
 * rune that is not printable and `\U000e0001` beyond the BMP; `\t`, `\n`, `\r`
 * as their short escapes.
 */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\t') return '\\t';
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (cp < 0x80) return `\\x${hex(cp, 2)}`;
    return cp > 0xffff ? `\\U${hex(cp, 8)}` : `\\u${hex(cp, 4)}`;
  });
}
