import { expect, test } from '@playwright/test';
import { Playground } from './pages/playground';

test.describe('Ctrl+Z undoes the last edit wherever the focus is', () => {
  test('right after an inspector field commits (focus still in it), the old value comes back and stays', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.select('rf-node-node1');
    const ip = await app.commitField('edit-ip', '10.100.0.9');
    await expect(ip).toBeFocused();
    await expect(app.node('rf-node-node1')).toContainText('10.100.0.9');

    await page.keyboard.press('Control+z');
    await expect(ip).toHaveValue('10.100.0.2');
    await expect(app.node('rf-node-node1')).toContainText('10.100.0.2');
    // leaving the field commits nothing: the undone edit is still there to redo
    await page.keyboard.press('Tab');
    await expect(app.node('rf-node-node1')).toContainText('10.100.0.2');
    await expect(page.getByTestId('redo')).toBeEnabled();

    await ip.focus();
    await page.keyboard.press('Control+Shift+z');
    await expect(ip).toHaveValue('10.100.0.9');
    await expect(app.node('rf-node-node1')).toContainText('10.100.0.9');
  });

  test('inside a field holding typed text not yet committed, Ctrl+Z undoes the typing only', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.select('rf-node-node1');
    const ip = await app.commitField('edit-ip', '10.100.0.9');
    await page.keyboard.press('End');
    await page.keyboard.type('9');
    await expect(ip).toHaveValue('10.100.0.99');
    await page.keyboard.press('Control+z');
    await expect(ip).toHaveValue('10.100.0.9');
    // the committed edit was not undone
    await expect(app.node('rf-node-node1')).toContainText('10.100.0.9');
    // now the field holds nothing new: the next Ctrl+Z is the app's
    await page.keyboard.press('Control+z');
    await expect(ip).toHaveValue('10.100.0.2');
    await expect(app.node('rf-node-node1')).toContainText('10.100.0.2');
  });

  test('right after a datapath switch in its select, the packet goes back to VXLAN and the diff shows the way back', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.send('pod1a', 'pod2a');
    await app.pause();
    const encapsulated = page.locator('[data-testid^="hop-"][data-action="encapsulate"]');
    await expect(encapsulated).toHaveCount(2);
    // picked as a person does: the select takes the focus, and keeps it after the change
    await page.getByTestId('datapath-select').focus();
    await app.setDatapath('direct');
    await expect(encapsulated).toHaveCount(0);
    await expect(page.getByTestId('datapath-select')).toBeFocused();

    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('datapath-select')).toHaveValue('overlay');
    await expect(encapsulated).toHaveCount(2);
    const diff = page.getByTestId('mode-diff');
    await expect(diff).toContainText('Datapath changed: direct → overlay');
    await expect(diff.getByTestId('diff-added').first()).toContainText(
      '172.17.2.0/24 via 172.17.2.0 dev flannel.1 onlink',
    );
    await expect(diff.getByTestId('diff-removed').first()).toContainText(
      '172.17.2.0/24 via 10.100.0.3 dev eth0',
    );
    await app.shot('editing-undo-datapath');

    await page.keyboard.press('Control+Shift+z');
    await expect(page.getByTestId('datapath-select')).toHaveValue('direct');
    await expect(diff).toContainText('Datapath changed: overlay → direct');
  });

  test('right after ticking a checkbox, Ctrl+Z unticks it', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.node('rf-subnet-vpc-subnet').click({ position: { x: 20, y: 12 } });
    const box = page.getByTestId('srccheck-toggle');
    await box.check();
    await expect(box).toBeFocused();
    await page.keyboard.press('Control+z');
    await expect(box).not.toBeChecked();
  });
});

test.describe('a rename keeps the packet on screen', () => {
  test('renaming the source pod keeps the verdict; undo gives the old name back to the inspector', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.send('pod1a', 'pod2a');
    await app.pause();
    await app.hops().last().click();
    const verdict = page.getByTestId('trace-verdict');
    await expect(verdict).toContainText('64 bytes from 172.17.2.2');
    const hops = await app.hops().count();

    await app.select('rf-pod-pod1a');
    await app.commitField('edit-name', 'client');
    await expect(app.node('rf-pod-client')).toBeVisible();
    await expect(verdict).toContainText('64 bytes from 172.17.2.2');
    await expect(verdict).not.toContainText('Cannot open');
    await expect(app.hops()).toHaveCount(hops);
    await expect(page.getByTestId('probe-from')).toHaveValue('client');
    await expect(page.getByTestId('trace-stale')).toHaveCount(0);
    await app.shot('editing-rename-source');

    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect(app.node('rf-pod-pod1a')).toBeVisible();
    await expect(app.inspector().locator('.insp-title')).toContainText('pod1a');
    await expect(app.inspector().getByTestId('edit-name')).toHaveValue('pod1a');
    await expect(page.getByTestId('probe-from')).toHaveValue('pod1a');
    await expect(verdict).toContainText('64 bytes from 172.17.2.2');
  });
});

test.describe('the port of a TCP or UDP probe', () => {
  test('an empty or too-large port cannot be sent; the result of the last packet says it is not the form’s', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await app.send('pod1a', 'pod2a', 'tcp');
    await app.pause();
    const port = page.getByTestId('probe-port');
    const send = page.getByTestId('probe-send');
    await expect(page.getByTestId('trace-stale')).toHaveCount(0);

    await port.fill('');
    await expect(port).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('probe-port-error')).toContainText('1 to 65535');
    await expect(send).toBeDisabled();
    await expect(page.getByTestId('trace-stale')).toContainText('pod1a → 172.17.2.2, TCP port 80');

    await port.fill('70000');
    await expect(send).toBeDisabled();
    await port.press('Enter');
    expect(await app.state<number>('s.play.dport')).toBe(80);

    await port.fill('8080');
    await expect(port).toHaveAttribute('aria-invalid', 'false');
    await expect(send).toBeEnabled();
    await send.click();
    await expect(page.getByTestId('trace-stale')).toHaveCount(0);
    expect(await app.state<number>('s.play.dport')).toBe(8080);
    await app.shot('editing-port');
  });
});
