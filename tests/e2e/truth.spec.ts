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
