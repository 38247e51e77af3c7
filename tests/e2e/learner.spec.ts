import { expect, test, type Locator, type Page } from '@playwright/test';
import { LessonPanel } from './pages/lessons';
import { Playground, SHOTS } from './pages/playground';
import { wholeInCanvas } from './pages/view';

/**
 * What a first-time learner trips on (issue 13): an answer told above its
 * question, a column too full to read, a map over the drawing, notices piling up.
 */

const VIEWS = [
  { name: 'laptop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** Whether the element is wholly inside the viewport horizontally and not clipped by its box. */
async function notCut(el: Locator): Promise<boolean> {
  return el.evaluate((e) => {
    const r = e.getBoundingClientRect();
    if (e.scrollWidth > e.clientWidth + 1) return false;
    for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const b = p.getBoundingClientRect();
      if (r.left < b.left - 1 || r.right > b.right + 1) return false;
    }
    return r.left >= 0 && r.right <= window.innerWidth;
  });
}

/** The boxes inside the left column that scroll on their own (the column itself excluded). */
async function innerScrollers(page: Page): Promise<string[]> {
  return page.locator('.side-left').evaluate((side) =>
    [...side.querySelectorAll('*')]
      .filter((e) => {
        const s = getComputedStyle(e);
        return (
          (s.overflowY === 'auto' || s.overflowY === 'scroll') &&
          e.scrollHeight > e.clientHeight + 1 &&
          !e.matches('pre, .kube-scroll, .hop-headers, table *')
        );
      })
      .map((e) => e.className || e.tagName),
  );
}

test.describe('a lesson asks before it tells', () => {
  test('lesson 2 step 3: the text above the question does not say nothing answers; the hop count and the path wait too', async ({
    page,
  }) => {
    const app = new Playground(page);
    const lesson = new LessonPanel(page);
    await app.openFresh();
    await lesson.open('same-node');
    await lesson.next();
    await lesson.next();
    await lesson.expectStep(3, 3, 'Naive IPAM: every node on 172.17.0.0/16');
    await expect(page.getByTestId('lesson-predict')).toBeVisible();
    await expect(lesson.panel()).not.toContainText('Nothing reaches the underlay');
    await expect(lesson.panel()).not.toContainText('nobody answers');
    await expect(page.getByTestId('lesson-explain')).toHaveCount(0);
    // how many hops there are, and what the later ones are, says the answer too
    await expect(page.locator('.playback .hop-count')).toBeHidden();
    await expect(page.locator('.hop-list-panel .hop-total')).toBeHidden();
    await expect(page.getByTestId('hop-2')).toBeHidden();
    await app.shot('learner-predict-first');
    await lesson.answer('it is dropped', 'right');
    await expect(page.getByTestId('lesson-explain')).toContainText('where nobody answers');
    await expect(page.locator('.playback .hop-count')).toBeVisible();
    await expect(page.getByTestId('hop-2')).toBeVisible();
    await app.shot('learner-predict-explained');
  });

  test('finished lessons are marked, and stay marked after a reload', async ({ page }) => {
    const app = new Playground(page);
    const lesson = new LessonPanel(page);
    await app.openFresh();
    await expect(page.getByTestId('first-step')).toBeVisible();
    await expect(page.getByTestId('first-step')).toContainText('lesson 1');
    await lesson.open('containers');
    await lesson.next();
    await lesson.answer('over lo, inside pod1a', 'right');
    await lesson.next();
    await expect(page.getByTestId('lesson-next')).toHaveText(/Finish/);
    await lesson.next();
    await expect(page.getByTestId('lesson-done-containers')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('lesson-done-containers')).toBeVisible();
    await expect(page.getByTestId('lesson-done-same-node')).toHaveCount(0);
    await expect(lesson.panel()).toContainText('1 of 3 done');
    await app.shot('learner-finished');
  });

  test('lesson 3 step 5 frames node1, node3 and the router between them', async ({ page }) => {
    const app = new Playground(page);
    const lesson = new LessonPanel(page);
    await app.openFresh();
    await page.goto('/?lesson=cross-node&step=5');
    await lesson.expectStep(5, 6, 'A second subnet breaks direct; crossSubnet fixes it');
    for (const id of ['rf-node-node1', 'rf-node-node3', 'rf-router-rtr'])
      await expect
        .poll(() => wholeInCanvas(page, page.getByTestId(id)), { message: id })
        .toBe(true);
    await app.shot('learner-frame-xsubnet');
  });
});

for (const v of VIEWS)
  for (const scheme of ['light', 'dark'] as const)
    test.describe(`the left column on a ${v.name}, ${scheme}`, () => {
      test.use({ viewport: { width: v.width, height: v.height }, colorScheme: scheme });

      test('a lesson step: nothing cut off, one scroll area, every section folds', async ({
        page,
      }) => {
        const app = new Playground(page);
        const lesson = new LessonPanel(page);
        await app.openFresh();
        await app.shot(`learner-${v.name}-${scheme}-first`);
        await lesson.open('cross-node');
        await lesson.answer('172.17.2.0/24 via 172.17.2.0 dev flannel.1 onlink', 'right');
        await expect(page.getByTestId('lesson-verdict')).toBeVisible({ timeout: 15_000 });
        expect(await innerScrollers(page)).toEqual([]);
        for (const id of ['lesson-prev', 'lesson-next']) {
          const b = page.getByTestId(id);
          await b.scrollIntoViewIfNeeded();
          await expect(b).toBeVisible();
          expect(await notCut(b), id).toBe(true);
        }
        const title = page.locator('.lesson-title');
        await expect(title).toHaveText('3 · Pods on different nodes');
        expect(await notCut(title)).toBe(true);
        await page.getByTestId('lesson-next').scrollIntoViewIfNeeded();
        await app.shot(`learner-${v.name}-${scheme}-lesson`);
        // the lesson folds to its title; the hops fold too
        await page.getByTestId('lesson-fold').click();
        await expect(page.getByTestId('lesson-next')).toBeHidden();
        await page.getByTestId('hops-fold').click();
        await expect(page.getByTestId('hop-0')).toHaveCount(0);
        await page.getByTestId('hops-fold').click();
        await page.getByTestId('lesson-fold').click();
        await expect(page.getByTestId('lesson-next')).toBeVisible();
      });
    });

test.describe('the mini map and the notices keep out of the way', () => {
  test('the mini map covers none of the drawn cards, however the view is panned', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    const overlaps = () =>
      page.evaluate(() => {
        const map = document.querySelector('.react-flow__minimap');
        if (!map) return [];
        const m = map.getBoundingClientRect();
        return [...document.querySelectorAll('.react-flow__node')]
          .filter((n) => !n.classList.contains('react-flow__node-subnet'))
          .filter((n) => {
            const r = n.getBoundingClientRect();
            return r.left < m.right && m.left < r.right && r.top < m.bottom && m.top < r.bottom;
          })
          .map((n) => n.getAttribute('data-id'));
      });
    await expect(page.locator('.react-flow__minimap')).toBeVisible();
    expect(await overlaps()).toEqual([]);
    // the cluster dragged down to the bottom right, where the map stood
    const pane = page.locator('.react-flow__pane');
    const box = (await pane.boundingBox())!;
    // a drag on the empty pane below the cluster (not on a card: that would move it)
    await page.mouse.move(box.x + 120, box.y + 520);
    await page.mouse.down();
    await page.mouse.move(box.x + 420, box.y + 845, { steps: 8 });
    await page.mouse.up();
    // the map has left the bottom right, where the cluster now is, for a free corner
    await expect
      .poll(async () => (await page.locator('.react-flow__minimap').boundingBox())?.y ?? 9999)
      .toBeLessThan(box.y + box.height / 2);
    await expect.poll(overlaps).toEqual([]);
    await app.shot('learner-minimap-moved');
  });

  test('notices do not pile up: the newest on top, the older folded', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await page.evaluate(() => {
      const st = (
        window as unknown as {
          __podhop: { getState: () => { notify: (n: { kind: string; text: string }) => void } };
        }
      ).__podhop.getState();
      for (let i = 1; i <= 4; i++) st.notify({ kind: 'info', text: `notice number ${i}` });
    });
    await expect(page.getByTestId('notice')).toHaveCount(1);
    await expect(page.getByTestId('notice')).toContainText('notice number 4');
    await expect(page.getByTestId('notice-older')).toHaveCount(3);
    await expect(page.getByTestId('notice-older').first()).toBeHidden();
    await page.getByRole('button', { name: '3 earlier notices' }).click();
    await expect(page.getByTestId('notice-older').first()).toContainText('notice number 3');
    await app.shot('learner-notices');
    await page.getByRole('button', { name: 'Dismiss them' }).click();
    await expect(page.getByTestId('notice-older')).toHaveCount(0);
    await expect(page.getByTestId('notice')).toContainText('notice number 4');
  });
});

void SHOTS;
