import { expect, test, type Browser, type Page } from '@playwright/test';
import { encodeLink, example } from '../../src/engine/index';
import { Playground } from './pages/playground';
import { linkTo, rowsOfHash } from './pages/view';

const VIEWPORT = { width: 1440, height: 900 };

/** A page in a browser that has never seen podhop: no autosave, no history. */
async function stranger(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  return context.newPage();
}

/** How far node2's frame sits below node1's, in node1 heights (the same at any zoom). */
async function node2Below(page: Page): Promise<number> {
  const one = (await page.getByTestId('rf-node-node1').boundingBox())!;
  const two = (await page.getByTestId('rf-node-node2').boundingBox())!;
  return (two.y - one.y) / one.height;
}

/** The rows a link carries: the one in an address, or (without one) the seed's. */
const rowsOf = (url?: string) =>
  rowsOfHash(url ? new URL(url).hash : `#${encodeLink({ scenario: example('seed') })}`);

test.describe('Copy link shares what is on screen', () => {
  test('copied from a page reopened on its autosave, the link restores the edited cluster elsewhere', async ({
    page,
    browser,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    // two edits a recipient can see: node2 moved down, pod2a renamed
    expect(await node2Below(page)).toBeCloseTo(0, 1);
    await app.dragBy('rf-node-node2', 0, 130);
    await expect.poll(() => node2Below(page)).toBeGreaterThan(0.3);
    await app.select('rf-pod-pod2a');
    await app.commitField('edit-name', 'server');
    await expect(app.node('rf-pod-server')).toBeVisible();

    // the page opened again without a link: the autosave comes back, and so does the drawing
    await page.goto('/');
    await expect(app.node('rf-pod-server')).toBeVisible();
    await app.settled('rf-node-node2');
    const below = await node2Below(page);
    expect(below).toBeGreaterThan(0.3);
    const link = await app.copyLink();
    expect(link).toContain('#v2.');

    const other = await stranger(browser);
    await other.goto(link);
    await expect(other.getByTestId('rf-pod-server')).toBeVisible();
    await expect(other.getByTestId('rf-pod-pod2a')).toHaveCount(0);
    await expect(other.getByTestId('pod-ip-server')).toHaveText('172.17.2.2');
    await new Playground(other).settled('rf-node-node2');
    expect(await node2Below(other)).toBeCloseTo(below, 1);
    await other.screenshot({ path: 'test-results/screenshots/sharing-recipient.png' });
    await other.context().close();
  });

  test('a broken link opened in a new browser shows why, and Copy link then shares the seed it opened', async ({
    browser,
    baseURL,
  }) => {
    const page = await stranger(browser);
    await page.goto(`${baseURL}/#v1.garbage`);
    await expect(page.getByTestId('notice').last()).toContainText('could not be opened');
    await expect(page.getByTestId('rf-pod-pod1a')).toBeVisible();
    // the address bar no longer holds the broken link: a reload opens the seed without the message
    await expect.poll(() => page.evaluate(() => location.hash)).not.toBe('#v1.garbage');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const link = await new Playground(page).copyLink();
    expect(link).not.toContain('garbage');
    const other = await stranger(browser);
    await other.goto(link);
    await expect(other.getByTestId('rf-pod-pod1a')).toBeVisible();
    await expect(other.getByTestId('notice')).toHaveCount(0);
    await page.context().close();
    await other.context().close();
  });

  test('a link placing a pod off the canvas opens the seed with a message naming the position', async ({
    browser,
    baseURL,
  }) => {
    // the seed's link with pod1a moved 1e308 pixels away
    const rows = rowsOf();
    // a pod's row: name, node, ip, labels, containers, position (the schema's order)
    rows['p']![0]![5] = [1e308, -1e308];
    const page = await stranger(browser);
    await page.goto(linkTo(baseURL!, rows));
    await expect(page.getByTestId('notice').last()).toContainText('pods[0].position.x');
    await expect(page.getByTestId('notice').last()).toContainText('off the canvas');
    await expect(page.getByTestId('rf-pod-pod1a')).toBeVisible();
    await expect(page.getByTestId('rf-node-node1')).toBeInViewport();
    await page.screenshot({ path: 'test-results/screenshots/sharing-offcanvas.png' });
    await page.context().close();
  });
});

test.describe('the hop in the address bar', () => {
  test('a packet played to the end reopens on its last hop', async ({ page, context }) => {
    const app = new Playground(page);
    await app.openFresh();
    await page.getByTestId('speed').fill('4');
    await app.send('pod1a', 'pod2a');
    await expect(page.getByTestId('trace-verdict')).toContainText('64 bytes from 172.17.2.2', {
      timeout: 10_000,
    });
    const count = await app.hops().count();
    await expect(page.getByTestId('play-toggle')).toHaveAttribute('aria-pressed', 'false');
    // the address bar catches up once the packet stands still (writes are throttled)
    await expect
      .poll(() => (rowsOf(page.url()) as { play?: { hop?: number } }).play?.hop)
      .toBe(count - 1);
    // the address, opened again in another tab
    const again = await context.newPage();
    await again.goto(page.url());
    await expect(new Playground(again).currentHop()).toHaveAttribute(
      'data-testid',
      `hop-${count - 1}`,
    );
    await expect(again.getByTestId('trace-verdict')).toContainText('64 bytes from 172.17.2.2');
  });

  test('a link asking for a hop past the end opens on the last one, and ← steps back', async ({
    browser,
    baseURL,
  }) => {
    const page = await stranger(browser);
    const app = new Playground(page);
    const link = linkTo(baseURL!, {
      ...rowsOf(),
      play: { from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp', hop: 99999 },
    });
    await page.goto(link);
    const count = await app.hops().count();
    expect(count).toBeGreaterThan(2);
    await expect(app.currentHop()).toHaveAttribute('data-testid', `hop-${count - 1}`);
    await expect(page.locator('.hop-count')).toHaveText(`${count} / ${count}`);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('ArrowLeft');
    await expect(app.currentHop()).toHaveAttribute('data-testid', `hop-${count - 2}`);
    await page.context().close();
  });
});
