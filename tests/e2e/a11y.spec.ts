import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Files } from './pages/files';
import { LessonPanel } from './pages/lessons';
import { Playground } from './pages/playground';
import { TerminalPage } from './pages/terminal';

/**
 * axe-core (the rules Chromium's accessibility audits run) on each state a
 * learner reaches: the first view, a selected node, a packet on a hop, a
 * terminal, a lesson step — in the light and the dark theme and on a phone.
 * Every state must have zero violations; a failure names each rule and the
 * elements it caught, so the message alone says what broke.
 */

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** One line a violation: rule id, impact, then each caught element's selector and axe's summary. */
function describeViolations(violations: readonly Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const why = (n.failureSummary ?? '').split('\n').slice(1).join(' ').trim();
          return `    ${n.target.join(' ')}${why ? ` — ${why}` : ''}`;
        })
        .join('\n');
      return `${v.id} (${v.impact ?? 'n/a'}, ${v.nodes.length}×): ${v.help}\n${nodes}`;
    })
    .join('\n');
}

/** Waits for transitions to end (a colour mid-fade is not the colour a reader sees). */
async function animationsDone(page: Page) {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}

/** Runs axe on the page as it stands, saves a screenshot of it, and asserts no violation. */
async function expectAccessible(app: Playground, state: string) {
  await animationsDone(app.page);
  await app.shot(`a11y-${state}`);
  const { violations } = await new AxeBuilder({ page: app.page }).analyze();
  // soft: a test walking through several states reports each state's violations
  expect.soft(describeViolations(violations), `axe violations in "${state}"`).toBe('');
}

/** Two pods named a in namespaces x and y and a client: kubectl manifests, small enough for axe's pace. */
const SAME_NAME = readFileSync(
  join(import.meta.dirname, '..', 'fixtures', 'kube', 'same-name.yaml'),
  'utf8',
);

/** A packet pod1a → pod2a played and paused on its encapsulation hop: hop list and hop detail open. */
async function packetOnHop(app: Playground) {
  await app.send('pod1a', 'pod2a');
  await app.pause();
  await app.page.getByTestId('hop-2').click();
  await expect(app.page.getByTestId('hop-headers')).toContainText('VXLAN');
}

function states(theme: string) {
  test('the first view', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await expect(app.node('rf-pod-pod1a')).toBeVisible();
    await expectAccessible(app, `${theme}-first-view`);
  });

  test('a node selected: its tables in the inspector', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.select('rf-node-node1');
    await expect(app.inspector()).toContainText('iptables -t nat -S');
    await expectAccessible(app, `${theme}-node-selected`);
  });

  test('a packet played with a hop selected: hop list and hop detail', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await packetOnHop(app);
    await expectAccessible(app, `${theme}-packet-hop`);
  });

  test('a terminal open on a pod', async ({ page }) => {
    const app = new Playground(page);
    const term = new TerminalPage(page);
    await app.openFresh();
    await term.openOn('rf-pod-pod1a', 'pod1a');
    await term.run('ip route');
    await term.output('ip route');
    await expectAccessible(app, `${theme}-terminal`);
  });

  test('a file dragged over the page, and the paste dialog', async ({ page }) => {
    const app = new Playground(page);
    const files = new Files(page);
    await app.openFresh();
    const data = await files.drag('same-name.yaml', SAME_NAME, { hold: true });
    await expectAccessible(app, `${theme}-file-drop`);
    await page.getByTestId('canvas').dispatchEvent('dragleave', { dataTransfer: data });
    await expect(files.dropTarget()).toHaveCount(0);
    const dialog = await files.openPasteDialog();
    await expect(dialog.getByLabel('Text to import')).toBeFocused();
    await expectAccessible(app, `${theme}-paste-dialog`);
  });

  test('a cluster dropped: its notice, folded and unfolded', async ({ page }) => {
    const app = new Playground(page);
    const files = new Files(page);
    await app.openFresh();
    await files.drag('same-name.yaml', SAME_NAME);
    await expect(page.getByTestId('notice-lines')).toBeVisible();
    await expectAccessible(app, `${theme}-import-notice`);
    await page.getByRole('button', { name: /^All \d+ notes$/ }).click();
    await expectAccessible(app, `${theme}-import-notice-open`);
  });

  test('NetworkPolicy: the add dialog, a picked policy, the matrix', async ({ page }) => {
    // three axe runs, the matrix's the largest: more than the default 30 s on a 2-core machine
    test.setTimeout(90_000);
    const app = new Playground(page);
    await app.openFresh();
    await page.getByTestId('policy-add').click();
    await expect(page.getByLabel('NetworkPolicy YAML or JSON')).toBeVisible();
    await expectAccessible(app, `${theme}-policy-add`);
    await page
      .getByTestId('policy-add-text')
      .fill(
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-web\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n',
      );
    await page.getByTestId('policy-add-submit').click();
    await expect(page.getByTestId('policy-describe')).toBeVisible();
    await expectAccessible(app, `${theme}-policy-picked`);
    await page.keyboard.press('Escape');
    await page.getByTestId('matrix-open').click();
    await expect(page.getByTestId('cell-default/pod1a-default/pod2a')).toBeVisible();
    await expectAccessible(app, `${theme}-policy-matrix`);
  });

  test('a lesson step with its question, then answered and played', async ({ page }) => {
    // three axe runs and a played packet: more than the default 30 s on a loaded 2-CPU machine
    test.setTimeout(90_000);
    const app = new Playground(page);
    const lesson = new LessonPanel(page);
    await app.openFresh();
    await expectAccessible(app, `${theme}-lessons-list`);
    await lesson.open('containers');
    await expectAccessible(app, `${theme}-lesson-step-1`);
    await lesson.next();
    await expect(lesson.choices()).toHaveCount(3);
    await expectAccessible(app, `${theme}-lesson-predict`);
    await lesson.choices().first().click();
    await expect(lesson.result()).toBeVisible();
    await page.getByTestId('hop-0').click();
    await expectAccessible(app, `${theme}-lesson-answered`);
  });
}

test.describe('axe finds nothing: light theme, 1440×900', () => {
  test.use({ colorScheme: 'light' });
  states('light');
});

test.describe('axe finds nothing: dark theme, 1440×900', () => {
  test.use({ colorScheme: 'dark' });
  states('dark');
});

test.describe('axe finds nothing: a phone, 390×844', () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: 'light' });
  states('phone');
});

test.describe('axe finds nothing: a phone in the dark theme', () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  test('the first view and a packet on a hop', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await expectAccessible(app, 'phone-dark-first-view');
    await packetOnHop(app);
    await expectAccessible(app, 'phone-dark-packet-hop');
  });
});

test.describe('a table that scrolls is reached and scrolled by keyboard', () => {
  test('node1’s iptables -t nat -S is a named tab stop whose arrows scroll it, not step the packet', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await packetOnHop(app);
    await app.select('rf-node-node1');
    const nat = app.inspector().getByRole('group', { name: 'iptables -t nat -S (scrolls)' });
    await expect(nat).toHaveAttribute('tabindex', '0');
    // a table where everything fits is no tab stop
    await expect(app.inspector().getByTestId('table-route').locator('pre')).not.toHaveAttribute(
      'tabindex',
    );
    const hop = await app.state<number>('s.hop');
    const top = await nat.evaluate((el) => el.scrollTop);
    await nat.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => nat.evaluate((el) => el.scrollTop)).toBeGreaterThan(top);
    expect(await app.state<number>('s.hop'), 'the arrows scrolled the table, not the hops').toBe(
      hop,
    );
    await app.shot('a11y-table-focused');
  });
});
