import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { Playground, SHOTS } from './pages/playground';

/**
 * Issue 9, the canvas: a Calico node is drawn as Calico plumbs it — no cni0, each pod on
 * its own cali… veth routed by the node, the tunnel device the mode has (tunl0, vxlan.calico
 * or none), and the node's IPAM block instead of its podCIDR. The veth names are those of
 * the lab's kernel (shared/reference/calico-seed-*.txt).
 */
const CALI = { pod1a: 'calica87c8a6361', pod1b: 'calia89865030a4', pod2a: 'calie40550306ba' };

const veth = (page: Page, pod: string) => page.getByTestId(`rf__edge-edge:veth:${pod}`);

async function useCni(app: Playground, cni: string) {
  await app.page.getByTestId('cni-select').selectOption(cni);
  await expect(app.page.getByTestId('cni-select')).toHaveValue(cni);
}

async function nodeShot(app: Playground, node: string, name: string) {
  await app.settled(`rf-node-${node}`);
  await app.node(`rf-node-${node}`).screenshot({ path: `${SHOTS}/${name}.png` });
}

test.describe('a Calico node on the canvas is plumbed as Calico plumbs it', () => {
  test('calico-ipip: tunl0 with its address, a cali veth per pod, the block, no cni0', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await useCni(app, 'calico-ipip');

    const tunl0 = app.node('rf-ipip-node1');
    await expect(tunl0).toContainText('tunl0');
    await expect(tunl0).toContainText('172.17.1.0/32');
    await expect(tunl0).toContainText('IPIP (IP proto 4)');
    await expect(tunl0).toContainText('outer ttl inherit');
    await expect(app.node('rf-ipip-node2')).toContainText('172.17.2.0/32');
    await expect(app.node('rf-bridge-node1')).toHaveCount(0);
    await expect(app.node('rf-vxlan-node1')).toHaveCount(0);
    await expect(page.getByTestId('rf-node-node1')).not.toContainText('cni0');

    // each pod joined by its own veth, named as the kernel named it
    for (const [pod, name] of Object.entries(CALI)) await expect(veth(page, pod)).toHaveText(name);
    const routing = app.node('rf-routed-node1');
    await expect(routing).toContainText('2 × /32 → cali…');
    await expect(routing).toContainText('proxy-ARP');
    // the node's own block goes to a blackhole (what no pod holds is dropped there)
    await expect(app.node('routed-blackhole-node1')).toHaveText(/^blackhole\s*172\.17\.1\.0\/26$/);

    // Calico's block, not the podCIDR, is what the node routes
    await expect(app.node('node-block-node1')).toHaveText('block 172.17.1.0/26');
    await expect(app.node('node-block-node2')).toHaveText('block 172.17.2.0/26');
    await expect(app.node('rf-node-node1')).not.toContainText('podCIDR');
    await app.shot('calico-ipip-canvas');
    await nodeShot(app, 'node1', 'calico-ipip-node1');

    // a click on tunl0 or on the routing opens their node, as one on flannel.1 or cni0 does
    await tunl0.click();
    await expect(app.node('rf-node-node1')).toHaveAttribute('data-selected', 'true');
    await app.node('rf-routed-node2').click();
    await expect(app.node('rf-node-node2')).toHaveAttribute('data-selected', 'true');

    // across nodes the packet goes into tunl0: it lights up as node1 encapsulates
    await app.send('pod1a', 'pod2a');
    await app.pause();
    const encap = page.locator('[data-testid^="hop-"][data-action="encapsulate"]').first();
    await encap.click();
    await expect(encap).toContainText('node1');
    await expect(tunl0).toHaveAttribute('data-active', 'true');
    await expect(page.getByTestId('rf__edge-edge:tunnel:node1')).toHaveClass(/cv-edge-active/);
  });

  test('calico-bgp: no tunnel device at all, the pods still on their cali veths', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await useCni(app, 'calico-bgp');
    await expect(app.node('rf-routed-node1')).toBeVisible();
    await expect(veth(page, 'pod1a')).toHaveText(CALI.pod1a);
    for (const node of ['node1', 'node2'])
      for (const kind of ['ipip', 'vxlan', 'bridge'])
        await expect(app.node(`rf-${kind}-${node}`)).toHaveCount(0);
    await expect(app.node('node-block-node1')).toHaveText('block 172.17.1.0/26');
    await app.shot('calico-bgp-canvas');
    await nodeShot(app, 'node1', 'calico-bgp-node1');
  });

  test('back to flannel-vxlan: cni0 and flannel.1 return, and the podCIDR', async ({ page }) => {
    const app = new Playground(page);
    await app.openFresh();
    await useCni(app, 'calico-vxlan');
    await expect(app.node('rf-vxlan-node1')).toContainText('vxlan.calico');
    await expect(app.node('rf-vxlan-node1')).toContainText('VXLAN VNI 4096');
    await expect(app.node('rf-vxlan-node1')).toContainText('UDP :4789');
    await useCni(app, 'flannel-vxlan');
    await expect(app.node('rf-bridge-node1')).toContainText('cni0');
    await expect(app.node('rf-bridge-node1')).toContainText('172.17.1.1/24');
    await expect(app.node('rf-vxlan-node1')).toContainText('flannel.1');
    await expect(app.node('rf-routed-node1')).toHaveCount(0);
    await expect(app.node('node-block-node1')).toHaveCount(0);
    await expect(app.node('rf-node-node1')).toContainText('podCIDR 172.17.1.0/24');
    await expect(veth(page, 'pod1a')).toHaveText(/^veth/);
    await nodeShot(app, 'node1', 'flannel-vxlan-node1');
  });
});

test.describe('building by hand under Calico', () => {
  test('a node dragged in gets a block, tunl0 and its routing; a pod dragged into it, a cali veth', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await useCni(app, 'calico-ipip');
    await app.dragFromPalette('node', 'rf-subnet-vpc-subnet');
    await expect(app.node('node-block-node3')).toHaveText('block 172.17.0.0/26');
    await expect(app.node('rf-ipip-node3')).toContainText('172.17.0.0/32');
    await expect(app.node('rf-routed-node3')).toContainText('no pod yet');
    await app.dragFromPalette('pod', 'rf-node-node3');
    await expect(app.podIp('node3-pod1')).toHaveText('172.17.0.1');
    await expect(app.node('rf-routed-node3')).toContainText('1 × /32 → cali…');
    await expect(veth(page, 'node3-pod1')).toHaveText(/^cali[0-9a-f]{11}$/);
    await nodeShot(app, 'node3', 'calico-ipip-added-node3');
  });
});

test.describe('Calico CrossSubnet across a router', () => {
  test('seed-xsubnet under calico-vxlan-crosssubnet: node3 gets its block and vxlan.calico, a ping to it encapsulates', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openFresh();
    await page.getByTestId('example-select').selectOption('seed-xsubnet');
    await expect(app.node('rf-node-node3')).toBeVisible();
    await useCni(app, 'calico-vxlan-crosssubnet');
    await expect(app.node('node-block-node3')).toHaveText('block 172.17.3.0/26');
    for (const node of ['node1', 'node2', 'node3']) {
      await expect(app.node(`rf-vxlan-${node}`)).toContainText('vxlan.calico');
      await expect(app.node(`rf-routed-${node}`)).toBeVisible();
      await expect(app.node(`rf-bridge-${node}`)).toHaveCount(0);
    }
    await expect(veth(page, 'pod3a')).toHaveText(/^cali[0-9a-f]{11}$/);
    await app.shot('calico-vxlan-crosssubnet-xsubnet');

    // to the other subnet node1 encapsulates in vxlan.calico
    await app.send('pod1a', 'pod3a');
    await app.pause();
    const encap = page.locator('[data-testid^="hop-"][data-action="encapsulate"]').first();
    await encap.click();
    await expect(app.node('rf-vxlan-node1')).toHaveAttribute('data-active', 'true');
    await app.shot('calico-vxlan-crosssubnet-encapsulate');
  });
});

for (const scheme of ['light', 'dark'] as const)
  test.describe(`a ping across nodes under calico-vxlan (${scheme})`, () => {
    test.use({ colorScheme: scheme });
    test('lights the cali veth and the routing, then vxlan.calico as it encapsulates', async ({
      page,
    }) => {
      const app = new Playground(page);
      await app.openFresh();
      await useCni(app, 'calico-vxlan');
      await app.send('pod1a', 'pod2a');
      await app.pause();

      // node1 routes the packet from pod1a's cali veth to vxlan.calico
      const forward = app.hops().nth(1);
      await forward.click();
      await expect(forward).toHaveAttribute('aria-current', 'true');
      await expect(forward).toContainText('node1');
      await expect(app.node('rf-routed-node1')).toHaveAttribute('data-active', 'true');
      await expect(veth(page, 'pod1a')).toHaveClass(/cv-edge-active/);
      await expect(app.node('rf-vxlan-node1')).toHaveAttribute('data-active', 'true');
      await expect(app.node('rf-bridge-node1')).toHaveCount(0);

      // vxlan.calico wraps it: the tunnel device and its link to eth0 light up
      const encap = page.locator('[data-testid^="hop-"][data-action="encapsulate"]').first();
      await encap.click();
      await expect(encap).toContainText('node1');
      await expect(app.node('rf-vxlan-node1')).toHaveAttribute('data-active', 'true');
      await expect(app.node('rf-vxlan-node1')).toHaveAttribute('data-device', 'vxlan.calico');
      await expect(page.getByTestId('rf__edge-edge:tunnel:node1')).toHaveClass(/cv-edge-active/);
      await expect(app.node('rf-routed-node1')).toHaveAttribute('data-active', 'false');
      await app.shot(`calico-vxlan-encapsulate-${scheme}`);
      // the routing and tunnel cards read as well as cni0 and flannel.1 do (contrast, names)
      const axe = await new AxeBuilder({ page }).include('[data-testid="canvas"]').analyze();
      expect(
        axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`),
      ).toEqual([]);
      await nodeShot(app, 'node1', `calico-vxlan-encapsulate-node1-${scheme}`);

      // on node2 it is taken out of vxlan.calico and routed to pod2a's cali veth
      const decap = page.locator('[data-testid^="hop-"][data-action="decapsulate"]').first();
      await decap.click();
      await expect(decap).toContainText('node2');
      await expect(app.node('rf-vxlan-node2')).toHaveAttribute('data-active', 'true');
      await app.hops().nth(5).click();
      await expect(app.node('rf-routed-node2')).toHaveAttribute('data-active', 'true');
      await expect(veth(page, 'pod2a')).toHaveClass(/cv-edge-active/);
    });
  });
