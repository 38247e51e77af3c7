import { type ConntrackEntry, type Network } from '../../engine/index';
import {
  newShellSession,
  runShell,
  shellCompletions,
  shellPrompt,
  type ShellContext,
  type ShellPlay,
  type ShellSession,
} from '../../engine/shell/index';
import { parseKeys } from './keys';
import { complete, editLine, emptyLine, remember, type LineState } from './lineEditor';
import { columns, crlf, moveCursor, redraw } from './render';

/** The part of xterm.js a shell needs (a Terminal fits it; tests can pass a fake). */
export interface Screen {
  readonly cols: number;
  write(data: string): void;
}

/** What the shell asks of the playground around it. */
export interface ShellHost {
  /** the network as it is now: the scenario may have changed since the terminal opened */
  network(): { ok: true; net: Network } | { ok: false; text: string };
  play(p: ShellPlay): void;
  exit(): void;
}

/** What a namespace's terminal keeps while the dock is open: the shell's state and its history. */
interface Tab {
  readonly session: ShellSession;
  history: string[];
}

const DIM = (s: string) => `\x1b[2m${s}\x1b[22m`;
/** home, erase the screen, erase the scrollback (CSI 3 J): what `clear` does in xterm */
const CLEAR = '\x1b[H\x1b[2J\x1b[3J';

/**
 * An interactive shell over the engine's runShell: one per dock. It edits
 * the line, runs it against the current network and draws on a Screen.
 * Sessions (conntrack, ports, history) are kept per namespace, so going
 * back to a namespace carries on where it was.
 */
export class ShellTerminal {
  private readonly tabs = new Map<string, Tab>();
  private tab: Tab | null = null;
  private line: LineState = emptyLine([]);
  /** the prompt as drawn (it does not change while a line is edited) */
  private prompt = '';
  /** the shell ended (its namespace went away): the next key closes the dock */
  private ended = false;

  constructor(
    private readonly screen: Screen,
    private readonly host: ShellHost,
  ) {}

  private readonly conntrack: ConntrackEntry[] = [];

  get namespace(): string | null {
    return this.tab?.session.namespace ?? null;
  }

  /** Opens (or returns to) the shell in a namespace, on a fresh screen. */
  attach(namespace: string, banner: string) {
    if (this.namespace === namespace) return;
    let tab = this.tabs.get(namespace);
    if (!tab) {
      // one conntrack table per dock: every terminal sees the connections the others made
      tab = { session: newShellSession(namespace, this.conntrack), history: [] };
      this.tabs.set(namespace, tab);
    }
    this.tab = tab;
    this.ended = false;
    this.line = emptyLine(tab.history);
    this.screen.write(CLEAR);
    if (banner) this.screen.write(`${DIM(banner)}\r\n`);
    this.showPrompt();
  }

  /** Feeds what xterm's onData gave (keys, or a paste). */
  input(data: string) {
    const tab = this.tab;
    if (!tab) return;
    if (this.ended) {
      this.host.exit();
      return;
    }
    for (const key of parseKeys(data)) {
      const { line, effect } = editLine(this.line, key, tab.history);
      if (!effect) {
        this.draw(line);
        continue;
      }
      switch (effect) {
        case 'submit':
          this.submit(tab);
          break;
        case 'complete':
          this.complete(tab);
          break;
        case 'interrupt':
          this.toEnd();
          this.screen.write('^C\r\n');
          this.line = emptyLine(tab.history);
          this.showPrompt();
          break;
        case 'clearScreen':
          // readline's clear-screen keeps the line being typed
          this.screen.write(CLEAR);
          this.showPrompt(this.line);
          break;
        case 'eof':
          this.screen.write('exit\r\n');
          this.host.exit();
          return;
      }
      if (this.ended || this.tab !== tab) return;
    }
  }

  private ctx(net: Network, tab: Tab): ShellContext {
    return { net, session: tab.session };
  }

  private cellOf(line: LineState) {
    return this.prompt.length + line.cursor;
  }

  private draw(line: LineState, from = this.cellOf(this.line)) {
    this.line = line;
    this.screen.write(redraw(this.prompt, line.text, line.cursor, from, this.screen.cols));
  }

  /** Puts the cursor after the line's last character, so what follows starts below it. */
  private toEnd() {
    const end = this.prompt.length + this.line.text.length;
    this.screen.write(moveCursor(this.cellOf(this.line), end, this.screen.cols));
    this.line = { ...this.line, cursor: this.line.text.length };
  }

  private showPrompt(line: LineState = this.line) {
    const built = this.host.network();
    this.prompt =
      built.ok && this.tab ? shellPrompt(this.ctx(built.net, this.tab)) : this.fallbackPrompt();
    // the cursor is at the start of a row: draw from there
    this.draw(line, 0);
  }

  private fallbackPrompt() {
    return `root@${this.namespace ?? ''}:/# `;
  }

  private submit(tab: Tab) {
    const text = this.line.text;
    this.toEnd();
    this.screen.write('\r\n');
    tab.history = remember(tab.history, text);
    this.line = emptyLine(tab.history);
    if (!text.trim()) return this.showPrompt();
    const built = this.host.network();
    if (!built.ok) {
      this.screen.write(`${crlf(built.text)}\r\n`);
      return this.showPrompt();
    }
    const result = runShell(this.ctx(built.net, tab), text);
    if (result.output) this.screen.write(`${crlf(result.output)}\r\n`);
    if (result.play) this.host.play(result.play);
    if (result.exit) {
      if (text.trim().split(/\s+/)[0] === 'exit') return this.host.exit();
      // the namespace went away under the shell (kubectl exec: the pod was deleted)
      this.ended = true;
      this.tabs.delete(tab.session.namespace);
      this.screen.write(`${DIM('[session ended — press any key to close]')}`);
      return;
    }
    if (result.clear) this.screen.write(CLEAR);
    this.showPrompt();
  }

  private complete(tab: Tab) {
    const built = this.host.network();
    if (!built.ok) return;
    const before = this.line.text.slice(0, this.line.cursor);
    const { line, list } = complete(this.line, shellCompletions(this.ctx(built.net, tab), before));
    if (!list) return this.draw(line);
    // several candidates: list them under the line, then draw the prompt and line again
    const keep = this.line;
    this.toEnd();
    this.screen.write(`\r\n${columns(list, this.screen.cols).join('\r\n')}\r\n`);
    this.showPrompt(keep);
  }
}
