import { expect, test } from '@playwright/test';
import { Playground } from './pages/playground';
import { canvasZoom, wholeInCanvas } from './pages/view';

test.describe('the canvas view', () => {
  test('opens with the whole seed cluster in view at a readable zoom, the drawing at the top; adding a node keeps it readable and in view', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    expect(await canvasZoom(page)).toBeGreaterThanOrEqual(0.7);
    for (const id of [
      'rf-router-vpc',
      'rf-service-web',
      'rf-node-node1',
      'rf-node-node2',
      'rf-pod-pod1a',
      'rf-pod-pod1b',
      'rf-pod-pod2a',
    ])
      await expect
        .poll(() => wholeInCanvas(page, page.getByTestId(id)), { message: id })
        .toBe(true);
    // no empty band above the router: the drawing starts at the top of the canvas
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    const router = (await app.node('rf-router-vpc').boundingBox())!;
    expect(router.y - canvas.y).toBeLessThan(60);

    // a palette click adds node3 and selects it (the inspector shows it), in view
    await page.getByTestId('palette-node').click();
    await expect(app.node('rf-node-node3')).toHaveAttribute('data-selected', 'true');
    await expect(page.getByTestId('inspector')).toContainText('node3');
    await expect.poll(() => wholeInCanvas(page, page.getByTestId('rf-node-node3'))).toBe(true);
    expect(await canvasZoom(page)).toBeGreaterThanOrEqual(0.7);

    // the next click adds a pod into the selected node, and selects that pod
    await page.getByTestId('palette-pod').click();
    const pod = await app.state<{ kind: string; name: string }>('s.selection');
    expect(pod.kind).toBe('pod');
    const onNode = await app.state<string>(
      `s.scenario.pods.find((p) => p.name === ${JSON.stringify(pod.name)}).node`,
    );
    expect(onNode).toBe('node3');
    await expect(app.node(`rf-pod-${pod.name}`)).toHaveAttribute('data-selected', 'true');
    await app.shot('canvas-added-node-and-pod');
  });

  test('a pod dragged from the palette into a node is selected', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.dragFromPalette('pod', 'rf-node-node2');
    await expect
      .poll(() => app.state<{ kind: string } | null>('s.selection'))
      .toMatchObject({ kind: 'pod' });
    const pod = await app.state<{ kind: string; name: string }>('s.selection');
    expect(
      await app.state<string>(
        `s.scenario.pods.find((p) => p.name === ${JSON.stringify(pod.name)}).node`,
      ),
    ).toBe('node2');
    await expect(page.getByTestId('inspector')).toContainText(pod.name);
  });

  test('a click on the mini map brings that part of the cluster to the middle of the canvas', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    const centreX = async (id: string) => {
      const b = (await page.getByTestId(id).boundingBox())!;
      return b.x + b.width / 2;
    };
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    const middle = canvas.x + canvas.width / 2;
    const before = Math.abs((await centreX('rf-pod-pod1a')) - middle);
    // the mini map draws the cluster whole; its first shape is the subnet frame, whose
    // left edge is beside node1's pods
    const frame = (await page.locator('.react-flow__minimap svg rect').first().boundingBox())!;
    await page.mouse.click(frame.x + 3, frame.y + frame.height / 2);
    await expect
      .poll(async () => Math.abs((await centreX('rf-pod-pod1a')) - middle))
      .toBeLessThan(before - 40);
  });

  test('Tab reaches the drawn objects with a visible focus ring; edges are no Tab stops', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await expect(page.locator('.react-flow__edge[tabindex]')).toHaveCount(0);
    // cni0 and flannel.1 stand for their node: no Tab stops of their own
    await expect(page.locator('.react-flow__node-bridge[tabindex]')).toHaveCount(0);
    const pod = page.locator('.react-flow__node[data-id="pod:pod1a"]');
    await expect(pod).toHaveAttribute('tabindex', '0');
    await expect(pod).toHaveAttribute('aria-label', 'pod pod1a');
    await pod.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    await expect(pod).toBeFocused();
    const outline = await pod.evaluate((el) => {
      const cs = getComputedStyle(el);
      return { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
    });
    expect(outline.style).toBe('solid');
    expect(outline.width).toBeGreaterThanOrEqual(2);
    // Enter selects it
    await page.keyboard.press('Enter');
    await expect(app.node('rf-pod-pod1a')).toHaveAttribute('data-selected', 'true');
    await app.shot('canvas-keyboard-focus');
  });

  test('on a phone the mini map gives the canvas back and the text stays readable', async ({
    browser,
  }) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const app = new Playground(page);
    await app.openFresh();
    await expect(app.node('rf-pod-pod1a')).toBeVisible();
    await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
    await expect(page.locator('.react-flow__controls')).toBeVisible();
    const controls = (await page.locator('.react-flow__controls').boundingBox())!;
    expect(controls.height).toBeLessThanOrEqual(32);
    expect(await canvasZoom(page)).toBeGreaterThan(0.89);
    // the view starts on a whole node, not on the gap between two
    await expect.poll(() => wholeInCanvas(page, page.getByTestId('rf-pod-pod1a'))).toBe(true);
    await app.shot('canvas-phone');
    await context.close();
  });
});
