import { expect, test } from '@playwright/test';
import { Playground } from './pages/playground';

test.describe('a Service on the canvas', () => {
  test('the seed shows Service web with its ClusterIP and a dashed edge to each endpoint', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    const svc = app.node('rf-service-web');
    await expect(svc).toBeVisible();
    await expect(svc.locator('.cv-title')).toHaveText(/service\s*web/i);
    await expect(svc).toContainText('10.96.0.10:80 → 8080');
    await expect(svc).toContainText('2 endpoints');
    // both web pods (app=web) are endpoints: one edge each, faint and unlabelled while
    // nothing points at them (they would clutter the drawing)
    const edges = page.locator('.react-flow__edge.cv-edge-svc');
    await expect(edges).toHaveCount(2);
    const toPod1b = page.locator('.react-flow__edge[data-id="edge:svc:web:pod1b"]');
    const toPod2a = page.locator('.react-flow__edge[data-id="edge:svc:web:pod2a"]');
    await expect(toPod1b).not.toContainText(':8080');
    const faint = await toPod1b
      .locator('.react-flow__edge-path')
      .evaluate((el) => Number(getComputedStyle(el).opacity));
    expect(faint).toBeLessThan(0.5);
    // selecting it opens the Service in the inspector, and its edges show, labelled with the targetPort
    await svc.click();
    await expect(page.getByTestId('inspector')).toContainText('10.96.0.10');
    await expect(svc).toHaveAttribute('data-selected', 'true');
    await expect(edges.and(page.locator('.cv-edge-shown'))).toHaveCount(2);
    await expect(toPod1b).toContainText(':8080');
    await expect(toPod2a).toContainText(':8080');
    await expect
      .poll(() =>
        toPod1b
          .locator('.react-flow__edge-path')
          .evaluate((el) => Number(getComputedStyle(el).opacity)),
      )
      .toBeGreaterThan(0.8);
    await expect(page.getByTestId('service-endpoints')).toContainText('172.17.1.3:8080');
    await expect(page.getByTestId('service-endpoints')).toContainText('172.17.2.2:8080');
  });

  test('TCP to the ClusterIP is DNATed to an endpoint; a recreated pod gets a new IP and the Service follows', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.send('pod1a', 'service/web', 'tcp');
    await expect(page.getByTestId('probe-port')).toHaveValue('80');
    await app.pause();
    // the outcome shows once the packet is at its last hop
    await app.hops().last().click();
    const verdict = page.getByTestId('trace-verdict');
    await expect(verdict).toHaveText('Connection to 10.96.0.10 80 port [tcp/*] succeeded!');

    // step to the DNAT hop: kube-proxy's rules on node1 rewrite the destination
    await page.getByTestId('hop-0').click();
    await app.stepForward();
    await expect(app.currentHop()).toHaveAttribute('data-action', 'dnat');
    const why = page.getByTestId('hop-why');
    await expect(why).toContainText('KUBE-SEP-');
    await expect(why).toContainText('DNAT --to-destination');
    // the Service lights up, and the edge to the endpoint the rule chose (shown, labelled);
    // the other edge stays faint
    await expect(app.node('rf-service-web')).toHaveAttribute('data-active', 'true');
    const chosen = page.locator('.react-flow__edge.cv-edge-svc.cv-edge-active');
    await expect(chosen).toHaveCount(1);
    await expect(chosen).toHaveClass(/cv-edge-shown/);
    await expect(chosen).toContainText(':8080');
    await expect(page.locator('.react-flow__edge.cv-edge-svc.cv-edge-shown')).toHaveCount(1);
    const to = /--to-destination (\d+\.\d+\.\d+\.\d+):8080/.exec((await why.textContent()) ?? '');
    expect(to).not.toBeNull();
    const pods = { '172.17.1.3': 'pod1b', '172.17.2.2': 'pod2a' } as Record<string, string>;
    await expect(chosen).toHaveAttribute('data-id', `edge:svc:web:${pods[to![1]!]}`);
    await app.shot('services');

    // the reply is un-NATed on node1: the Service lights up again
    await page.locator('[data-testid^="hop-"][data-action="undnat"]').click();
    await expect(app.node('rf-service-web')).toHaveAttribute('data-active', 'true');
    await app.stepForward();
    await expect(app.node('rf-service-web')).toHaveAttribute('data-active', 'false');

    // kubectl delete pod pod2a: its ReplicaSet brings a replacement with a new name and IP
    await app.node('rf-pod-pod2a').click();
    await page.getByTestId('recreate-pod').click();
    await expect(app.node('rf-pod-pod2a')).toHaveCount(0);
    const fresh = page.locator('[data-testid^="rf-pod-pod2a-"]');
    await expect(fresh).toHaveCount(1);
    const name = ((await fresh.getAttribute('data-testid')) ?? '').slice('rf-pod-'.length);
    const ip = app.podIp(name);
    await expect(ip).toHaveText(/^172\.17\.2\.\d+$/);
    const newIp = (await ip.textContent()) ?? '';
    expect(newIp).not.toBe('172.17.2.2');

    // the Service's endpoints follow the pod; its edge goes to the replacement
    await app.node('rf-service-web').click();
    const endpoints = page.getByTestId('service-endpoints');
    await expect(endpoints).toContainText(`${newIp}:8080`);
    await expect(endpoints).not.toContainText('172.17.2.2:8080');
    await expect(page.locator(`.react-flow__edge[data-id="edge:svc:web:${name}"]`)).toHaveCount(1);

    // the client keeps the same ClusterIP, and it still connects
    await app.send('pod1a', 'service/web', 'tcp');
    await app.pause();
    await app.hops().last().click();
    await expect(verdict).toHaveText('Connection to 10.96.0.10 80 port [tcp/*] succeeded!');
    await app.shot('services-recreated');
  });

  test('the palette adds a Service by click or by drag; one that selects nothing says so in red', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await page.getByTestId('palette-service').click();
    const svc1 = app.node('rf-service-svc1');
    await expect(svc1).toBeVisible();
    // what was added is selected: the inspector shows it
    await expect(svc1).toHaveAttribute('data-selected', 'true');
    await expect(page.getByTestId('inspector')).toContainText('svc1');
    expect(await app.state('s.selection')).toEqual({ kind: 'service', name: 'svc1' });
    // the default selector is app=web: the web pods are its endpoints
    await expect(svc1).toContainText('app=web');
    await expect(svc1).toContainText('2 endpoints');
    // its targetPort is the port its endpoints expose (web :8080)
    await expect(svc1.locator('.cv-svc-ports li')).toHaveText(/^10\.\d+\.\d+\.\d+:80 → 8080$/);

    // dropped over the subnet (where the canvas shows it: the view has moved to svc1), it floats above
    const subnet = app.node('rf-subnet-vpc-subnet');
    // the view glides to svc1: measure where the subnet is once it has stopped
    await app.settled('rf-subnet-vpc-subnet');
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    const frame = (await subnet.boundingBox())!;
    const left = Math.max(frame.x, canvas.x);
    const right = Math.min(frame.x + frame.width, canvas.x + canvas.width);
    expect(right - left).toBeGreaterThan(100);
    await page.getByTestId('palette-service').dragTo(subnet, {
      targetPosition: { x: (left + right) / 2 - frame.x, y: 20 },
    });
    const svc2 = app.node('rf-service-svc2');
    await expect(svc2).toBeVisible();
    await expect(svc2).toHaveAttribute('data-selected', 'true');
    await expect(svc1).toHaveAttribute('data-selected', 'false');

    // a selector no pod matches: no endpoints, in red
    await svc2.click();
    const selector = page.getByTestId('edit-selector');
    await selector.fill('app=nothing');
    await selector.blur();
    await expect(svc2).toContainText('no endpoints');
    await expect(svc2.locator('.cv-drop')).toHaveText('no endpoints');
    await expect(page.locator('.react-flow__edge[data-id^="edge:svc:svc2:"]')).toHaveCount(0);

    // dragged by the mouse, it keeps its new place (a move edit)
    const before = await app.state<{ x: number; y: number }>(
      "s.scenario.services.find((v) => v.name === 'svc1').position",
    );
    // show the whole drawing first, so the Service is under the pointer and not under a panel
    await page.locator('.react-flow__controls-fitview').click();
    // the fit animates: wait until the Service stops moving before grabbing it
    let box = (await svc1.boundingBox())!;
    await expect
      .poll(async () => {
        const now = (await svc1.boundingBox())!;
        const still = now.x === box.x && now.y === box.y;
        box = now;
        return still;
      })
      .toBe(true);
    await page.mouse.move(box.x + 30, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + 80, box.y + 60, { steps: 8 });
    await page.mouse.up();
    await expect
      .poll(() =>
        app.state<{ x: number; y: number }>(
          "s.scenario.services.find((v) => v.name === 'svc1').position",
        ),
      )
      .not.toEqual(before);
    await app.shot('services-palette');
  });
});
