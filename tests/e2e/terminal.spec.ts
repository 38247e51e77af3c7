import { expect, test } from '@playwright/test';
import { Playground } from './pages/playground';
import { TerminalPage } from './pages/terminal';

test.describe('a terminal in a pod answers like its kernel', () => {
  test('ip route, ping (played on the canvas) and curl to a Service', async ({ page }) => {
    const app = new Playground(page);
    const term = new TerminalPage(page);
    await app.openFresh();
    await term.openOn('rf-pod-pod1a', 'pod1a');
    await expect(page.getByTestId('terminal')).toBeVisible();

    await term.run('ip route');
    expect(await term.output('ip route')).toEqual([
      'default via 172.17.1.1 dev eth0',
      '172.17.1.0/24 dev eth0 proto kernel scope link src 172.17.1.2',
    ]);

    await term.run('ping -c 1 172.17.2.2');
    const ping = await term.output('ping -c 1 172.17.2.2');
    expect(ping[0]).toBe('PING 172.17.2.2 (172.17.2.2) 56(84) bytes of data.');
    expect(ping[1]).toMatch(/^64 bytes from 172\.17\.2\.2: icmp_seq=1 ttl=62 time=/);
    expect(
      ping.some((l) => l.startsWith('1 packets transmitted, 1 received, 0% packet loss')),
    ).toBe(true);
    // the echo request plays on the canvas, hop by hop
    await expect(app.hops().first()).toBeVisible();
    await expect(page.getByTestId('packet')).toBeVisible();
    expect(await app.state<string>('s.play.from + " > " + s.play.dst')).toBe('pod1a > 172.17.2.2');

    await term.run('curl http://10.96.0.10/');
    expect(await term.output('curl http://10.96.0.10/')).toContain(
      '<title>Directory listing for /</title>',
    );
    await term.run('nc -zv 172.17.2.2 8080');
    expect(await term.output('nc -zv 172.17.2.2 8080')).toEqual([
      'Connection to 172.17.2.2 8080 port [tcp/*] succeeded!',
    ]);
    await app.shot('terminal');
  });
});

test.describe('the line editor behaves like bash', () => {
  test('Tab completes, lists several, Up recalls, arrows edit, Ctrl+C abandons', async ({
    page,
  }) => {
    const app = new Playground(page);
    const term = new TerminalPage(page);
    await app.openFresh();
    await term.openOn('rf-pod-pod1a', 'pod1a');

    // one candidate: completed, with the space after it
    await page.keyboard.type('tracer');
    await page.keyboard.press('Tab');
    await page.keyboard.type('172.17.2.2');
    await expect.poll(() => term.currentLine()).toBe('traceroute 172.17.2.2');
    await page.keyboard.press('Enter');
    const hops = await term.output('traceroute 172.17.2.2');
    expect(hops[0]).toBe('traceroute to 172.17.2.2 (172.17.2.2), 30 hops max, 60 byte packets');
    // the gateway, node2's flannel.1 (its .0 address), then the pod
    expect(hops.slice(1).map((l) => l.split(/\s+/).slice(1, 3).join(' '))).toEqual([
      '1 172.17.1.1',
      '2 172.17.2.0',
      '3 172.17.2.2',
    ]);

    // Up walks back through history, Down returns to the new line
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => term.currentLine()).toBe('traceroute 172.17.2.2');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => term.currentLine()).toBe('');

    // several candidates: listed under the line, then the prompt and the line again
    await page.keyboard.type('c');
    await page.keyboard.press('Tab');
    await expect(term.text()).toContainText(/cat\s+clear\s+conntrack\s+curl/);
    await expect.poll(() => term.currentLine()).toBe('c');
    // the common prefix is completed: "cu" + Tab is curl; addresses complete too
    await page.keyboard.type('u');
    await page.keyboard.press('Tab');
    await page.keyboard.type('http://10.96.0.1');
    await page.keyboard.press('Tab');
    await expect.poll(() => term.currentLine()).toBe('curl http://10.96.0.10/');

    // Ctrl+C abandons the line: ^C and a fresh prompt
    await page.keyboard.press('Control+c');
    await expect(term.text()).toContainText('root@pod1a:/# curl http://10.96.0.10/ ^C');
    await expect.poll(() => term.currentLine()).toBe('');

    // Left/Right, Home/End edit in the middle of the line
    await page.keyboard.type('hostnme');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('a');
    await page.keyboard.press('Home');
    await page.keyboard.type(' ');
    await page.keyboard.press('Control+e');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('e');
    await expect.poll(() => term.currentLine()).toBe(' hostname');
    await page.keyboard.press('Enter');
    expect(await term.output(' hostname')).toEqual(['pod1a']);

    await term.run('foo');
    expect(await term.output('foo')).toEqual(['bash: foo: command not found']);

    // Ctrl+L clears the screen, keeping the prompt
    await page.keyboard.press('Control+l');
    await expect(term.text()).toHaveText('root@pod1a:/#');
    await term.run('clear');
    await expect(term.text()).toHaveText('root@pod1a:/#');
  });

  test('keys typed in the terminal stay in it: no delete, no hop steps, no undo', async ({
    page,
  }) => {
    const app = new Playground(page);
    const term = new TerminalPage(page);
    await app.openFresh();
    await term.openOn('rf-pod-pod1a', 'pod1a');
    await term.run('ping -c 1 172.17.2.2');
    await term.output('ping -c 1 172.17.2.2');
    await app.pause();
    await page.getByTestId('terminal').click();
    const hop = await app.state<number>('s.hop');
    for (const key of ['Delete', 'Backspace', 'Space', 'ArrowRight', 'ArrowLeft', 'Control+z'])
      await page.keyboard.press(key);
    await expect(app.node('rf-pod-pod1a')).toBeVisible();
    expect(await app.state<number>('s.hop')).toBe(hop);
    expect(await app.state<boolean>('s.playing')).toBe(false);
    expect(await app.state<string>('s.selection?.name')).toBe('pod1a');
    // Esc then Tab hands focus back to the page (Tab alone completes: no keyboard trap)
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    await expect(page.locator('.xterm-helper-textarea')).not.toBeFocused();
  });

  test('a line longer than the terminal is wide wraps and still edits', async ({ page }) => {
    const app = new Playground(page);
    const term = new TerminalPage(page);
    await app.openFresh();
    await term.openOn('rf-pod-pod1a', 'pod1a');
    const long = `curl http://10.96.0.10/${'abcdefghij'.repeat(16)}`;
    await page.keyboard.type(long);
    await page.keyboard.press('Home');
    await page.keyboard.type('  ');
    for (let i = 0; i < 120; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.type('X');
    for (let i = 0; i < 20; i++) await page.keyboard.press('Backspace');
    // the cursor went to 122 (two blanks + 120): X and the 19 characters before it are gone
    const edited = `  ${long.slice(0, 101)}${long.slice(120)}`;
    await expect.poll(() => term.currentLine()).toBe(edited);
    await page.keyboard.press('Enter');
    await expect(term.text()).toContainText(`root@pod1a:/# ${edited}\n`);
  });
});

test.describe('a terminal on a node', () => {
  test('shows kube-proxy rules and kubectl; each namespace keeps its history; exit closes', async ({
    page,
  }) => {
    const app = new Playground(page);
    const term = new TerminalPage(page);
    await app.openFresh();
    await term.openOn('rf-pod-pod1a', 'pod1a');
    await term.run('hostname');
    expect(await term.output('hostname')).toEqual(['pod1a']);

    await app.node('rf-node-node1').click({ position: { x: 20, y: 12 } });
    await page.getByTestId('open-terminal').click();
    await expect(page.getByTestId('terminal-title')).toHaveText('root@node1 — terminal');
    await expect(term.text()).toContainText('root@node1:~#');
    await expect(term.text()).not.toContainText('root@pod1a');

    await term.run('iptables -t nat -S');
    const rules = await term.output('iptables -t nat -S');
    expect(rules.some((l) => l.startsWith('-A KUBE-SERVICES -d 10.96.0.10/32'))).toBe(true);
    await term.run('kubectl get pods -o wide');
    const pods = await term.output('kubectl get pods -o wide');
    expect(pods[0]).toMatch(/^NAME\s+READY\s+STATUS/);
    // pod1a runs two containers (the seed's sidecar)
    expect(pods.some((l) => /^pod1a\s+2\/2\s+Running\s.*\s172\.17\.1\.2\s+node1\s/.test(l))).toBe(
      true,
    );
    await app.shot('terminal-node');

    // back in pod1a: its history is still there
    await app.node('rf-pod-pod1a').click();
    await page.getByTestId('open-terminal').click();
    await expect(page.getByTestId('terminal-title')).toHaveText('root@pod1a — terminal');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => term.currentLine()).toBe('hostname');
    await page.keyboard.press('Control+u');

    await term.run('exit');
    await expect(term.dock()).toHaveCount(0);

    // the close button closes it too
    await page.getByTestId('open-terminal').click();
    await expect(term.dock()).toBeVisible();
    await term.close();
    await expect(term.dock()).toHaveCount(0);
  });
});
