import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { Files } from './pages/files';
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

/** What each fixture draws: its nodes, and its pods as namespace/name (hostNetwork pods are not drawn). */
const FIXTURE_CLUSTERS = {
  'kubeadm-flannel.json': {
    nodes: ['cp-1', 'worker-1', 'worker-2'],
    pods: [
      'kube-system/coredns-7db6d8ff4d-x2f2c',
      'kube-system/coredns-7db6d8ff4d-q629m',
      'x/web',
      'y/web',
      'x/client-5f6d8b9c7-bp86p',
      'x/api-6b8d9f7c5d-qc8bb',
    ],
  },
  'kubeadm-calico.json': {
    nodes: ['k8s-cp', 'k8s-w1', 'k8s-w2'],
    pods: [
      'kube-system/calico-kube-controllers-658d97c59c-8m85n',
      'kube-system/coredns-76f75df574-rptpv',
      'kube-system/coredns-76f75df574-6zf9f',
      'shop/frontend-7c9d5f8b6d-585cz',
      'shop/frontend-7c9d5f8b6d-5859z',
      'shop/cart-5d7f9b8c4-jk8fr',
    ],
  },
  'managed-kubenet.yaml': {
    nodes: ['i-0c3f1e9a7b2d45e61', 'i-07d2a4b9e1f3c8a52', 'i-0e8b1c6f2a9d7e343'],
    pods: [
      'kube-system/ebs-csi-node-w6ddw',
      'kube-system/ebs-csi-node-hnzr6',
      'kube-system/ebs-csi-node-mkmv6',
      'kube-system/coredns-6f8d7c9b5-2l6zp',
      'kube-system/coredns-6f8d7c9b5-r9fmp',
      'demo/web-85d6c7b9f4-9cb2j',
      'demo/web-85d6c7b9f4-btrwm',
      'demo/api-9c7b6d5f8-ls5kl',
    ],
  },
} as const;
type FixtureName = keyof typeof FIXTURE_CLUSTERS;

const fixtureText = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** The canvas holds exactly the fixture's nodes and pods, each drawn. */
async function expectDrawn(app: Playground, name: FixtureName) {
  const { nodes, pods } = FIXTURE_CLUSTERS[name];
  for (const node of nodes) await expect(app.node(`rf-node-${node}`)).toBeVisible();
  for (const pod of pods) await expect(app.node(`rf-pod-${pod}`)).toBeVisible();
  await expect(app.page.locator('[data-testid^="rf-node-"]')).toHaveCount(nodes.length);
  await expect(app.page.locator('[data-testid^="rf-pod-"]')).toHaveCount(pods.length);
}

/** YAML aliases nested 12 deep, ten to a level: 10^12 copies if anything expanded them. */
const BILLION_LAUGHS = [
  'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...Array.from(
    { length: 11 },
    (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`,
  ),
].join('\n');

/** Issue 8: the playground takes the same files dropped on the page or pasted into it. */
test.describe('Import by drop and by paste', () => {
  for (const name of Object.keys(FIXTURE_CLUSTERS) as FixtureName[]) {
    test(`${name} dropped on the canvas: the page shows a drop target, then the cluster`, async ({
      page,
    }) => {
      const app = new Playground(page);
      const files = new Files(page);
      await app.openFresh();
      await files.drag(name, fixtureText(name));
      const notice = page.getByTestId('notice').last();
      await expect(notice).toContainText(`Opened ${name}: 3 nodes`);
      await expect(notice.getByTestId('notice-lines').locator('li').first()).toBeVisible();
      await expectDrawn(app, name);
    });

    test(`${name} pasted with Ctrl+V on the page, and into the paste dialog`, async ({ page }) => {
      const app = new Playground(page);
      const files = new Files(page);
      await app.openFresh();
      await files.pasteKeys(fixtureText(name));
      await expect(page.getByTestId('notice').last()).toContainText(
        'Opened the pasted text: 3 nodes',
      );
      await expectDrawn(app, name);

      await page.getByTestId('example-select').selectOption('seed');
      await expect(app.node('rf-pod-pod1a')).toBeVisible();
      const dialog = await files.pasteInDialog(fixtureText(name));
      await expect(dialog).toBeHidden();
      await expectDrawn(app, name);
      // Ctrl+Z gives back the cluster the paste replaced
      await page.keyboard.press('ControlOrMeta+Z');
      await expect(app.node('rf-pod-pod1a')).toBeVisible();
    });
  }

  test('x/a and y/a are two pods: both drawn, both answer a ping from a third pod', async ({
    page,
  }) => {
    const app = new Playground(page);
    const files = new Files(page);
    await app.openFresh();
    await files.drag('same-name.yaml', fixtureText('same-name.yaml'));
    await expect(page.getByTestId('notice').last()).toContainText(
      'Opened same-name.yaml: 2 nodes, 3 pods',
    );
    await expect(app.node('rf-pod-x/a')).toContainText('x/a');
    await expect(app.node('rf-pod-y/a')).toContainText('y/a');
    const [xa, ya] = [await app.podIp('x/a').textContent(), await app.podIp('y/a').textContent()];
    expect(xa).toMatch(/^10\.244\.1\.\d+$/);
    expect(ya).toMatch(/^10\.244\.1\.\d+$/);
    expect(xa).not.toBe(ya);

    await page.getByTestId('speed').fill('8');
    const verdict = page.getByTestId('trace-verdict');
    for (const [pod, ip] of [
      ['x/a', xa],
      ['y/a', ya],
    ] as const) {
      await app.send('client', pod);
      await expect(verdict).toHaveAttribute('data-ok', 'true', { timeout: 20_000 });
      await expect(verdict).toContainText(`64 bytes from ${ip}`);
    }
  });

  test('a text that is not Kubernetes, pasted or dropped, is refused in a notice and the cluster stays', async ({
    page,
  }) => {
    const app = new Playground(page);
    const files = new Files(page);
    await app.openFresh();
    const notice = page.getByTestId('notice').last();

    await files.pasteKeys('kind: Pod\nmetadata: {name: [unclosed\n');
    await expect(notice).toHaveAttribute('data-kind', 'error');
    await expect(notice).toContainText('Pasted text: not valid YAML');
    await files.drag('bomb.yaml', BILLION_LAUGHS);
    await expect(notice).toHaveAttribute('data-kind', 'error');
    await expect(notice).toContainText("bomb.yaml: the YAML's aliases");

    // the paste dialog keeps a refused text, with the reason under it
    const dialog = await files.pasteInDialog('{"apiVersion": "v1", "kind": "List", "items": [}');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('alert')).toContainText('Pasted text: not valid JSON');
    await expect(dialog.getByLabel('Text to import')).toHaveValue(/"kind": "List"/);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('import-paste')).toBeFocused();
    for (const pod of ['pod1a', 'pod1b', 'pod2a'])
      await expect(app.node(`rf-pod-${pod}`)).toBeVisible();
  });
});

test.describe('Export YAML', () => {
  test('downloads podhop-cluster.yaml, whose import gives back the same cluster', async ({
    page,
  }) => {
    const app = new Playground(page);
    const files = new Files(page);
    await app.openFresh();
    await files.drag('kubeadm-flannel.json', fixtureText('kubeadm-flannel.json'));
    await expectDrawn(app, 'kubeadm-flannel.json');
    const before = await app.state<unknown>('s.scenario');

    const file = await files.export('yaml');
    expect(file.name).toBe('podhop-cluster.yaml');
    expect(file.text).toContain('kind: PodhopCluster');
    expect(file.text).toMatch(/^kind: Pod$/m);

    await page.getByTestId('example-select').selectOption('seed');
    await expect(app.node('rf-pod-pod1a')).toBeVisible();
    await page.getByTestId('import-json').setInputFiles({
      name: file.name,
      mimeType: 'application/yaml',
      buffer: Buffer.from(file.text),
    });
    await expect(page.getByTestId('notice').last()).toContainText('Opened podhop-cluster.yaml');
    await expectDrawn(app, 'kubeadm-flannel.json');
    expect(await app.state<unknown>('s.scenario')).toEqual(before);
  });
});
