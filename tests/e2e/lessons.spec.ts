import { expect, test, type Page } from '@playwright/test';
import { LessonPanel } from './pages/lessons';
import { Playground } from './pages/playground';
import { canvasZoom } from './pages/view';

const verdict = (page: Page) => page.getByTestId('trace-verdict');

/** Whether a drawn object's centre is inside the canvas (not panned out of view). */
async function inCanvas(page: Page, testId: string): Promise<boolean> {
  const canvas = await page.getByTestId('canvas').boundingBox();
  const box = await page.getByTestId(testId).boundingBox();
  if (!canvas || !box) return false;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return (
    cx > canvas.x && cx < canvas.x + canvas.width && cy > canvas.y && cy < canvas.y + canvas.height
  );
}

/** Faster playback: a learner may drag the speed slider too. */
async function fast(page: Page) {
  await page.getByTestId('speed').fill('4');
}

test.describe('lesson 1: containers in one pod', () => {
  test('shared namespace, localhost over lo (a wrong guess is corrected), then a port clash', async ({
    page,
  }) => {
    const app = new Playground(page);
    const lesson = new LessonPanel(page);
    await app.openFresh();
    await expect(lesson.panel()).toContainText('How do containers in one pod talk to each other?');
    await lesson.open('containers');
    await lesson.expectStep(1, 3, 'One network namespace, held by pause');
    await expect(lesson.panel().locator('.lesson-text code').first()).toHaveText('ubuntu');
    await expect(page.getByTestId('inspector')).toContainText('pod1a');
    await expect(page.getByTestId('lesson-play')).toHaveCount(0);
    await expect(page.getByTestId('lesson-prev')).toBeDisabled();

    await lesson.next();
    await lesson.expectStep(2, 3, 'localhost is shared');
    await expect(lesson.panel()).toContainText('Where does the SYN to 127.0.0.1:80 go?');
    await expect(lesson.choices()).toHaveCount(3);
    // the question is about the first hop: Play does not start before it is answered
    await expect(page.getByTestId('lesson-waiting')).toBeVisible();
    await expect(page.getByTestId('lesson-play')).toBeDisabled();
    await page.getByTestId('play-toggle').click();
    expect(await lesson.playing()).toBe(false);
    expect(await lesson.hop()).toBe(0);
    await expect(page.getByTestId('hop-0')).toHaveCSS('pointer-events', 'none');
    await page.screenshot({ path: 'test-results/screenshots/lesson-containers-predict.png' });

    await lesson.answer('out of eth0 to the cni0 bridge', 'wrong');
    await expect(lesson.result()).toContainText('the answer is over lo, inside pod1a');
    await expect(verdict(page)).toHaveText('Connection to 127.0.0.1 80 port [tcp/*] succeeded!');
    await expect(page.getByTestId('hop-0')).toContainText('lo');
    await expect(page.getByTestId('hop-0')).toHaveCSS('pointer-events', 'auto');
    // once the packet has arrived, the lesson says how it ended
    await expect(page.getByTestId('lesson-verdict')).toContainText('succeeded');
    await page.screenshot({ path: 'test-results/screenshots/lesson-containers-answered.png' });

    await lesson.next();
    await lesson.expectStep(3, 3, 'Two containers, one port');
    await expect(page.getByTestId('predict-choice')).toHaveCount(0);
    await expect(page.getByTestId('pod-status')).toContainText('CrashLoopBackOff');
    await lesson.play();
    await expect(verdict(page)).toHaveText('Connection to 127.0.0.1 80 port [tcp/*] succeeded!');

    // Back keeps the answer given; Finish closes the lesson and the list is back
    await lesson.back();
    await expect(lesson.result()).toContainText('Not quite');
    await lesson.next();
    await expect(page.getByTestId('lesson-next')).toHaveText(/Finish/);
    await lesson.next();
    await expect(page.getByTestId('lesson-open-containers')).toBeVisible();
  });
});

test.describe('lesson 2: pods on one node', () => {
  test('IPAM, the bridge (a right guess), and naive IPAM where nothing answers', async ({
    page,
  }) => {
    const app = new Playground(page);
    const lesson = new LessonPanel(page);
    await app.openFresh();
    await lesson.open('same-node');
    await lesson.expectStep(1, 3, 'Cluster CIDR → podCIDR → pod IP');
    await expect(app.node('rf-node-node1')).toContainText('172.17.1.0/24');

    await lesson.next();
    await lesson.expectStep(2, 3, 'The bridge');
    await fast(page);
    // the question is about hop 2 (node1): the packet waits on hop 1
    await expect(page.getByTestId('lesson-waiting')).toBeVisible();
    await expect(page.getByTestId('lesson-play')).toBeDisabled();
    expect(await lesson.hop()).toBe(0);
    await expect(page.getByTestId('hop-1')).toHaveCSS('pointer-events', 'none');
    // stepping past the question snaps back
    await page.keyboard.press('ArrowRight');
    expect(await lesson.hop()).toBe(0);
    await lesson.answer('the cni0 bridge switches it', 'right');
    await expect(verdict(page)).toContainText('64 bytes from 172.17.1.3');
    await expect(verdict(page)).toHaveAttribute('data-ok', 'true');
    await expect(page.getByTestId('hop-1')).toHaveAttribute('data-action', 'bridge');
    await expect(page.getByTestId('lesson-verdict')).toContainText('64 bytes from 172.17.1.3');
    await page.screenshot({ path: 'test-results/screenshots/lesson-same-node.png' });

    await lesson.next();
    await lesson.expectStep(3, 3, 'Naive IPAM: every node on 172.17.0.0/16');
    await expect(app.node('node-errors-node1')).toContainText('Nexthop has invalid gateway');
    // the duplicates are marked on the pods, and the podCIDRs say the bridges ignore them
    await expect(app.node('rf-pod-pod1a')).toContainText('172.17.0.2');
    await expect(app.node('rf-pod-pod1a')).toContainText('same IP as pod2a');
    await expect(app.node('rf-pod-pod2a')).toContainText('same IP as pod1a');
    await expect(app.node('podcidr-unused-node1')).toHaveText('(unused)');
    await expect(app.node('rf-bridge-node1')).toContainText('172.17.0.1/16');
    await lesson.answer('a node routes it', 'wrong');
    await expect(lesson.result()).toContainText('the answer is it is dropped');
    await expect(verdict(page)).toContainText('Destination Host Unreachable');
    await expect(verdict(page)).toHaveAttribute('data-ok', 'false');
    // the last hop delivers the local ICMP error to pod2a: the lesson still calls the ping a failure
    const outcome = page.getByTestId('lesson-verdict');
    await expect(outcome).toContainText('From 172.17.0.2 icmp_seq=1 Destination Host Unreachable');
    await expect(outcome).toHaveClass(/is-fail/);
    await expect(outcome).toContainText('Outcome ✗');
    await page.screenshot({ path: 'test-results/screenshots/lesson-same-node-naive.png' });
  });
});

test.describe('lesson 3: pods on different nodes', () => {
  test('overlay, direct, gateway, the source/destination check, a second subnet, a Service', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const app = new Playground(page);
    const lesson = new LessonPanel(page);
    await app.openFresh();
    await lesson.open('cross-node');
    await fast(page);

    // 1 overlay: the choices are node1's own routes
    await lesson.expectStep(1, 6, 'Overlay: VXLAN like Flannel');
    await expect(page.getByTestId('datapath-select')).toHaveValue('overlay');
    await expect(lesson.choices()).toHaveCount(4);
    await expect(lesson.choices().first()).toHaveText('default via 10.100.0.1 dev eth0');
    await lesson.answer('172.17.2.0/24 via 172.17.2.0 dev flannel.1 onlink', 'right');
    await expect(verdict(page)).toContainText('64 bytes from 172.17.2.2');

    // 2 direct: the same question, another table
    await lesson.next();
    await lesson.expectStep(2, 6, 'Direct: the pod packet itself on the wire');
    await expect(page.getByTestId('datapath-select')).toHaveValue('direct');
    await lesson.answer('default via 10.100.0.1 dev eth0', 'wrong');
    await expect(lesson.result()).toContainText('172.17.2.0/24 via 10.100.0.3 dev eth0');
    await expect(verdict(page)).toContainText('64 bytes from 172.17.2.2');

    // 3 gateway: the question is about hop 3 (the router): Play runs to hop 2 and waits there
    await lesson.next();
    await lesson.expectStep(3, 6, 'Gateway: the routing table at the router');
    await lesson.play();
    await expect(page.getByTestId('lesson-waiting')).toBeVisible();
    await expect.poll(() => lesson.hop()).toBe(1);
    expect(await lesson.playing()).toBe(false);
    await expect(app.currentHop()).toHaveAttribute('data-testid', 'hop-1');
    await expect(page.getByTestId('hop-2')).toHaveCSS('pointer-events', 'none');
    await page.screenshot({ path: 'test-results/screenshots/lesson-cross-node-waiting.png' });
    // further down the side panel: one placeholder stands for the hops from the predicted one on
    await expect(page.getByTestId('hop-3')).toBeHidden();
    await page.getByTestId('hop-2').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screenshots/lesson-cross-node-masked-hops.png' });
    await lesson.answer('172.17.2.0/24 via 10.100.0.3 dev eth0', 'right');
    await expect.poll(() => lesson.hop()).toBeGreaterThanOrEqual(2);

    // 4 the cloud's source/destination check drops the direct packet
    await lesson.next();
    await lesson.expectStep(4, 6, 'A cloud source/destination check breaks direct');
    await lesson.answer('it is dropped', 'right');
    await expect(verdict(page)).toContainText('dropped by the cloud source/destination check');
    // why it was dropped is docked at the bottom of the canvas, inside it, clear of the frames' headers
    const drop = page.getByTestId('packet-drop');
    await expect(drop).toContainText('not its address 10.100.0.2');
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    const banner = (await drop.boundingBox())!;
    expect(banner.x).toBeGreaterThanOrEqual(canvas.x);
    expect(banner.x + banner.width).toBeLessThanOrEqual(canvas.x + canvas.width);
    expect(banner.y + banner.height).toBeLessThanOrEqual(canvas.y + canvas.height);
    const header = (await app.node('rf-node-node1').locator('.cv-node-head').boundingBox())!;
    expect(banner.y).toBeGreaterThan(header.y + header.height);
    await page.screenshot({ path: 'test-results/screenshots/lesson-cross-node-srccheck.png' });
    // as the step says: switch to overlay and play again. The answer stays, marked as
    // about the direct-mode packet, not as a verdict on this one (which is delivered)
    await app.setDatapath('overlay');
    await lesson.play();
    await expect(page.getByTestId('lesson-verdict')).toContainText('64 bytes from 172.17.2.2');
    await expect(page.getByTestId('predict-stale')).toContainText('answered in direct mode');
    await expect(lesson.result().locator('.lesson-result')).toHaveClass(/is-stale/);
    await expect(lesson.result().locator('.lesson-result')).not.toHaveClass(/is-right/);
    await expect(lesson.choice('it is dropped')).toHaveAttribute('data-state', 'right');
    await page.screenshot({
      path: 'test-results/screenshots/lesson-cross-node-srccheck-overlay.png',
    });
    // back to direct: the answer is about this packet again
    await app.setDatapath('direct');
    await expect(page.getByTestId('predict-stale')).toHaveCount(0);
    await expect(lesson.result().locator('.lesson-result')).toHaveClass(/is-right/);

    // 5 a second subnet: node1 cannot install the route
    await lesson.next();
    await lesson.expectStep(5, 6, 'A second subnet breaks direct; crossSubnet fixes it');
    await expect(app.node('node-errors-node1')).toContainText(
      'Error: Nexthop has invalid gateway.',
    );
    // the step is about node3 behind the router: the view frames node1, the router and
    // node3 whole, smaller than a free view would, and follows the packet from there
    await expect.poll(() => canvasZoom(page)).toBeGreaterThanOrEqual(0.5);
    await expect.poll(() => inCanvas(page, 'rf-node-node3')).toBe(true);
    await lesson.play();
    await expect(verdict(page)).toHaveAttribute('data-ok', 'false');
    await expect(page.getByTestId('lesson-verdict')).toContainText('Network is unreachable');
    await expect.poll(() => inCanvas(page, 'rf-router-rtr')).toBe(true);
    await page.screenshot({ path: 'test-results/screenshots/lesson-cross-node-xsubnet.png' });

    // 6 a Service: DNAT on node1, and the connection succeeds
    await lesson.next();
    await lesson.expectStep(6, 6, 'Why clients use a Service');
    await lesson.answer('kube-proxy DNATs it to an endpoint', 'right');
    await expect(verdict(page)).toHaveText('Connection to 10.96.0.10 80 port [tcp/*] succeeded!');
    await page.getByTestId('step-back').click();
    await page.locator('[data-testid^="hop-"][data-action="dnat"]').click();
    await expect(app.node('rf-service-web')).toHaveAttribute('data-active', 'true');
    await page.screenshot({ path: 'test-results/screenshots/lesson-cross-node-service.png' });

    await lesson.next();
    await expect(page.getByTestId('lesson-open-cross-node')).toBeVisible();
  });

  test('a lesson step opens from the URL: /?lesson=cross-node&step=2', async ({ page }) => {
    const lesson = new LessonPanel(page);
    await page.goto('/');
    await page.evaluate(() => window.localStorage.clear());
    await page.goto('/?lesson=cross-node&step=2');
    await lesson.expectStep(2, 6, 'Direct: the pod packet itself on the wire');
    await expect(page.getByTestId('datapath-select')).toHaveValue('direct');
    await expect(lesson.choices()).toHaveCount(4);
    await page.screenshot({ path: 'test-results/screenshots/lesson-url.png' });
    await lesson.back();
    await lesson.expectStep(1, 6, 'Overlay: VXLAN like Flannel');
    await lesson.close();
    await expect(page.getByTestId('lesson-open-cross-node')).toBeVisible();
  });
});

test.describe('undo inside a lesson', () => {
  test('Ctrl+Z stays in the lesson, stops at the step’s start and says how to leave', async ({
    page,
  }) => {
    const app = new Playground(page);
    const lesson = new LessonPanel(page);
    await app.openFresh();
    await lesson.open('same-node');
    await app.select('rf-node-node1');
    await app.commitField('edit-name', 'worker1');
    await expect(app.node('rf-node-worker1')).toBeVisible();
    await page.getByTestId('inspector').getByTestId('edit-name').blur();
    await page.keyboard.press('Control+z');
    await expect(app.node('rf-node-node1')).toBeVisible();
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect(lesson.panel()).toBeVisible();
    await expect(page.getByTestId('lesson-next')).toBeVisible();
    await expect(page.getByTestId('notice')).toHaveCount(1);
    await expect(page.getByTestId('notice')).toContainText('Undo stays inside the lesson');
  });
});
