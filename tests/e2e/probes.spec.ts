import { expect, test, type Locator, type Page } from '@playwright/test';
import { Playground } from './pages/playground';

type Kind = 'icmp' | 'traceroute' | 'tcp' | 'udp';

/** The probe panel, filled in as a person does: source, destination (a pod or a typed address), probe, port. */
async function sendProbe(
  page: Page,
  p: { from?: string; to: string; kind: Kind; port?: number; address?: string },
) {
  await page.getByTestId('probe-from').selectOption(p.from ?? 'pod1a');
  await page.getByTestId('probe-dst').selectOption(p.to);
  if (p.address !== undefined) await page.getByTestId('probe-dst-ip').fill(p.address);
  await page.getByTestId('probe-kind').selectOption(p.kind);
  if (p.port !== undefined) await page.getByTestId('probe-port').fill(String(p.port));
  await page.getByTestId('probe-send').click();
}

/** Sends, pauses, and shows the last hop: the verdict is on screen once the packet is there. */
async function sendAndFinish(app: Playground, p: Parameters<typeof sendProbe>[1]) {
  await sendProbe(app.page, p);
  await app.pause();
  await app.hops().last().click();
  await expect(app.page.getByTestId('trace-verdict')).not.toHaveAttribute('data-pending', 'true');
}

/** The traceroute box, line by line. */
async function tracerouteLines(page: Page): Promise<string[]> {
  return ((await page.getByTestId('traceroute-lines').textContent()) ?? '').split('\n');
}

/** A traceroute hop line as Linux prints it with -n: ` 2  172.17.2.0  0.05 ms …` (times optional). */
const hopLine = (ttl: number, ip: string) =>
  new RegExp(`^\\s*${ttl}\\s+${ip.replace(/\./g, '\\.')}(\\s|$)`);

/** The hop counter under the playback buttons: "5 / 16" → 5. */
async function hopShown(page: Page): Promise<number> {
  const text = (await page.locator('.hop-count').textContent()) ?? '';
  return Number(/^(\d+)\s*\//.exec(text.trim())?.[1] ?? NaN);
}

const verdict = (page: Page): Locator => page.getByTestId('trace-verdict');
const playToggle = (page: Page): Locator => page.getByTestId('play-toggle');

test.describe('traceroute from the probe panel', () => {
  test('pod1a → pod2a lists the hops Linux prints: the gateway, node2’s flannel.1, pod2a; in direct mode the middle hop is node2', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await sendProbe(page, { to: 'pod2a', kind: 'traceroute' });
    await app.pause();

    // at the first hop no probe has come back yet: only the header line
    await page.getByTestId('hop-0').click();
    expect(await tracerouteLines(page)).toEqual(['traceroute to 172.17.2.2']);
    await expect(page.getByText('probe with TTL 1')).toBeVisible();

    // at the last hop all three probes have answered, one line each
    await app.hops().last().click();
    await expect(verdict(page)).toHaveAttribute('data-ok', 'true');
    await expect(verdict(page)).toContainText('172.17.2.2');
    await expect(verdict(page)).toContainText('3 hops');
    const overlay = await tracerouteLines(page);
    expect(overlay[0]).toMatch(/^traceroute to 172\.17\.2\.2\b/);
    expect(overlay.slice(1)).toHaveLength(3);
    expect(overlay[1]).toMatch(hopLine(1, '172.17.1.1'));
    expect(overlay[2]).toMatch(hopLine(2, '172.17.2.0'));
    expect(overlay[3]).toMatch(hopLine(3, '172.17.2.2'));
    // the probes that died on the way came back as ICMP time exceeded, from each hop's address
    const list = page.getByRole('list', { name: 'Hops of the packet' });
    await expect(list).toContainText('probe with TTL 3');
    await expect(list).toContainText('ICMP error from 172.17.1.1: Time to live exceeded');
    await expect(list).toContainText('ICMP error from 172.17.2.0: Time to live exceeded');
    await app.shot('traceroute-overlay');

    // host-gw: no VXLAN device on the way, node2 answers from its own address
    await app.setDatapath('direct');
    await app.pause();
    await app.hops().last().click();
    await expect(verdict(page)).toHaveAttribute('data-ok', 'true');
    await expect(verdict(page)).toContainText('3 hops');
    await expect(page.getByRole('list', { name: 'Hops of the packet' })).toContainText(
      'ICMP error from 10.100.0.3: Time to live exceeded',
    );
    const direct = await tracerouteLines(page);
    expect(direct.slice(1)).toHaveLength(3);
    expect(direct[1]).toMatch(hopLine(1, '172.17.1.1'));
    expect(direct[2]).toMatch(hopLine(2, '10.100.0.3'));
    expect(direct[3]).toMatch(hopLine(3, '172.17.2.2'));
    await app.shot('traceroute-direct');
  });
});

test.describe('TCP and UDP to pod2a', () => {
  test('UDP to a port nobody listens on comes back as ICMP port unreachable', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await sendAndFinish(app, { to: 'pod2a', kind: 'udp', port: 9999 });
    await expect(verdict(page)).toHaveAttribute('data-ok', 'false');
    await expect(verdict(page)).toContainText('port 9999 (udp) failed: Connection refused');
    const last = app.currentHop();
    await expect(last).toContainText('Destination Port Unreachable');
    await expect(last).toContainText('ICMP error');
    await expect(page.getByTestId('hop-headers')).toContainText(
      'destination unreachable: port unreachable',
    );
    // the error quotes the datagram it answers
    await expect(page.getByTestId('hop-headers')).toContainText('> 9999');
    await app.shot('udp-port-unreachable');
  });

  test('TCP to 8080, where pod2a’s web container listens, connects', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await sendAndFinish(app, { to: 'pod2a', kind: 'tcp', port: 8080 });
    await expect(verdict(page)).toHaveAttribute('data-ok', 'true');
    await expect(verdict(page)).toContainText(
      'Connection to 172.17.2.2 8080 port [tcp/*] succeeded!',
    );
    // the answer is pod2a's SYN-ACK
    await expect(page.getByTestId('hop-headers')).toContainText('[S.]');
    await expect(page.getByTestId('hop-headers')).toContainText('172.17.2.2 > 172.17.1.2');
  });

  test('TCP to a closed port is refused with a reset', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await sendAndFinish(app, { to: 'pod2a', kind: 'tcp', port: 81 });
    await expect(verdict(page)).toHaveAttribute('data-ok', 'false');
    await expect(verdict(page)).toContainText('port 81 (tcp) failed: Connection refused');
    await expect(page.getByTestId('hop-headers')).toContainText('[R.]');
    await app.shot('tcp-refused');
  });
});

test.describe('a typed destination address', () => {
  test('node2’s address answers; an address nobody owns on pod1a’s own subnet is Destination Host Unreachable', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await sendAndFinish(app, { to: 'other', address: '10.100.0.3', kind: 'icmp' });
    await expect(verdict(page)).toHaveAttribute('data-ok', 'true');
    await expect(verdict(page)).toContainText('64 bytes from 10.100.0.3');

    await sendAndFinish(app, { to: 'other', address: '172.17.1.99', kind: 'icmp' });
    await expect(verdict(page)).toHaveAttribute('data-ok', 'false');
    await expect(verdict(page)).toContainText('Destination Host Unreachable');
    // the packet never left pod1a: nobody answered its ARP request
    const drop = page.locator('[data-testid^="hop-"][data-action="drop"]');
    await expect(drop).toHaveCount(1);
    await drop.click();
    await expect(drop).toContainText('pod1a');
    await expect(page.getByTestId('hop-reason')).toContainText('no ARP reply for 172.17.1.99');
    await expect(page.getByTestId('hop-why')).toContainText('172.17.1.99 dev eth0 FAILED');
    await app.shot('typed-address-host-unreachable');
  });
});

test.describe('playback habits', () => {
  test('the speed slider changes how fast the hop counter advances', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await sendProbe(page, { to: 'pod2a', kind: 'icmp' });
    await app.pause();
    const count = await app.hops().count();
    expect(count).toBeGreaterThan(10);

    /** Hops advanced in the same stretch of time, played from the first hop at a speed. */
    const advancedAt = async (speed: number) => {
      await page.getByTestId('hop-0').click();
      await page.getByTestId('speed').fill(String(speed));
      await expect(page.locator('.speed-value')).toHaveText(`${speed}/s`);
      expect(await hopShown(page)).toBe(1);
      await playToggle(page).click();
      await expect(playToggle(page)).toHaveAttribute('aria-pressed', 'true');
      await page.waitForTimeout(1600);
      const at = await hopShown(page);
      await app.pause();
      return at - 1;
    };
    const slow = await advancedAt(0.5);
    const fast = await advancedAt(4);
    // 0.5 hops a second: at most one step in 1.6 s; 4 a second: six (some slack for a busy machine)
    expect(slow).toBeLessThanOrEqual(1);
    expect(fast).toBeGreaterThanOrEqual(4);

    // arrow keys on the focused slider change the speed, not the hop
    await page.getByTestId('hop-2').click();
    await page.getByTestId('speed').focus();
    await page.keyboard.press('ArrowLeft');
    await expect(page.locator('.speed-value')).toHaveText('3.5/s');
    expect(await hopShown(page)).toBe(3);
  });

  test('Space plays and pauses, → and ← step one hop, Esc clears the selection', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await sendProbe(page, { to: 'pod2a', kind: 'icmp' });
    await app.pause();
    await page.getByTestId('hop-0').click();
    await expect(page.locator('.hop-count')).toHaveText(/^1 \/ \d+$/);

    // → and ←, with the focus on the page
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(app.currentHop()).toHaveAttribute('data-testid', 'hop-2');
    await expect(page.locator('.hop-count')).toHaveText(/^3 \/ \d+$/);
    await expect(verdict(page)).toContainText('hop 3 of');
    await page.keyboard.press('ArrowLeft');
    await expect(app.currentHop()).toHaveAttribute('data-testid', 'hop-1');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(app.currentHop()).toHaveAttribute('data-testid', 'hop-0');

    // Space plays: the counter moves on by itself
    await page.keyboard.press('Space');
    await expect(playToggle(page)).toHaveAttribute('aria-label', 'Pause');
    await expect.poll(() => hopShown(page)).toBeGreaterThan(1);
    // Space again pauses: the counter stands still
    await page.keyboard.press('Space');
    await expect(playToggle(page)).toHaveAttribute('aria-label', 'Play');
    const stopped = await hopShown(page);
    await page.waitForTimeout(1500);
    expect(await hopShown(page)).toBe(stopped);

    // Space with the focus on the Play button (just clicked) pauses too: one toggle, not two
    await playToggle(page).click();
    await expect(playToggle(page)).toHaveAttribute('aria-label', 'Pause');
    await page.keyboard.press('Space');
    await expect(playToggle(page)).toHaveAttribute('aria-label', 'Play');
    const held = await hopShown(page);
    await page.waitForTimeout(1200);
    expect(await hopShown(page)).toBe(held);

    // Esc: a selected pod gives the inspector back to the packet's namespace
    await app.node('rf-pod-pod1b').click({ position: { x: 40, y: 10 } });
    await expect(app.node('rf-pod-pod1b')).toHaveAttribute('data-selected', 'true');
    await expect(page.getByTestId('inspector').locator('.insp-title')).toContainText('pod1b');
    await page.keyboard.press('Escape');
    await expect(app.node('rf-pod-pod1b')).toHaveAttribute('data-selected', 'false');
    await expect(page.getByTestId('inspector')).toContainText('where the packet is now');
    await expect(page.getByTestId('inspector')).not.toContainText('pod1b');
  });

  test('Esc with no packet played brings back the cluster view', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    const inspector = page.getByTestId('inspector');
    await expect(inspector.getByRole('heading', { name: 'Cluster', exact: true })).toBeVisible();
    await app.node('rf-node-node2').click({ position: { x: 40, y: 10 } });
    await expect(inspector.getByRole('heading', { name: 'Cluster', exact: true })).toHaveCount(0);
    await expect(inspector.locator('.insp-title')).toContainText('node2');
    await page.keyboard.press('Escape');
    await expect(inspector.getByRole('heading', { name: 'Cluster', exact: true })).toBeVisible();
    await expect(app.node('rf-node-node2')).toHaveAttribute('data-selected', 'false');
    await app.shot('esc-cluster-view');
  });
});
