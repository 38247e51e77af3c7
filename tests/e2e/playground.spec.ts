import { expect, test } from '@playwright/test';
import { Playground } from './pages/playground';

test.describe('the playground opens on the seed cluster', () => {
  test('shows subnets, the router, nodes, bridges and pods with their IPs', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    for (const id of [
      'rf-subnet-vpc-subnet',
      'rf-router-vpc',
      'rf-node-node1',
      'rf-node-node2',
      'rf-bridge-node1',
      'rf-vxlan-node1',
      'rf-pod-pod1a',
    ]) {
      await expect(app.node(id)).toBeVisible();
    }
    await expect(app.podIp('pod1a')).toHaveText('172.17.1.2');
    await expect(app.podIp('pod2a')).toHaveText('172.17.2.2');
    await app.shot('seed');
  });
});

test.describe('building a topology by hand', () => {
  test('a node dragged into a subnet gets a podCIDR; a pod dragged into it gets its IP', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.dragFromPalette('node', 'rf-subnet-vpc-subnet');
    await expect(app.node('rf-node-node3')).toBeVisible();
    await expect(app.node('rf-node-node3')).toContainText('172.17.0.0/24');
    await app.dragFromPalette('pod', 'rf-node-node3');
    await expect(app.podIp('node3-pod1')).toHaveText('172.17.0.2');
    await app.shot('added-node-and-pod');
    // Ctrl+Z takes the pod back, Ctrl+Shift+Z brings it again with the same IP
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect(app.node('rf-pod-node3-pod1')).toHaveCount(0);
    await page.keyboard.press('Control+Shift+z');
    await expect(app.podIp('node3-pod1')).toHaveText('172.17.0.2');
  });

  test('a pod selected and deleted with the Delete key is gone, and the scenario survives a reload', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.node('rf-pod-pod1b').click();
    await expect(page.getByTestId('inspector')).toContainText('pod1b');
    await page.keyboard.press('Delete');
    await expect(app.node('rf-pod-pod1b')).toHaveCount(0);
    await page.goto('/');
    await expect(app.node('rf-pod-pod2a')).toBeVisible();
    await expect(app.node('rf-pod-pod1b')).toHaveCount(0);
  });
});

test.describe('inside a pod', () => {
  test('the pause container holds net, ipc and uts; every app container joins them', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.node('rf-pod-pod1a').click();
    const ns = page.getByTestId('pod-namespaces');
    await expect(ns.getByRole('row', { name: /pause/ })).toContainText('creates');
    await expect(ns.getByRole('row', { name: /nginx/ })).toHaveText(/joins\s*joins\s*joins\s*own/);
    await page.getByTestId('share-process-namespace').check();
    await expect(ns.getByRole('row', { name: /nginx/ })).toHaveText(
      /joins\s*joins\s*joins\s*joins/,
    );
  });
});

test.describe('sending a packet', () => {
  test('a cross-node ping in overlay steps through VXLAN encapsulation to the other pod', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.send('pod1a', 'pod2a');
    await app.pause();
    // the outcome shows once the packet is at its last hop
    await app.hops().last().click();
    await expect(page.getByTestId('trace-verdict')).toContainText('64 bytes from 172.17.2.2');
    await expect(app.hops().first()).toHaveAttribute('data-action', 'send');
    await page.getByTestId('hop-0').click();
    for (let i = 0; i < 2; i++) await app.stepForward();
    await expect(app.currentHop()).toHaveAttribute('data-action', 'encapsulate');
    await expect(page.getByTestId('hop-headers')).toContainText('VXLAN');
    await expect(page.getByTestId('hop-why')).toContainText('dev flannel.1 dst 10.100.0.3');
    await expect(page.getByTestId('packet')).toHaveAttribute('data-encapsulated', 'true');
    await app.shot('ping-overlay-encapsulated');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(app.currentHop()).toHaveAttribute('data-action', 'decapsulate');
  });

  test('a drop shows the kernel’s reason: direct routing under the cloud source/destination check', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.setDatapath('direct');
    await app.node('rf-subnet-vpc-subnet').click({ position: { x: 20, y: 12 } });
    await page.getByTestId('srccheck-toggle').check();
    await app.send('pod1a', 'pod2a');
    await expect(page.getByTestId('trace-verdict')).toContainText('source/destination check');
    await page.locator('[data-testid^="hop-"][data-action="drop"]').click();
    await expect(page.getByTestId('hop-reason')).toContainText('not its address 10.100.0.2');
    await expect(page.getByTestId('packet')).toHaveAttribute('data-dropped', 'true');
    await app.shot('srccheck-drop');
  });
});

test.describe('switching the datapath', () => {
  test('overlay → direct shows the route diff and replays the packet on the new path', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.send('pod1a', 'pod2a');
    await app.pause();
    await expect(page.locator('[data-testid^="hop-"][data-action="encapsulate"]')).toHaveCount(2);
    await app.setDatapath('direct');
    const diff = page.getByTestId('mode-diff');
    await expect(diff).toBeVisible();
    await expect(diff.getByTestId('diff-removed').first()).toContainText(
      '172.17.2.0/24 via 172.17.2.0 dev flannel.1 onlink',
    );
    await expect(diff.getByTestId('diff-added').first()).toContainText(
      '172.17.2.0/24 via 10.100.0.3 dev eth0',
    );
    await expect(page.locator('[data-testid^="hop-"][data-action="encapsulate"]')).toHaveCount(0);
    await app.hops().last().click();
    await expect(page.getByTestId('trace-verdict')).toContainText('64 bytes from 172.17.2.2');
    await app.shot('datapath-diff');
  });
});

test.describe('sharing', () => {
  test('the copied link opens the same scenario, positions included, on the same hop', async ({
    page,
    context,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.dragFromPalette('node', 'rf-subnet-vpc-subnet');
    await app.send('pod1a', 'pod2a');
    await app.pause();
    await page.getByTestId('hop-3').click();
    await page.getByTestId('copy-link').click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toContain('#v2.');
    const scenario = await app.state<unknown>('s.scenario');
    const other = await context.newPage();
    const there = new Playground(other);
    await other.goto(link);
    await expect(other.getByTestId('canvas')).toBeVisible();
    expect(await there.state<unknown>('s.scenario')).toEqual(scenario);
    await expect(there.currentHop()).toHaveAttribute('data-testid', 'hop-3');
  });

  test('a broken link opens the seed with a clear message and nothing crashes', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh('#v1.thisisnotascenario');
    await expect(page.getByTestId('notice').last()).toContainText('could not be opened');
    await expect(app.node('rf-pod-pod1a')).toBeVisible();
    await app.open('#v9.abc');
    await expect(page.getByTestId('notice').last()).toContainText('newer podhop');
    await app.shot('broken-link');
  });
});
