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
