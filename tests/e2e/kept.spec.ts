import { expect, test } from '@playwright/test';
import { Playground } from './pages/playground';

/**
 * Issue 13, "nothing the user made is lost": an invalid cluster reopens as it
 * was, from the link and from the autosave; typed text survives a reload; only
 * an unreadable link falls back to the seed, and it offers the work back.
 */
test.describe('nothing the user made is lost', () => {
  test('an invalid edit and a rename survive a reload, from the link and from the plain URL', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.select('rf-pod-pod2a');
    await app.commitField('edit-name', 'server');
    await expect(app.node('rf-pod-server')).toBeVisible();
    await app.select('rf-node-node2');
    await app.commitField('edit-ip', '10.100.9.9');
    const problem = 'node IP 10.100.9.9 is not inside its subnet 10.100.0.0/24';
    await expect(app.node('node-errors-node2')).toContainText(problem);

    await page.reload();
    await expect(app.node('rf-pod-server')).toBeVisible();
    await expect(app.node('node-errors-node2')).toContainText(problem);
    await expect(page.getByTestId('notice')).toHaveCount(0);

    // the address without its link: the autosave, invalid as it is, not the seed
    await page.goto('/');
    await expect(app.node('rf-pod-server')).toBeVisible();
    await expect(app.node('node-errors-node2')).toContainText(problem);
    await app.shot('kept-invalid-reopened');
  });

  test('one invalid node leaves the rest of the cluster its tables and its packets', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.select('rf-node-node2');
    await app.commitField('edit-ip', '10.100.9.9');
    await expect(app.node('node-refused-node2')).toHaveText('not created');
    await expect(app.inspector().getByTestId('no-namespace')).toContainText(
      'node2 was not created',
    );
    await app.select('rf-node-node1');
    await expect(app.inspector().getByTestId('table-addr')).toContainText('cni0');
    await app.send('pod1a', 'pod1b');
    await expect(page.getByTestId('trace-verdict')).toContainText('64 bytes from 172.17.1.3');
  });

  test('text typed in a field and not yet committed survives a reload', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.select('rf-pod-pod2a');
    await app.inspector().getByTestId('edit-name').fill('typed-not-entered');
    await page.reload();
    await expect(app.node('rf-pod-typed-not-entered')).toBeVisible();
  });

  test('an unreadable link opens the seed and offers the autosaved cluster back', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.select('rf-pod-pod2a');
    await app.commitField('edit-name', 'mine');
    await expect(app.node('rf-pod-mine')).toBeVisible();
    // a new tab on a link from elsewhere that is broken
    const other = await page.context().newPage();
    const there = new Playground(other);
    await there.open('#v1.this-is-not-lz-string');
    await expect(other.getByTestId('notice')).toContainText('could not be opened');
    await expect(there.node('rf-pod-pod2a')).toBeVisible();
    await other.getByTestId('notice-action').click();
    await expect(there.node('rf-pod-mine')).toBeVisible();
    await expect(other.getByTestId('notice')).toHaveCount(0);
  });
});
