import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { scenarioToJson } from '../../src/engine/index';
import { clusterScenario } from '../engine/generate';
import { Playground } from './pages/playground';

/** Issue 12: Find (`/` or Ctrl+K) over pods, nodes, Services and addresses; a pick flies there. */
test.describe('Find', () => {
  test('/ opens it; a pod typed and picked is selected; Esc gives the focus back', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    const input = page.getByTestId('find-input');
    await expect(input).toBeFocused();
    await input.fill('172.17.2.2');
    await expect(page.getByTestId('find-hit-pod-pod2a')).toBeVisible();
    await expect(page.getByTestId('find-hit-node-node2')).toContainText('podCIDR 172.17.2.0/24');
    await app.shot('find-address');
    const { violations } = await new AxeBuilder({ page })
      .include('[data-testid="find-dialog"]')
      .analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('find-dialog')).not.toBeVisible();
    await expect(app.inspector()).toContainText('pod2a');
    await page.keyboard.press('Control+k');
    await expect(input).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('find-dialog')).not.toBeVisible();
  });

  test('in a cluster of 40 nodes, the pick flies the canvas to a pod far off screen', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    const big = clusterScenario({ nodes: 40, podsPerNode: 6 });
    await page.getByTestId('import-json').setInputFiles({
      name: 'big.json',
      mimeType: 'application/json',
      buffer: Buffer.from(scenarioToJson(big)),
    });
    const far = app.node('rf-pod-pod-39-5');
    await expect(page.getByTestId('rf-node-node-0')).toBeVisible();
    // fly to the first node, at a zoom one reads a node at: the far end is off screen then
    await page.getByTestId('find-open').click();
    await page.getByTestId('find-input').fill('node-0');
    await page.keyboard.press('Enter');
    await expect(app.node('rf-node-node-0')).toBeInViewport();
    await expect(far).not.toBeInViewport();
    await app.shot('find-flown-node-0');
    await page.getByTestId('find-open').click();
    await page.getByTestId('find-input').fill('pod-39-5');
    await page.getByTestId('find-hit-pod-pod-39-5').click();
    await expect(far).toBeInViewport();
    await expect(app.inspector()).toContainText('pod-39-5');
  });
});
