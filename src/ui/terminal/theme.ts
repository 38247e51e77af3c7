import type { ITheme } from '@xterm/xterm';

/** The app's colours (app.css custom properties, light or dark as the system is) as an xterm theme. */
export function terminalTheme(root: Element = document.documentElement): {
  theme: ITheme;
  fontFamily: string;
} {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
  const ink = v('--ink', dark ? '#e6ebf2' : '#1c2330');
  return {
    theme: {
      background: v('--panel', dark ? '#161d27' : '#ffffff'),
      foreground: ink,
      cursor: v('--accent', '#2563eb'),
      cursorAccent: v('--panel', '#ffffff'),
      selectionBackground: v('--accent-soft', '#dbe7ff'),
      selectionForeground: ink,
      // ANSI colours readable on either background (SGR 2 "dim" is drawn at half opacity)
      red: v('--drop', '#b91c1c'),
      green: v('--ok', '#15803d'),
      yellow: v('--warn', '#a16207'),
      blue: v('--accent', '#2563eb'),
      magenta: v('--encap', '#7c3aed'),
      brightBlack: v('--muted', '#5d6677'),
    },
    fontFamily: v('--mono', 'monospace'),
  };
}

/** Calls back when the system switches between light and dark. */
export function onSchemeChange(cb: () => void): () => void {
  const mq = window.matchMedia('(prefers-color-scheme: dark)');
  mq.addEventListener('change', cb);
  return () => mq.removeEventListener('change', cb);
}
