/**
 * What a terminal's input stream means, key by key. xterm.js hands us the
 * bytes a real terminal would send to the pty (VT100/xterm sequences), so a
 * paste arrives as many keys in one chunk.
 */
export type Key =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind:
        | 'enter'
        | 'backspace'
        | 'delete'
        | 'left'
        | 'right'
        | 'up'
        | 'down'
        | 'home'
        | 'end'
        | 'tab'
        | 'interrupt'
        | 'eof'
        | 'clearScreen'
        | 'killLine'
        | 'killToEnd'
        | 'killWord';
    };

/** CSI and SS3 sequences xterm sends for the keys a line editor cares about (others are ignored). */
const SEQUENCES: Readonly<Record<string, Key['kind']>> = {
  '\x1b[A': 'up',
  '\x1b[B': 'down',
  '\x1b[C': 'right',
  '\x1b[D': 'left',
  '\x1bOA': 'up',
  '\x1bOB': 'down',
  '\x1bOC': 'right',
  '\x1bOD': 'left',
  '\x1b[H': 'home',
  '\x1b[F': 'end',
  '\x1bOH': 'home',
  '\x1bOF': 'end',
  '\x1b[1~': 'home',
  '\x1b[4~': 'end',
  '\x1b[3~': 'delete',
};

/** Control characters, as readline binds them by default (emacs mode). */
const CONTROLS: Readonly<Record<string, Key['kind']>> = {
  '\r': 'enter',
  '\n': 'enter',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\t': 'tab',
  '\x01': 'home', // Ctrl+A
  '\x05': 'end', // Ctrl+E
  '\x02': 'left', // Ctrl+B
  '\x06': 'right', // Ctrl+F
  '\x10': 'up', // Ctrl+P
  '\x0e': 'down', // Ctrl+N
  '\x03': 'interrupt', // Ctrl+C
  '\x04': 'eof', // Ctrl+D
  '\x0c': 'clearScreen', // Ctrl+L
  '\x15': 'killLine', // Ctrl+U
  '\x0b': 'killToEnd', // Ctrl+K
  '\x17': 'killWord', // Ctrl+W
};

// what follows ESC in a sequence: CSI (`[` params final) or SS3 (`O` final); a lone ESC is the Esc key
const AFTER_ESC = /^(?:\[[0-9;?]*[@-~]|O[@-~])?/;

/** Splits one onData chunk into keys; a pasted "a\r\nb" is text, enter, text (a CRLF is one enter). */
export function parseKeys(data: string): Key[] {
  const keys: Key[] = [];
  let text = '';
  const flush = () => {
    if (text) keys.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < data.length;) {
    const ch = data[i] as string;
    if (ch === '\x1b') {
      flush();
      const seq = ch + (AFTER_ESC.exec(data.slice(i + 1))?.[0] ?? '');
      const kind = SEQUENCES[seq];
      if (kind) keys.push({ kind } as Key);
      i += seq.length;
    } else if (ch === '\r' && data[i + 1] === '\n') {
      flush();
      keys.push({ kind: 'enter' });
      i += 2;
    } else if (CONTROLS[ch]) {
      flush();
      keys.push({ kind: CONTROLS[ch] } as Key);
      i += 1;
    } else {
      // other control characters (Ctrl+Z, Ctrl+R…) do nothing here
      if (ch >= ' ') text += ch;
      i += 1;
    }
  }
  flush();
  return keys;
}
