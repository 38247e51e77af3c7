import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { Files } from './pages/files';
import { LessonPanel } from './pages/lessons';
import { Playground } from './pages/playground';
import { canvasZoom, wholeInCanvas } from './pages/view';

/**
 * Seeing what matters (issue 13): each hop says in plain words what happened and
 * why; on a phone the canvas stays beside what is read; the view frames the subject
 * (an imported cluster, a shared link's packet, Fit view on a large cluster).
 */

const SEED = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', 'fixtures', 'scenario', 'scenario-v2-seed.json'),
    'utf8',
  ),
) as Record<string, unknown>;

/** The seed's subnet and router with `n` nodes on it, one pod each (`p-node1` …). */
function bigCluster(n: number): string {
  const nodes = Array.from({ length: n }, (_, i) => ({
    name: `node${i + 1}`,
    subnet: 'vpc-subnet',
    ip: `10.100.0.${i + 2}`,
  }));
  const pods = nodes.map((node) => ({
    name: `p-${node.name}`,
    node: node.name,
    containers: [{ name: 'app', image: 'nginx:1.25' }],
  }));
  return JSON.stringify({ ...SEED, nodes, pods, services: [] });
}

/** The zoom at which the canvas's text is still legible (viewport.ts READABLE_ZOOM). */
const READABLE_ZOOM = 0.7;

/** Whether a drawn thing lies at least `margin` px inside the canvas's edges (not at a panel's border). */
async function inside(page: Page, target: Locator, margin: number): Promise<boolean> {
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const box = (await target.boundingBox())!;
  return (
    box.x >= canvas.x + margin &&
    box.y >= canvas.y + margin &&
    box.x + box.width <= canvas.x + canvas.width - margin &&
    box.y + box.height <= canvas.y + canvas.height - margin
  );
}

async function settledView(page: Page) {
  let last = '';
  await expect
    .poll(async () => {
      const t = await page
        .locator('.react-flow__viewport')
        .evaluate((el) => (el as HTMLElement).style.transform);
      const still = t === last;
      last = t;
      return still;
    })
    .toBe(true);
}

test.describe('each hop card says what happened and why, in plain words', () => {
  test('pod1a → pod2a: every card has a sentence naming its namespace; the route lookup and the VXLAN hop say which route sent the packet where; a collapsed card shows its whole route line', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.send('pod1a', 'pod2a');
    await app.pause();
    const cards = app.hops();
    await expect(cards).toHaveCount(16);
    for (let i = 0; i < 16; i++) {
      const card = cards.nth(i);
      const ns = (await card.locator('.hop-ns').textContent()) ?? '';
      expect(ns).not.toBe('');
      await expect(card.getByTestId('hop-plain')).toContainText(ns);
    }
    const forward = page.locator('[data-action="forward"]').first();
    await expect(forward.getByTestId('hop-plain')).toHaveText(
      'node1 gets the packet for 172.17.2.2 on cni0, which is not its own address, so it routes it: it looks 172.17.2.2 up in its routing table, and the 172.17.2.0/24 route sends it out flannel.1 via 172.17.2.0; forwarding takes the TTL from 64 to 63.',
    );
    await expect(
      page.locator('[data-action="encapsulate"]').first().getByTestId('hop-plain'),
    ).toContainText(
      'node1 wraps the packet for 172.17.2.2 in UDP to node2 (10.100.0.3:8472), because the route to 172.17.2.0/24 points at flannel.1',
    );

    // hop 4 (node1 sends the VXLAN packet) is collapsed: its route line is there whole, not cut off
    // (on a loaded machine the player may have moved on before the pause: back to the first hop)
    await cards.first().click();
    await expect(app.currentHop()).toHaveAttribute('data-testid', 'hop-0');
    const rule = page.getByTestId('hop-3').locator('.hop-rule');
    await expect(rule).toHaveText('10.100.0.0/24 dev eth0 proto kernel scope link src 10.100.0.2');
    const whole = await rule.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const card = el.closest('li')!.getBoundingClientRect();
      return el.scrollWidth <= el.clientWidth + 1 && r.right <= card.right + 1;
    });
    expect(whole).toBe(true);
    await page.getByTestId('hop-3').scrollIntoViewIfNeeded();
    await app.shot('seeing-hop-plain');
  });
});

test.describe('on a phone (390×844)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  /** The canvas is on screen (wholly) and `selector`'s top is visible below it. */
  async function bothInView(page: Page, selector: string) {
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    expect(canvas.height).toBeGreaterThan(250);
    expect(canvas.y).toBeGreaterThanOrEqual(-1);
    expect(canvas.y + canvas.height).toBeLessThanOrEqual(844);
    const read = (await page.locator(selector).first().boundingBox())!;
    expect(read.y).toBeGreaterThanOrEqual(canvas.y + canvas.height - 2);
    expect(read.y + Math.min(read.height, 40)).toBeLessThanOrEqual(844);
  }

  test('the canvas and the current hop card are on screen together while the hops are read', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.send('pod1a', 'pod2a');
    await app.pause();
    for (let i = 0; i < 4; i++) await app.stepForward();
    await expect(app.currentHop()).toHaveAttribute('data-testid', 'hop-4');
    // the list brought the card under the canvas by itself
    await expect.poll(async () => (await app.currentHop().boundingBox())?.y ?? 0).toBeLessThan(800);
    await page.waitForTimeout(400);
    await bothInView(page, '[data-testid^="hop-"][aria-current="true"]');
    await expect(app.currentHop().getByTestId('hop-plain')).toBeInViewport();
    await app.shot('seeing-phone-hop');
  });

  test('a lesson step is read with the canvas still above it', async ({ page }) => {
    const app = new Playground(page);
    const lesson = new LessonPanel(page);
    await app.openFresh();
    await lesson.open('cross-node');
    await lesson.next();
    // the step as it opens: its title under the canvas
    await bothInView(page, '[data-testid="lesson-step-title"]');
    // read on to the step's buttons: the page scrolls, the canvas stays
    await page.getByTestId('lesson-next').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await page.waitForTimeout(300);
    await bothInView(page, '[data-testid="lesson-next"]');
    await app.shot('seeing-phone-lesson');
  });
});

test.describe('the view frames the subject', () => {
  test('after an Import the view frames the cluster it opened, even one with the same names (the view had been panned away): node1 wholly in view, at a legible zoom', async ({
    page,
  }) => {
    const app = new Playground(page);
    const files = new Files(page);
    await app.openFresh();
    await settledView(page);
    /** The learner drags the drawing left, until node1 runs under the left panel. */
    const panLeft = async () => {
      await page.mouse.move(900, 840);
      await page.mouse.down();
      await page.mouse.move(420, 840, { steps: 10 });
      await page.mouse.up();
      expect(await wholeInCanvas(page, app.node('rf-node-node1'))).toBe(false);
    };
    await panLeft();
    // the seed exported earlier, opened again: nothing new is drawn, the view frames it all the same
    await files.drag('podhop-scenario.json', JSON.stringify(SEED));
    await expect(page.getByTestId('notice').last()).toContainText('Opened podhop-scenario.json');
    await settledView(page);
    expect(await wholeInCanvas(page, app.node('rf-node-node1'))).toBe(true);
    expect(await inside(page, app.node('rf-node-node1'), 8)).toBe(true);

    await panLeft();
    await files.drag('twenty.json', bigCluster(20));
    await expect(page.getByTestId('notice').last()).toContainText('Opened twenty.json');
    await expect(app.node('rf-node-node20')).toBeAttached();
    await settledView(page);
    expect(await wholeInCanvas(page, app.node('rf-node-node1'))).toBe(true);
    expect(await inside(page, app.node('rf-node-node1'), 8)).toBe(true);
    expect(await canvasZoom(page)).toBeGreaterThanOrEqual(READABLE_ZOOM);
    await app.shot('seeing-import-framed');
  });

  test('a shared link opened on a hop at node20 shows its packet; Fit view on the 20 nodes stays legible and keeps the packet', async ({
    page,
    context,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await new Files(page).drag('twenty.json', bigCluster(20));
    await expect(app.node('rf-node-node20')).toBeAttached();
    await app.send('p-node1', 'p-node20');
    await app.pause();
    // the player may have moved on before the pause on a loaded machine: count from the first hop
    await app.hops().first().click();
    await expect(app.currentHop()).toHaveAttribute('data-testid', 'hop-0');
    for (let i = 0; i < 4; i++) await app.stepForward();
    await expect(app.currentHop()).toHaveAttribute('data-action', 'decapsulate');
    await expect(app.currentHop()).toContainText('node20');
    const link = await app.copyLink();

    const there = new Playground(await context.newPage());
    await there.page.goto(link);
    await expect(there.currentHop()).toHaveAttribute('data-action', 'decapsulate');
    await settledView(there.page);
    const packet = there.page.locator('.cv-packet');
    await expect(packet).toBeVisible();
    expect(await wholeInCanvas(there.page, packet)).toBe(true);
    expect(await inside(there.page, packet, 60)).toBe(true);
    await there.shot('seeing-link-packet');

    // Fit view: not an overview of unreadable text, but a legible zoom on the packet
    await there.page.getByRole('button', { name: 'Fit View' }).click();
    await settledView(there.page);
    expect(await canvasZoom(there.page)).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(await wholeInCanvas(there.page, packet)).toBe(true);
    await there.shot('seeing-fit-20');
    // stepping on, the view follows the packet
    await there.stepForward();
    await there.stepForward();
    await settledView(there.page);
    expect(await wholeInCanvas(there.page, packet)).toBe(true);
  });
});
