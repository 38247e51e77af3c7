import { expect, test } from '@playwright/test';
import { Playground } from './pages/playground';

/** Issue 13, "telling the truth at a glance": a reply from the wrong place is no plain OK. */
test.describe('the result says who answered', () => {
  test('under naive IPAM, pod1a → pod2a is answered by pod1a itself: a warning, not OK', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await page.getByTestId('ipam-select').selectOption('naive');
    await app.send('pod1a', 'pod2a');
    const verdict = page.getByTestId('trace-verdict');
    await expect(verdict).toHaveAttribute('data-ok', 'warn');
    await expect(verdict).toContainText('answered by pod1a itself — not pod2a');
    await expect(verdict).toContainText('64 bytes from 172.17.0.2');
    await expect(page.locator('.verdict-ok')).toHaveCount(0);
    await app.shot('verdict-answered-by-itself');

    // the same probe on the cluster's IPAM is answered by pod2a: a plain OK
    await page.getByTestId('ipam-select').selectOption('cluster');
    await app.send('pod1a', 'pod2a');
    await expect(verdict).toHaveAttribute('data-ok', 'true', { timeout: 20_000 });
    await expect(verdict).not.toContainText('answered by');
  });
});

test.describe('an address the file gave is never replaced silently', () => {
  test('a pod IP outside its node’s podCIDR is replaced, and the pod’s event says from what and why', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    const doc = structuredClone(await app.state('s.scenario')) as {
      pods: { name: string; ip?: string }[];
    };
    doc.pods.find((p) => p.name === 'pod1b')!.ip = '172.17.9.50';
    await page.getByTestId('import-json').setInputFiles({
      name: 'moved.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(doc)),
    });
    await expect(app.podIp('pod1b')).not.toHaveText('172.17.9.50');
    const events = page.getByTestId('events');
    await expect(events).toContainText('SandboxChanged');
    await expect(events).toContainText('pod/pod1b');
    await expect(events).toContainText(
      "Its stored IP 172.17.9.50 is outside node node1's podCIDR 172.17.1.0/24, so host-local gave it",
    );
    await app.shot('import-readdressed-event');
  });
});

test.describe('the inspector edits what it shows', () => {
  test('a pod’s IP typed by hand is kept when host-local can keep it, else replaced and said so on the pod', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.select('rf-pod-pod1b');
    await app.commitField('edit-pod-ip', '172.17.9.50');
    await expect(app.podIp('pod1b')).not.toHaveText('172.17.9.50');
    const events = page.getByTestId('pod-events');
    await expect(events).toContainText('SandboxChanged');
    await expect(events).toContainText("outside node node1's podCIDR 172.17.1.0/24");
    await app.shot('pod-ip-replaced');
    await app.commitField('edit-pod-ip', '172.17.1.9');
    await expect(app.podIp('pod1b')).toHaveText('172.17.1.9');
    await expect(page.getByTestId('pod-events')).toHaveCount(0);
  });

  test('a Service’s port and targetPort are edited in the inspector, and its card follows', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.select('rf-service-web');
    await app.commitField('edit-svc-port-0', '8081');
    await expect(app.node('rf-service-web')).toContainText('10.96.0.10:8081');
    // a port kube-apiserver refuses is said in its words, and the edit stays to be fixed
    await app.commitField('edit-svc-port-0', '70000');
    await expect(app.inspector()).toContainText('must be between 1 and 65535, inclusive');
    await expect(page.getByTestId('edit-svc-port-0')).toHaveValue('70000');
  });
});

test.describe('conntrack at the hop', () => {
  test('the SYN’s DNAT hop shows SYN_SENT [UNREPLIED], the SYN-ACK’s un-NAT hop SYN_RECV, not TIME_WAIT', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.send('pod1a', 'service/web', 'tcp');
    await app.pause();
    await page.locator('[data-action="dnat"]').first().click();
    const why = page.getByTestId('hop-why');
    await expect(why).toContainText('SYN_SENT');
    await expect(why).toContainText('[UNREPLIED]');
    await page.locator('[data-action="undnat"]').first().click();
    await expect(why).toContainText('SYN_RECV');
    await expect(why).not.toContainText('TIME_WAIT');
    await expect(why).not.toContainText('ASSURED');
  });
});

test.describe('an ICMP error that cannot be routed is never sent', () => {
  test('pod1a → 192.0.2.1: the router has no route there and none back, so it sends nothing, and no header reads 0.0.0.0', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await page.getByTestId('probe-from').selectOption('pod1a');
    await page.getByTestId('probe-dst').selectOption('other');
    await page.getByTestId('probe-dst-ip').fill('192.0.2.1');
    await page.getByTestId('probe-send').click();
    await app.pause();
    await app.hops().last().click();
    await expect(page.getByTestId('trace-verdict')).toContainText(
      'vpc sends no ICMP error: it has no route back to 172.17.1.2',
    );
    await expect(app.currentHop()).toHaveAttribute('data-action', 'drop');
    for (const hop of await app.hops().all()) {
      await hop.click();
      await expect(page.getByTestId('hop-headers')).not.toContainText('0.0.0.0');
    }
  });
});

test.describe('naive IPAM says each thing once', () => {
  test('each node’s route error is printed once, and React logs no duplicate key', async ({
    page,
  }) => {
    const logged: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') logged.push(m.text());
    });
    const app = new Playground(page);
    await app.openFresh();
    await page.getByTestId('ipam-select').selectOption('naive');
    await app.send('pod1a', 'pod2a');
    await app.pause();
    for (const node of ['node1', 'node2']) {
      const card = app.node(`rf-node-${node}`);
      const text = (await card.textContent()) ?? '';
      expect(text.split('Nexthop has invalid gateway').length - 1, node).toBe(1);
    }
    await app.select('rf-node-node1');
    const panel = (await app.inspector().textContent()) ?? '';
    expect(panel.split('Nexthop has invalid gateway').length - 1).toBeLessThanOrEqual(1);
    expect(logged.filter((t) => t.includes('same key'))).toEqual([]);
    await app.shot('naive-node1');
  });
});

test.describe('the CNI is a choice of its own', () => {
  test('calico-ipip: the route diff says so, pods have no bridge, and the packet crosses in IPIP', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await page.getByTestId('cni-select').selectOption('calico-ipip');
    await expect(page.locator('#mode-diff-h')).toHaveText(
      'CNI changed: flannel-vxlan → calico-ipip',
    );
    await expect(page.getByTestId('mode-diff')).toContainText('dev tunl0 proto bird onlink');
    await app.send('pod1a', 'pod2a');
    await app.pause();
    await app.hops().last().click();
    await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-ok', 'true');
    await page.locator('[data-action="encapsulate"]').first().click();
    const headers = page.getByTestId('hop-headers');
    await expect(headers).toHaveAttribute('data-encapsulated', 'true');
    await expect(headers).toContainText('inner packet (carried in IPIP)');
    await app.shot('calico-ipip-encapsulate');
    // back to flannel: policies are no longer enforced, and the tables are flannel's again
    await page.getByTestId('cni-select').selectOption('flannel-vxlan');
    await expect(page.locator('#mode-diff-h')).toHaveText(
      'CNI changed: calico-ipip → flannel-vxlan',
    );
    expect(await app.state('s.scenario.cluster.networkPolicy')).toBe('none');
  });
});
