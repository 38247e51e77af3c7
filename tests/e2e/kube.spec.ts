import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { Playground } from './pages/playground';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'kube');

/** Issue 8: a real cluster as kubectl printed it, imported from the toolbar. */
test.describe('Import takes a cluster as kubectl prints it', () => {
  test('kubeadm + flannel (-o json): its nodes and pods are drawn, x/web and y/web are two pods, both answer', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await page.getByTestId('import-json').setInputFiles({
      name: 'kubeadm-flannel.json',
      mimeType: 'application/json',
      buffer: readFileSync(join(FIXTURES, 'kubeadm-flannel.json')),
    });
    await expect(page.getByTestId('notice').last()).toContainText(
      'Opened kubeadm-flannel.json: 3 nodes',
    );
    await expect(page.getByTestId('notice').last()).toContainText('ignored: 1 ConfigMap');
    for (const node of ['cp-1', 'worker-1', 'worker-2'])
      await expect(app.node(`rf-node-${node}`)).toBeVisible();
    await expect(app.node('rf-pod-x/web')).toContainText('x/web');
    await expect(app.node('rf-pod-y/web')).toContainText('y/web');
    await expect(app.podIp('x/web')).toHaveText('10.244.1.2');
    await expect(app.podIp('y/web')).toHaveText('10.244.2.2');
    await app.shot('kube-import-flannel');

    await page.getByTestId('speed').fill('8');
    await app.send('x/web', 'y/web');
    const verdict = page.getByTestId('trace-verdict');
    await expect(verdict).toHaveAttribute('data-ok', 'true', { timeout: 20_000 });
    await expect(verdict).toContainText('64 bytes from 10.244.2.2');
    await app.send('y/web', 'x/web');
    await expect(verdict).toContainText('64 bytes from 10.244.1.2', { timeout: 20_000 });
  });

  test('a managed cluster in -o yaml and plain manifests import too', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    for (const name of ['managed-kubenet.yaml', 'manifests.yaml', 'kubeadm-calico.json']) {
      await page.getByTestId('import-json').setInputFiles({
        name,
        mimeType: name.endsWith('.json') ? 'application/json' : 'application/yaml',
        buffer: readFileSync(join(FIXTURES, name)),
      });
      await expect(page.getByTestId('notice').last()).toContainText(`Opened ${name}:`);
      await expect(page.locator('[data-testid^="rf-node-"]').first()).toBeVisible();
    }
  });
});
