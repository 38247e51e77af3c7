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
    await this.page.evaluate(() => {
      window.localStorage.clear();
      window.sessionStorage.clear();
    });
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

  /**
   * One hop on, as a click on ▶| does. On a loaded machine a click can land while the
   * player re-renders and be lost; the step is waited for, and the click made again once.
   */
  async stepForward() {
    const button = this.page.getByTestId('step-forward');
    const before = await this.currentHop()
      .getAttribute('data-testid', { timeout: 1000 })
      .catch(() => null);
    await button.click();
    if (before === null) return;
    const moved = async () =>
      (await this.currentHop()
        .getAttribute('data-testid')
        .catch(() => null)) !== before || (await button.isDisabled());
    await expect
      .poll(moved, { timeout: 2000 })
      .toBe(true)
      .catch(() => button.click());
  }

  async state<T>(read: string): Promise<T> {
    return this.page.evaluate((expr) => {
      const st = (
        window as unknown as { __podhop: { getState: () => unknown } }
      ).__podhop.getState();
      return new Function('s', `return (${expr});`)(st) as T;
    }, read);
  }

  inspector(): Locator {
    return this.page.getByTestId('inspector');
  }

  /**
   * Selects a drawn object by a click on its title bar (a frame's body pans the canvas).
   * The view may still be animating a fit (a lesson opening frames its cluster), so the
   * object is let come to rest first, and a click that landed mid-move is made again.
   */
  async select(testId: string) {
    const drawn = this.node(testId);
    await this.settled(drawn);
    await drawn.click({ position: { x: 40, y: 10 } });
    await expect(drawn)
      .toHaveAttribute('data-selected', 'true', { timeout: 2000 })
      .catch(async () => {
        await this.settled(drawn);
        await drawn.click({ position: { x: 40, y: 10 } });
      });
    await expect(drawn).toHaveAttribute('data-selected', 'true');
  }

  /** Types into an inspector field and presses Enter (the field commits; the focus stays in it). */
  async commitField(testId: string, value: string) {
    const field = this.inspector().getByTestId(testId);
    await field.fill(value);
    await field.press('Enter');
    return field;
  }

  /** Waits until a drawn object stops moving (the view animates when it fits). */
  async settled(target: string | Locator) {
    const drawn = typeof target === 'string' ? this.node(target) : target;
    let last = '';
    await expect
      .poll(async () => {
        const box = JSON.stringify(await drawn.boundingBox());
        const still = box === last;
        last = box;
        return still;
      })
      .toBe(true);
  }

  /** Drags a drawn object by its title bar, by (dx, dy) screen pixels. */
  async dragBy(testId: string, dx: number, dy: number) {
    await this.settled(testId);
    const box = (await this.node(testId).boundingBox())!;
    await this.page.mouse.move(box.x + 40, box.y + 10);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + 40 + dx, box.y + 10 + dy, { steps: 8 });
    await this.page.mouse.up();
  }

  /** Copy link, as a person presses it; returns what reached the clipboard. */
  async copyLink(): Promise<string> {
    await this.page.getByTestId('copy-link').click();
    await expect(this.page.getByText('Link copied')).toBeVisible();
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  async shot(name: string) {
    await this.page.screenshot({ path: `${SHOTS}/${name}.png` });
  }
}
