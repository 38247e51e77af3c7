import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { Playground } from './pages/playground';
import { linkTo, rowsOfHash, wholeInCanvas } from './pages/view';

/** A pod name a hostile scenario might carry: markup that would run script if it were ever parsed as HTML. */
const HOSTILE = '<img src=x onerror=window.__pwned=1>';

interface ScenarioDoc {
  nodes: { name: string }[];
  pods: { name: string; node: string }[];
  [key: string]: unknown;
}

/** Export JSON, as a person presses it; returns the file's name and what it holds. */
async function exportJson(page: Page): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-json').click(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

/** Import JSON: a file picked in the file chooser. */
async function importJson(page: Page, name: string, text: string) {
  await page
    .getByTestId('import-json')
    .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

const lastNotice = (page: Page): Locator => page.getByTestId('notice').last();

/** The test ids of the drawn cards among `others` whose boxes overlap `mine` on screen. */
async function overlapping(mine: Locator, others: Locator): Promise<string[]> {
  const a = (await mine.boundingBox())!;
  const hits: string[] = [];
  for (const other of await others.all()) {
    const b = await other.boundingBox();
    if (!b) continue;
    const apart =
      b.x >= a.x + a.width ||
      a.x >= b.x + b.width ||
      b.y >= a.y + a.height ||
      a.y >= b.y + b.height;
    if (!apart) hits.push((await other.getAttribute('data-testid')) ?? '?');
  }
  return hits;
}

/** Drags with the mouse from the middle of one thing to the middle of another. */
async function dragBetween(page: Page, from: Locator, to: Locator) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 15 });
  await page.mouse.up();
}

const rowsOf = (url: string) => rowsOfHash(new URL(url).hash);
const linkToRows = (base: string, rows: unknown) => linkTo(new URL(base).origin, rows);

/** Waits for the canvas's one-off animations (the packet travelling, an envelope wrapping) to end. */
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

/** Whether one box lies wholly inside another (a pod card inside its node's frame). */
async function inside(inner: Locator, outer: Locator): Promise<boolean> {
  const a = await inner.boundingBox();
  const b = await outer.boundingBox();
  if (!a || !b) return false;
  return (
    a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height
  );
}

/** Relative luminance of a CSS rgb()/rgba() colour (WCAG 2). */
function luminance(css: string): number {
  const [r, g, b] = (/rgba?\(([^)]+)\)/.exec(css)?.[1] ?? '').split(/[ ,/]+/).map(Number);
  const f = (v = 0) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

/**
 * Every piece of text on screen whose colour stands out from what is painted
 * behind it by less than `min` : 1 (WCAG contrast; translucent layers and
 * opacity blended in). Disabled controls are left out, as WCAG leaves them.
 */
async function lowContrastText(page: Page, min: number): Promise<string[]> {
  return page.evaluate((min) => {
    type RGBA = { r: number; g: number; b: number; a: number };
    const parse = (c: string): RGBA | null => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return null;
      const p = m[1]!
        .split(/[ ,/]+/)
        .filter(Boolean)
        .map(Number);
      return { r: p[0]!, g: p[1]!, b: p[2]!, a: p.length > 3 ? p[3]! : 1 };
    };
    const lum = (c: RGBA) => {
      const f = (v: number) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    };
    const over = (top: RGBA, under: RGBA, a = top.a): RGBA => ({
      r: top.r * a + under.r * (1 - a),
      g: top.g * a + under.g * (1 - a),
      b: top.b * a + under.b * (1 - a),
      a: 1,
    });
    const backdrop = (el: Element): RGBA => {
      const layers: RGBA[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) {
          layers.push(c);
          if (c.a >= 1) break;
        }
      }
      let out: RGBA = { r: 255, g: 255, b: 255, a: 1 };
      for (const l of layers.reverse()) out = over(l, out);
      return out;
    };
    const found: string[] = [];
    const seen = new Set<Element>();
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !n.textContent?.trim()) continue;
      seen.add(el);
      if (el.closest(':disabled, [aria-disabled="true"], .sr-only')) continue;
      const box = el.getBoundingClientRect();
      if (box.width < 1 || box.bottom < 0 || box.top > innerHeight) continue;
      if (box.right < 0 || box.left > innerWidth) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden') continue;
      let opacity = 1;
      for (let e: Element | null = el; e; e = e.parentElement)
        opacity *= Number(getComputedStyle(e).opacity);
      if (opacity === 0) continue;
      const bg = backdrop(el);
      const color = parse(cs.color)!;
      const fg = over(color, bg, color.a * opacity);
      const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x) as [number, number];
      const ratio = (hi + 0.05) / (lo + 0.05);
      if (ratio < min)
        found.push(
          `${ratio.toFixed(2)}:1 "${n.textContent.trim().slice(0, 40)}" (${el.className || el.tagName}, ${cs.color} on rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)}))`,
        );
    }
    return found;
  }, min);
}

test.describe('joining a router to a subnet by drawing an edge', () => {
  test('a new router’s handle dragged onto a new subnet’s bus gives the router eth1 with that subnet’s gateway', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await page.getByTestId('palette-router').click();
    const router = app.node('rf-router-router1');
    await expect(router).toBeVisible();
    await page.getByTestId('palette-subnet').click();
    await expect(app.node('rf-subnet-subnet1')).toBeVisible();
    await expect(app.node('rf-subnet-subnet1')).toContainText('10.100.1.0/24');
    // router1 starts on the subnet it was added to, and nothing else
    await expect(router.getByRole('listitem')).toHaveCount(1);
    await expect(router).not.toContainText('subnet1');

    // both in view, then the edge drawn from router1's ● to subnet1's bus
    await page.getByRole('button', { name: 'Fit View' }).click();
    await app.settled(app.node('rf-subnet-subnet1'));
    await dragBetween(
      page,
      page.getByLabel('connect router1 to a subnet'),
      page.getByLabel('connect a router to subnet1'),
    );

    const joined = router.getByRole('listitem').filter({ hasText: 'subnet1' });
    await expect(router.getByRole('listitem')).toHaveCount(2);
    await expect(joined).toContainText('eth1');
    await expect(joined).toContainText('10.100.1.1/24');
    // its tables say the same: the inspector shows the interface and the box ticked
    await router.click({ position: { x: 60, y: 10 } });
    const inspector = page.getByTestId('inspector');
    await expect(inspector.getByTestId('join-subnet1')).toBeChecked();
    await expect(inspector).toContainText(/eth1\s+UP\s+10\.100\.1\.1\/24/);
    await expect(inspector).toContainText('10.100.1.0/24 dev eth1 proto kernel scope link');
    await app.shot('router-joined-subnet');

    // Ctrl+Z takes the edge back, Ctrl+Shift+Z brings it again
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect(router.getByRole('listitem')).toHaveCount(1);
    await expect(router).not.toContainText('subnet1');
    await page.keyboard.press('Control+Shift+z');
    await expect(router.getByRole('listitem')).toHaveCount(2);

    // the edge itself, clicked, is picked; Delete takes the router off that subnet
    const edge = page.getByLabel('router1 joins subnet1: click, then Delete to leave it');
    await edge.click();
    await expect(edge).toHaveClass(/cv-edge-picked/);
    await page.keyboard.press('Delete');
    await expect(router.getByRole('listitem')).toHaveCount(1);
    await expect(router).not.toContainText('subnet1');
    await expect(app.node('rf-router-router1')).toBeVisible();
  });

  test('a router added from the palette is drawn clear of the cards already there, and wholly in view', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await page.getByTestId('palette-router').click();
    const router = app.node('rf-router-router1');
    await expect(router).toBeVisible();
    await app.settled(router);
    await app.shot('router-added-from-palette');
    const others = page.locator(
      '[data-testid^="rf-router-"]:not([data-testid="rf-router-router1"]), [data-testid^="rf-service-"]',
    );
    expect(await others.count()).toBeGreaterThan(1);
    expect
      .soft(await overlapping(router, others), 'cards router1 is drawn over or under')
      .toEqual([]);
    expect.soft(await wholeInCanvas(page, router), 'router1 wholly inside the canvas').toBe(true);
  });
});

test.describe('Export JSON and Import JSON', () => {
  test('Export JSON downloads the scenario on screen, edits included', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.setDatapath('direct');
    await page.getByTestId('palette-node').click();
    await expect(app.node('rf-node-node3')).toBeVisible();

    const file = await exportJson(page);
    expect(file.name).toBe('podhop-scenario.json');
    const doc = JSON.parse(file.text) as ScenarioDoc & { cluster: { datapath: string } };
    expect(doc.cluster.datapath).toBe('direct');
    expect(doc.nodes.map((n) => n.name)).toEqual(['node1', 'node2', 'node3']);
    expect(doc.pods.map((p) => p.name)).toEqual(['pod1a', 'pod1b', 'pod2a']);
    expect(doc).toEqual(await app.state('s.scenario'));
  });

  test('an exported file edited (node2 renamed) imports with the new name; a broken file is refused with its reason and the cluster stays; a file with problems opens with them shown', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    const doc = JSON.parse((await exportJson(page)).text) as ScenarioDoc;
    doc.nodes.find((n) => n.name === 'node2')!.name = 'worker2';
    for (const p of doc.pods) if (p.node === 'node2') p.node = 'worker2';

    await importJson(page, 'edited.json', JSON.stringify(doc, null, 2));
    await expect(lastNotice(page)).toContainText('Opened edited.json');
    await expect(app.node('rf-node-worker2')).toBeVisible();
    await expect(app.node('rf-node-worker2')).toContainText('worker2');
    await expect(app.node('rf-node-node2')).toHaveCount(0);
    await expect
      .poll(() => inside(app.node('rf-pod-pod2a'), app.node('rf-node-worker2')))
      .toBe(true);
    await expect(app.podIp('pod2a')).toHaveText('172.17.2.2');

    // not JSON at all: the file's name and the parser's words, and the cluster as it was
    await importJson(page, 'broken.json', '{"version": 1, "nodes": [');
    await expect(lastNotice(page)).toHaveAttribute('data-kind', 'error');
    await expect(lastNotice(page)).toContainText('broken.json');
    await expect(lastNotice(page)).toContainText('not valid JSON');
    await expect(app.node('rf-node-worker2')).toBeVisible();

    // JSON, but a pod on a node that does not exist: it opens as it is, the pod says why it is not created
    const ghost = structuredClone(doc);
    ghost.pods[0]!.node = 'ghost';
    await importJson(page, 'ghost.json', JSON.stringify(ghost));
    await expect(lastNotice(page)).toHaveAttribute('data-kind', 'info');
    await expect(lastNotice(page)).toContainText('ghost.json: 1 problem to fix');
    await expect(app.node(`rf-pod-${ghost.pods[0]!.name}`)).toContainText('"ghost" not found');
    await expect(app.node('rf-node-worker2')).toBeVisible();
    await app.shot('import-with-problems');
    await page.keyboard.press('Control+z');
    await expect(app.node(`rf-pod-${ghost.pods[0]!.name}`)).not.toContainText('not found');

    // the undo gave back the edited cluster, and the autosave holds it
    await page.reload();
    await expect(app.node('rf-node-worker2')).toBeVisible();
  });
});

test.describe('switching IPAM to naive', () => {
  test('the diff lists the routes that went and came, and pods on both nodes get 172.17.0.2', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await page.getByTestId('ipam-select').selectOption('naive');
    const diff = page.getByTestId('mode-diff');
    await expect(diff).toBeVisible();
    await expect(diff).toContainText('IPAM changed: cluster → naive');
    await expect(
      diff.getByTestId('diff-removed').filter({ hasText: '172.17.1.0/24 dev cni0' }),
    ).toContainText('172.17.1.0/24 dev cni0 proto kernel scope link src 172.17.1.1');
    await expect(diff.getByTestId('diff-removed').filter({ hasText: 'flannel.1' })).toHaveCount(2);
    await expect(
      diff.getByTestId('diff-added').filter({ hasText: 'dev cni0' }).first(),
    ).toContainText('172.17.0.0/16 dev cni0 proto kernel scope link src 172.17.0.1');
    await expect(diff.getByTestId('diff-added').filter({ hasText: 'default' }).first()).toHaveText(
      /default via 172\.17\.0\.1 dev eth0/,
    );

    // the same address on two nodes, and the canvas says so
    await expect(app.podIp('pod1a')).toHaveText('172.17.0.2');
    await expect(app.podIp('pod2a')).toHaveText('172.17.0.2');
    await expect(app.podIp('pod1b')).toHaveText('172.17.0.3');
    await expect(
      page.locator('[data-testid^="pod-ip-"]', { hasText: /^172\.17\.0\.2$/ }),
    ).toHaveCount(2);
    await expect(app.node('rf-pod-pod1a')).toContainText('same IP as pod2a');
    await expect(app.node('rf-pod-pod2a')).toContainText('same IP as pod1a');
    await expect(page.getByTestId('probe-dst').locator('option', { hasText: 'pod2a' })).toHaveText(
      /172\.17\.0\.2 \(duplicate\)/,
    );
    await app.shot('ipam-naive-diff');

    // and back: the diff turns round
    await page.getByTestId('ipam-select').selectOption('cluster');
    await expect(diff).toContainText('IPAM changed: naive → cluster');
    await expect(app.podIp('pod2a')).toHaveText('172.17.2.2');
  });
});

test.describe('the dark theme', () => {
  test.use({ colorScheme: 'dark' });

  test('the page is dark and its text light: the body, the probe panel, the hop list, the inspector', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.send('pod1a', 'pod2a');
    await app.pause();
    await page.getByTestId('hop-2').click();
    await animationsDone(page);
    const colours = await page.evaluate(() => {
      /** The colour painted behind an element: its own background, else the nearest ancestor's. */
      const backdrop = (el: Element | null): string => {
        for (let e = el; e; e = e.parentElement) {
          const c = getComputedStyle(e).backgroundColor;
          if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
        }
        return 'rgb(255, 255, 255)';
      };
      const of = (sel: string) => {
        const el = document.querySelector(sel);
        return { bg: backdrop(el), fg: el ? getComputedStyle(el).color : 'missing' };
      };
      return {
        body: of('body'),
        probe: of('.probe-panel'),
        hops: of('.hop-list-panel'),
        inspector: of('[data-testid=inspector]'),
      };
    });
    for (const [where, c] of Object.entries(colours)) {
      expect(luminance(c.bg), `${where} background ${c.bg}`).toBeLessThan(0.05);
      expect(luminance(c.fg), `${where} text ${c.fg}`).toBeGreaterThan(0.6);
    }
    await app.shot('dark-packet');
  });

  test('no text on screen falls under 4.5:1 contrast: a packet on a hop, the route diff, naive IPAM', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.send('pod1a', 'pod2a');
    await app.pause();
    await page.getByTestId('hop-2').click();
    await expect(page.getByTestId('hop-headers')).toContainText('VXLAN');
    await animationsDone(page);
    expect(await lowContrastText(page, 4.5), 'text under 4.5:1 with a packet on hop 3').toEqual([]);

    await app.setDatapath('direct');
    await expect(page.getByTestId('mode-diff')).toBeVisible();
    await page.getByTestId('ipam-select').selectOption('naive');
    await expect(app.node('rf-pod-pod1a')).toContainText('same IP as pod2a');
    // the packet replays on the new tables: looked at on its first hop, then on its last
    await app.pause();
    await page.getByTestId('hop-0').click();
    await animationsDone(page);
    await app.shot('dark-naive-diff');
    const first = await lowContrastText(page, 4.5);
    await app.hops().last().click();
    await animationsDone(page);
    const last = await lowContrastText(page, 4.5);
    expect(first, 'text under 4.5:1 after switching to direct and naive IPAM, hop 1').toEqual([]);
    expect(last, 'text under 4.5:1 after switching to direct and naive IPAM, last hop').toEqual([]);
  });
});

test.describe('a hostile scenario is only ever data', () => {
  test('a link whose pod is named with markup runs no script and opens as it is, the apiserver’s message on the pod', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#v2\./);
    const rows = rowsOf(page.url());
    expect(rows['p']![0]![0]).toBe('pod1a');
    rows['p']![0]![0] = HOSTILE;
    const link = linkToRows(page.url(), rows);
    await page.goto('about:blank');
    await page.goto(link);
    await expect(page.getByTestId('canvas')).toBeVisible();

    // the name shows as the text it is, in kubectl's words, on the pod the API server refused
    const card = page.getByTestId(`rf-pod-${HOSTILE}`);
    await expect(card).toContainText(HOSTILE);
    await expect(card).toContainText(`Pod "${HOSTILE}" is invalid: metadata.name`);
    await expect(card).toContainText('RFC 1123');
    await expect(app.node('rf-pod-pod1b')).toBeVisible();
    await expect(page.getByTestId('notice')).toHaveCount(0);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await app.shot('hostile-link');
  });

  test('the same name in an imported file, or typed as a rename, is refused in words and never run', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    const doc = JSON.parse((await exportJson(page)).text) as ScenarioDoc;
    doc.pods[0]!.name = HOSTILE;
    await importJson(page, 'hostile.json', JSON.stringify(doc));
    await expect(lastNotice(page)).toContainText('hostile.json: 1 problem to fix');
    await expect(page.getByTestId(`rf-pod-${HOSTILE}`)).toContainText(
      `Pod "${HOSTILE}" is invalid`,
    );
    await page.keyboard.press('Control+z');
    await expect(app.node('rf-pod-pod1a')).toBeVisible();

    // a rename in the inspector: the pod carries the name as text, with the problem in red
    await app.node('rf-pod-pod1b').click({ position: { x: 40, y: 10 } });
    const name = page.getByTestId('inspector').getByTestId('edit-name');
    await name.fill(HOSTILE);
    await name.press('Enter');
    await expect(
      page.getByTestId('inspector').getByTestId('problems').filter({ visible: true }),
    ).toContainText(`Pod "${HOSTILE}" is invalid: metadata.name`);
    await expect(page.getByTestId(`rf-pod-${HOSTILE}`)).toContainText(HOSTILE);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await app.shot('hostile-rename');
  });
});

test.describe('bad input reads, and stops only what it concerns', () => {
  test('a refused pod shows its whole name and message in its card; the rest of the cluster still runs', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.node('rf-pod-pod1b').click({ position: { x: 40, y: 10 } });
    const name = page.getByTestId('inspector').getByTestId('edit-name');
    await name.fill(HOSTILE);
    await name.press('Enter');
    const pod = page.getByTestId(`rf-pod-${HOSTILE}`);
    await expect(pod).toContainText('is invalid');
    await expect(pod).toContainText('not created');
    // the API server refused one pod: the others keep running and still answer
    await expect(page.locator('.cv-broken')).toHaveCount(0);
    await expect(page.getByTestId('pod-status-pod2a')).toContainText('Running');
    await app.send('pod1a', 'pod2a');
    await expect(page.getByTestId('trace-verdict')).toContainText('64 bytes from 172.17.2.2', {
      timeout: 20_000,
    });
    await app.settled(pod);
    await app.shot('refused-pod');
    // nothing cut off at the card's edges: its text fits the card
    const overflow = await pod.evaluate((el) => ({
      wide: el.scrollWidth - el.clientWidth,
      tall: el.scrollHeight - el.clientHeight,
    }));
    expect.soft(overflow.wide, 'pixels of text past the card’s right edge').toBeLessThanOrEqual(1);
    expect.soft(overflow.tall, 'pixels of text past the card’s bottom edge').toBeLessThanOrEqual(1);
  });

  test('a subnet that is no CIDR is left out with what stands on it; a bad cluster CIDR stops the build, and its note hides no card', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.node('rf-subnet-vpc-subnet').click({ position: { x: 30, y: 8 } });
    const cidr = page.getByTestId('inspector').getByTestId('edit-cidr');
    await cidr.fill('10.100.0.0/33');
    await cidr.press('Enter');
    await expect(app.node('rf-subnet-vpc-subnet')).toContainText('invalid CIDR');
    await expect(app.node('node-refused-node1')).toHaveText('not created');
    await expect(app.node('node-errors-node1')).toContainText(
      'not created: its subnet "vpc-subnet" has problems',
    );
    await page.keyboard.press('Control+z');
    await expect(app.node('node-refused-node1')).toHaveCount(0);

    await cidr.blur();
    await page.keyboard.press('Escape');
    await app.commitField('edit-clusterCidr', '10.244.0.0/99');
    const note = page.locator('.cv-broken');
    await expect(note).toContainText('The cluster does not build.');
    await app.settled(app.node('rf-router-vpc'));
    await app.shot('broken-scenario');
    const cards = page.locator(
      '[data-testid^="rf-router-"], [data-testid^="rf-service-"], [data-testid^="rf-pod-"]',
    );
    expect(await overlapping(note, cards), 'cards under the note').toEqual([]);
  });
});

test.describe('a typical session is quiet in the console', () => {
  test('open, ping, step through, switch datapath, open a terminal: no error, no warning', async ({
    page,
  }) => {
    const noise: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') noise.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => noise.push(`pageerror: ${e.message}`));

    const app = new Playground(page);
    await app.openFresh();
    await app.send('pod1a', 'pod2a');
    await app.pause();
    await page.getByTestId('hop-0').click();
    const count = await app.hops().count();
    for (let i = 1; i < count; i++) await app.stepForward();
    await expect(page.getByTestId('trace-verdict')).toContainText('64 bytes from 172.17.2.2');
    for (let i = 1; i < count; i++) await page.keyboard.press('ArrowLeft');
    await expect(app.currentHop()).toHaveAttribute('data-testid', 'hop-0');

    await app.setDatapath('direct');
    await expect(page.getByTestId('mode-diff')).toBeVisible();
    await app.hops().last().click();
    await expect(page.getByTestId('trace-verdict')).toContainText('64 bytes from 172.17.2.2');
    await app.setDatapath('gateway');

    await app.node('rf-pod-pod1a').click({ position: { x: 40, y: 10 } });
    await page.getByTestId('open-terminal').click();
    const screen = page.getByTestId('terminal-text');
    await expect(screen).toContainText('root@pod1a:');
    await page.keyboard.type('ip route');
    await page.keyboard.press('Enter');
    await expect(screen).toContainText('default via 172.17.1.1 dev eth0');
    await page.keyboard.type('ping -c 1 172.17.2.2');
    await page.keyboard.press('Enter');
    await expect(screen).toContainText('1 packets transmitted, 1 received');
    await page.getByRole('button', { name: 'Close terminal' }).click();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('inspector')).toContainText('where the packet is now');

    expect(noise).toEqual([]);
  });
});
