import { expect, test, type Page } from '@playwright/test';
import { Playground } from './pages/playground';
import { TerminalPage } from './pages/terminal';

/**
 * Issue 11 in the browser: a NetworkPolicy pasted as the docs print it, listed and picked,
 * its pods lit; a pod's inspector names the policies isolating it; under flannel the
 * delivery hop says the policy would deny the packet that it lets through; the matrix
 * shows the verdicts, plays a cell, and rings what an edit or a what-if turns.
 */
const DENY_WEB = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-deny-all
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
  - Ingress
`;

async function addPolicy(page: Page, text: string) {
  await page.getByTestId('policy-add').click();
  await page.getByTestId('policy-add-text').fill(text);
  await page.getByTestId('policy-add-submit').click();
  await expect(page.getByTestId('policy-add-dialog')).toBeHidden();
  await expect(page.getByTestId('policy-view')).toBeVisible();
}

test.describe('NetworkPolicy: the objects, the hop and the matrix', () => {
  test('a pasted policy is listed, described as kubectl does, and lights the pods it selects', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await expect(page.getByTestId('policy-list')).toContainText('None');
    await addPolicy(page, DENY_WEB);
    const view = page.getByTestId('policy-view');
    await expect(view).toContainText('default/web-deny-all');
    await expect(page.getByTestId('policy-selects')).toContainText(
      'Selects default/pod1b, default/pod2a',
    );
    await expect(page.getByTestId('policy-describe')).toContainText('PodSelector:     app=web');
    await expect(page.getByTestId('policy-not-enforced').first()).toContainText(
      'flannel stores NetworkPolicies but enforces none',
    );
    await expect(app.node('rf-pod-pod2a')).toHaveAttribute('data-policy-selected', 'true');
    await expect(app.node('rf-pod-pod1a')).not.toHaveAttribute('data-policy-selected', 'true');
    await app.shot('policy-picked');

    // the pod's inspector names the policy isolating it; a click picks it again
    await app.select('rf-pod-pod2a');
    await expect(page.getByTestId('pod-isolated-ingress')).toContainText(
      'Isolated for ingress by default/web-deny-all',
    );
    await expect(page.getByTestId('pod-isolated-egress')).toContainText('Not isolated for egress');
    await page.getByTestId('pod-isolated-ingress').getByRole('button').click();
    await expect(view).toBeVisible();

    // Ctrl+Z takes the policy away again
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('policy-list')).toContainText('None');
  });

  test('an invalid policy is kept and marked in the API server words; fixed, it applies', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await addPolicy(page, DENY_WEB.replace('- Ingress', '- Sideways'));
    await expect(page.getByTestId('policy-refused')).toContainText(
      'The NetworkPolicy "web-deny-all" is invalid: spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
    );
    await app.shot('policy-refused');
    // kept in the cluster's list, marked; a click picks it again to fix it
    await page.keyboard.press('Escape');
    const item = page.getByTestId('policy-item-default/web-deny-all');
    await expect(item).toHaveAttribute('data-refused', 'true');
    await expect(item).toContainText('refused: not applied');
    await item.click();
    const text = page.getByTestId('policy-edit-text');
    await text.fill((await text.inputValue()).replace('Sideways', 'Ingress'));
    await page.getByTestId('policy-apply').click();
    await expect(page.getByTestId('policy-describe')).toContainText('Policy Types: Ingress');
  });

  test('under flannel the delivery hop says the policy would deny what it lets through', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await addPolicy(page, DENY_WEB);
    await page.getByTestId('speed').fill('8');
    await app.send('pod1a', 'pod2a', 'tcp');
    await page.getByTestId('probe-port').fill('8080');
    await page.getByTestId('probe-send').click();
    const verdict = page.getByTestId('trace-verdict');
    await expect(verdict).toHaveAttribute('data-ok', 'true', { timeout: 20_000 });
    await page.locator('[data-testid^="hop-"][data-action="deliver"]').first().click();
    await expect(page.getByTestId('hop-note')).toHaveText(
      'default/web-deny-all would deny this (denied by default: default/pod2a is isolated for ingress by default/web-deny-all, and no rule of it allows default/pod1a on TCP 8080), but flannel implements no NetworkPolicy: delivered',
    );
    await app.shot('policy-hop-note');
  });

  test('the matrix: verdicts per pair, a cell plays its packet, a what-if and an edit ring what they turn', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await addPolicy(page, DENY_WEB);
    await page.keyboard.press('Escape');
    await page.getByTestId('matrix-open').click();
    const matrix = page.getByTestId('matrix');
    await expect(matrix).toContainText('flannel stores NetworkPolicies but enforces none');
    await page.getByTestId('matrix-port').fill('8080');
    await page.getByTestId('matrix-port').press('Enter');
    await expect(page.getByTestId('cell-default/pod1a-default/pod2a')).toHaveAttribute(
      'data-allowed',
      'false',
    );
    await expect(page.getByTestId('cell-default/pod2a-default/pod1a')).toHaveAttribute(
      'data-allowed',
      'true',
    );
    await expect(page.getByTestId('matrix-summary')).toContainText('4 of 9 pairs blocked');

    // arrows move between cells; the detail names the rule; Enter plays the packet
    await page.getByTestId('cell-default/pod1a-default/pod1a').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('cell-default/pod1a-default/pod2a')).toBeFocused();
    await expect(page.getByTestId('matrix-detail')).toContainText(
      'ingress: denied by default: default/pod2a is isolated for ingress by default/web-deny-all',
    );
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('probe-from')).toHaveValue('pod1a');
    await expect(page.getByTestId('probe-dst')).toHaveValue('pod2a');
    await expect(page.getByTestId('probe-port')).toHaveValue('8080');
    await expect(page.getByTestId('trace-verdict')).toHaveAttribute('data-ok', 'true', {
      timeout: 20_000,
    });
    await app.shot('policy-matrix');

    // a what-if: the policy allowing from app=shell, not applied
    await page.getByTestId('matrix-policy-default/web-deny-all').click();
    const allowShell = JSON.stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web-deny-all' },
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'shell' } } }] }],
      },
    });
    await page.getByTestId('policy-edit-text').fill(allowShell);
    await page.getByTestId('policy-whatif').click();
    await expect(page.getByTestId('matrix-changed')).toContainText(
      'The what-if would turn 2 cells',
    );
    await expect(page.getByTestId('cell-default/pod1a-default/pod2a')).toHaveAttribute(
      'data-changed',
      'true',
    );
    await expect(page.getByTestId('cell-default/pod1a-default/pod2a')).toHaveAttribute(
      'data-allowed',
      'false',
    );
    await app.shot('policy-whatif');
    await page.getByTestId('policy-apply').click();
    await expect(page.getByTestId('cell-default/pod1a-default/pod2a')).toHaveAttribute(
      'data-allowed',
      'true',
    );
    await expect(page.getByTestId('matrix-changed')).toContainText(
      '2 cells turned by your last edit',
    );
  });

  test('kubectl get and describe networkpolicy in a node terminal', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await addPolicy(page, DENY_WEB);
    await page.keyboard.press('Escape');
    const term = new TerminalPage(page);
    await term.openOn('rf-node-node1', 'node1');
    await term.run('kubectl get networkpolicy');
    expect(await term.output('kubectl get networkpolicy')).toEqual([
      'NAME           POD-SELECTOR   AGE',
      'web-deny-all   app=web        <unknown>',
    ]);
    await term.run('kubectl describe netpol web-deny-all');
    const described = await term.output('kubectl describe netpol web-deny-all');
    expect(described[0]).toBe('Name:         web-deny-all');
    expect(described).toContain('  Not affecting egress traffic');
  });
});
