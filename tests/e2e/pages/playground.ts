import { expect, type Locator, type Page } from '@playwright/test';

export const SHOTS = 'test-results/screenshots';

/** The playground as a person sees it: every action goes through the screen. */
export class Playground {
  constructor(readonly page: Page) {}

  async open(hash = '') {
    await this.page.goto(`/${hash}`);
    await expect(this.page.getByTestId('canvas')).toBeVisible();
  }

  /** Opens on a clean slate: no autosave from an earlier test in this browser context. */
  async openFresh(hash = '') {
    await this.page.goto('/');
    await this.page.evaluate(() => window.localStorage.clear());
    await this.open(hash);
  }

  node(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  podIp(pod: string): Locator {
    return this.page.getByTestId(`pod-ip-${pod}`);
  }

  /** Drags a palette item onto a target on the canvas (HTML5 drag and drop). */
  async dragFromPalette(kind: 'subnet' | 'router' | 'node' | 'pod', targetTestId: string) {
    await this.page
      .getByTestId(`palette-${kind}`)
      .dragTo(this.page.getByTestId(targetTestId), { targetPosition: { x: 60, y: 90 } });
  }

  async setDatapath(mode: 'overlay' | 'direct' | 'crossSubnet' | 'gateway') {
    await this.page.getByTestId('datapath-select').selectOption(mode);
  }

  async send(from: string, to: string, kind: 'icmp' | 'traceroute' | 'tcp' | 'udp' = 'icmp') {
    await this.page.getByTestId('probe-from').selectOption(from);
    await this.page.getByTestId('probe-dst').selectOption(to);
    await this.page.getByTestId('probe-kind').selectOption(kind);
    await this.page.getByTestId('probe-send').click();
  }

  hops(): Locator {
    return this.page.locator('[data-testid^="hop-"][data-action]');
  }

  async pause() {
    const toggle = this.page.getByTestId('play-toggle');
    if (
      (await toggle.getAttribute('aria-pressed')) === 'true' ||
      /pause/i.test((await toggle.getAttribute('aria-label')) ?? '')
    )
      await toggle.click();
  }

  currentHop(): Locator {
    return this.page.locator('[data-testid^="hop-"][aria-current="true"]');
  }

  async stepForward() {
    await this.page.getByTestId('step-forward').click();
  }

  async state<T>(read: string): Promise<T> {
    return this.page.evaluate((expr) => {
      const st = (
        window as unknown as { __podhop: { getState: () => unknown } }
      ).__podhop.getState();
      return new Function('s', `return (${expr});`)(st) as T;
    }, read);
  }

  async shot(name: string) {
    await this.page.screenshot({ path: `${SHOTS}/${name}.png` });
  }
}
