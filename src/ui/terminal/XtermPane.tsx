import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import type { AppStore } from '../../store/createAppStore';
import { selectBuild, selectNetwork } from '../../store/derived';
import { useAppStore } from '../storeContext';
import { bufferText } from './bufferText';
import { ShellTerminal, type ShellHost } from './controller';
import { onSchemeChange, terminalTheme } from './theme';

/** The shell reads the store when it runs a command, never a copy from when it opened. */
const hostFor = (store: AppStore): ShellHost => ({
  network() {
    const b = selectBuild(store.getState());
    return b.ok
      ? { ok: true, net: b.network }
      : { ok: false, text: b.problems[0]?.text ?? 'the cluster does not build' };
  },
  play: (p) => store.getState().setPlay(p),
  exit: () => store.getState().closeTerminal(),
});

function banner(store: AppStore, namespace: string): string {
  const kind = selectNetwork(store.getState())?.namespace(namespace)?.kind;
  return `Shell in ${namespace}${kind ? ` (${kind})` : ''}. Try ip route, ping, curl; help lists all. Esc, Tab: leave.`;
}

/**
 * xterm.js and the shell behind it (loaded on demand: the playground does
 * not pay for a terminal nobody opened). One terminal for the dock; each
 * namespace keeps its own session in the ShellTerminal while the dock is open.
 */
export default function XtermPane({ namespace }: { namespace: string }) {
  const store = useAppStore();
  const hostRef = useRef<HTMLDivElement>(null);
  const mirrorRef = useRef<HTMLPreElement>(null);
  const shellRef = useRef<{ shell: ShellTerminal; term: Terminal } | null>(null);

  useEffect(() => {
    const el = hostRef.current;
    if (!el) return;
    const { theme, fontFamily } = terminalTheme();
    const term = new Terminal({
      theme,
      fontFamily,
      fontSize: 13,
      cursorBlink: true,
      scrollback: 2000,
      screenReaderMode: true,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    fit.fit();
    const shell = new ShellTerminal(term, hostFor(store));
    shellRef.current = { shell, term };

    // Tab completes in the shell; Esc then Tab gives it back to the page (no keyboard trap)
    let escaped = false;
    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown') return true;
      if (e.key === 'Tab' && escaped) {
        escaped = false;
        return false;
      }
      escaped = e.key === 'Escape';
      return true;
    });
    const data = term.onData((d) => shell.input(d));

    let frame = 0;
    const parsed = term.onWriteParsed(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (mirrorRef.current) mirrorRef.current.textContent = bufferText(term.buffer.active);
      });
    });
    const resize = new ResizeObserver(() => fit.fit());
    resize.observe(el);
    const unscheme = onSchemeChange(() => {
      const next = terminalTheme();
      term.options.theme = next.theme;
    });
    return () => {
      cancelAnimationFrame(frame);
      unscheme();
      resize.disconnect();
      parsed.dispose();
      data.dispose();
      term.dispose();
      shellRef.current = null;
    };
  }, [store]);

  useEffect(() => {
    const cur = shellRef.current;
    if (!cur) return;
    cur.shell.attach(namespace, banner(store, namespace));
    cur.term.focus();
  }, [namespace, store]);

  return (
    <>
      <div className="terminal-screen" ref={hostRef} data-testid="terminal" />
      <pre
        className="terminal-mirror"
        data-testid="terminal-text"
        aria-hidden="true"
        hidden
        ref={mirrorRef}
      />
    </>
  );
}
