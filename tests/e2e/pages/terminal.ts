import { expect, type Locator, type Page } from '@playwright/test';

/** bash's prompt here: `root@pod1a:/# ` in a pod, `root@node1:~# ` on a host */
const PROMPT = /^root@[^:]+:[/~]#( |$)/;

/** The docked terminal, used as a person would: click to open, type, read the screen. */
export class TerminalPage {
  constructor(readonly page: Page) {}

  dock(): Locator {
    return this.page.locator('.terminal-dock');
  }

  /** The screen's text (scrollback included), as xterm shows it. */
  text(): Locator {
    return this.page.getByTestId('terminal-text');
  }

  /** Opens a terminal on what the canvas shows under a test id (a pod, a node, a router). */
  async openOn(canvasTestId: string, title: string) {
    await this.page.getByTestId(canvasTestId).click();
    await this.page.getByTestId('open-terminal').click();
    await expect(this.page.getByTestId('terminal-title')).toHaveText(`root@${title} — terminal`);
    await expect(this.text()).toContainText(`root@${title}:`);
  }

  /** Types a command at the prompt and presses Enter. */
  async run(command: string) {
    await this.page.keyboard.type(command);
    await this.page.keyboard.press('Enter');
  }

  /**
   * The lines a command printed: between its prompt line and the next prompt
   * (the last run of the command when it was typed more than once).
   */
  async output(command: string): Promise<string[]> {
    let lines: string[] = [];
    await expect
      .poll(async () => {
        const screen = ((await this.text().textContent()) ?? '').split('\n');
        let start = -1;
        screen.forEach((l, i) => {
          if (PROMPT.test(l) && l.endsWith(command)) start = i;
        });
        if (start < 0) return false;
        const end = screen.findIndex((l, i) => i > start && PROMPT.test(l));
        if (end < 0) return false;
        lines = screen.slice(start + 1, end);
        return true;
      })
      .toBe(true);
    return lines;
  }

  /** The line being typed at the last prompt (after the prompt). */
  async currentLine(): Promise<string> {
    const screen = ((await this.text().textContent()) ?? '').split('\n');
    return (screen.at(-1) ?? '').replace(PROMPT, '');
  }

  async close() {
    await this.page.getByRole('button', { name: 'Close terminal' }).click();
  }
}
