import { expect, test } from '@playwright/test';
import { Playground, SHOTS } from './pages/playground';

/** A TCP connect from the probe panel, played to its last hop. */
async function connect(app: Playground, from: string, to: string, port: number) {
  const page = app.page;
  await page.getByTestId('probe-from').selectOption(from);
  await page.getByTestId('probe-dst').selectOption(to);
  await page.getByTestId('probe-kind').selectOption('tcp');
  await page.getByTestId('probe-port').fill(String(port));
  await page.getByTestId('probe-send').click();
  await app.pause();
  await app.hops().last().click();
  await expect(page.getByTestId('trace-verdict')).not.toHaveAttribute('data-pending', 'true');
}

/**
 * A NodePort reached from a host on the underlay: node1 is the client of node2's port. With
 * externalTrafficPolicy Cluster node2 masquerades (the SNAT hop); with Local and no endpoint
 * on node2 it drops the SYN by kube-proxy's "has no local endpoints" rule, named at the hop.
 */
test.describe('a NodePort from outside the pod network', () => {
  test('Cluster masquerades; Local drops where no endpoint is local, naming the rule', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.select('rf-service-web');
    const type = app.inspector().getByTestId('edit-svc-type');
    await expect(type).toHaveValue('ClusterIP');
    await expect(app.inspector().getByTestId('edit-svc-nodeport-0')).toHaveCount(0);
    await type.selectOption('NodePort');
    // the API server allocates one from its dynamic band
    const nodePort = app.inspector().getByTestId('edit-svc-nodeport-0');
    await expect(nodePort).toHaveValue(/^3\d{4}$/);
    const allocated = Number(await nodePort.inputValue());
    expect(allocated).toBeGreaterThanOrEqual(30086);
    expect(allocated).toBeLessThanOrEqual(32767);
    // a port outside the range is refused in the API server's words, and the Service keeps its own
    await app.commitField('edit-svc-nodeport-0', '3001');
    await expect(page.getByTestId('svc-nodeport-error')).toHaveText(
      'spec.ports[0].nodePort: Invalid value: 3001: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    await expect(page.getByTestId('service-nodeport-web')).toHaveText(`every node :${allocated}`);
    await page.screenshot({ path: `${SHOTS}/nodeport-refused.png` });
    await app.commitField('edit-svc-nodeport-0', '30080');
    await expect(page.getByTestId('svc-nodeport-error')).toHaveCount(0);
    await expect(page.getByTestId('service-nodeport-web')).toHaveText('every node :30080');

    const send = () => connect(app, 'node1', 'node2', 30080);
    await send();
    await expect(page.getByTestId('trace-verdict')).toHaveText(
      'Connection to 10.100.0.3 30080 port [tcp/*] succeeded!',
    );
    await expect(app.hops().filter({ hasText: 'node2 DNATs 10.100.0.3:30080' })).toHaveCount(1);
    await expect(app.hops().filter({ hasText: 'masquerades the source 10.100.0.2' })).toHaveCount(
      1,
    );

    // Local, and pod2a (node2's only endpoint) taken out of the Service
    await app.select('rf-service-web');
    await app.inspector().getByTestId('edit-svc-etp').selectOption('Local');
    await app.select('rf-pod-pod2a');
    const labels = app.inspector().getByTestId('edit-labels');
    await labels.fill('app=other');
    await labels.press('Control+Enter');
    await expect(page.getByTestId('service-endpoint-count-web')).toHaveText('1 endpoint');
    await send();
    await expect(page.getByTestId('trace-verdict')).toContainText(
      'DROP (default/web:http has no local endpoints)',
    );
    const drop = app.hops().filter({ hasText: 'node2 drops the packet' });
    await expect(drop).toHaveCount(1);
    await drop.click();
    await expect(drop.getByTestId('hop-plain')).toContainText(
      'the Service’s traffic policy is Local and no endpoint runs on node2'.replace('’', "'"),
    );
    await expect(page.getByTestId('hop-detail')).toContainText(
      '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/web:http has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j DROP',
    );
    await page.screenshot({ path: `${SHOTS}/nodeport-local-drop.png` });
  });
});

test.describe('hairpin', () => {
  test('a pod its own Service picks gets its packet back only while cni0’s ports are in hairpin mode', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    // pod1b becomes web's only endpoint
    await app.select('rf-pod-pod2a');
    const labels = app.inspector().getByTestId('edit-labels');
    await labels.fill('app=other');
    await labels.press('Control+Enter');
    await expect(page.getByTestId('service-endpoint-count-web')).toHaveText('1 endpoint');
    await page.keyboard.press('Escape');
    const send = () => connect(app, 'pod1b', 'service/web', 80);
    await send();
    await expect(page.getByTestId('trace-verdict')).toHaveText(
      'Connection to 10.96.0.10 80 port [tcp/*] succeeded!',
    );
    await expect(
      app.hops().filter({ hasText: 'node1 masquerades the source 172.17.1.3 → 172.17.1.1' }),
    ).toHaveCount(1);

    // the cluster's settings show with no packet on screen: the autosaved cluster, reopened
    await page.goto('/');
    await expect(page.getByTestId('service-endpoint-count-web')).toHaveText('1 endpoint');
    const toggle = page.getByTestId('hairpin-toggle');
    await expect(toggle).toBeChecked();
    await toggle.uncheck();
    await send();
    const drop = app.hops().filter({ hasText: 'node1 drops the packet' });
    await expect(drop).toHaveCount(1);
    await expect(drop.getByTestId('hop-plain')).toContainText('hairpin mode, which is off here');
    await expect(page.getByTestId('hop-detail')).toContainText('bridge -d link');
    await page.screenshot({ path: `${SHOTS}/hairpin-off.png` });
  });
});
