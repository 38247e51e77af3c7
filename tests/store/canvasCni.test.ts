import { describe, expect, it } from 'vitest';
import {
  CNIS,
  buildNetwork,
  example,
  trace,
  withCni,
  type CniName,
  type ExampleName,
  type Network,
} from '../../src/engine/index';
import { hopFocus } from '../../src/ui/canvas/focus';
import { flowId, layoutCluster } from '../../src/ui/canvas/layout';
import { canvasModel, type CanvasModel } from '../../src/ui/canvas/model';

/**
 * Issue 9, the canvas: what a node card draws comes from the devices and routes the CNI
 * installed, and a played packet lights only what is drawn. Names are the lab kernel's
 * (shared/reference/calico-seed-*.txt).
 */
function drawn(name: ExampleName, cni: CniName): { net: Network; model: CanvasModel } {
  const s = example(name);
  const built = buildNetwork({ ...s, cluster: withCni(s.cluster, cni) });
  if (!built.ok) throw new Error(`${name} under ${cni} does not build`);
  return { net: built.network, model: canvasModel(built.network.scenario, built) };
}
const node = (m: CanvasModel, name: string) => m.nodes.find((n) => n.name === name)!;
const pod = (m: CanvasModel, name: string) => m.pods.find((p) => p.name === name)!;

describe('a node card draws what its CNI installed', () => {
  it('flannel-vxlan: cni0 and flannel.1, the podCIDR, veth… bridge ports', () => {
    const { model } = drawn('seed', 'flannel-vxlan');
    const n = node(model, 'node1');
    expect(n.bridge).toEqual({ name: 'cni0', addr: '172.17.1.1/24' });
    expect(n.tunnel).toEqual({
      name: 'flannel.1',
      addr: '172.17.1.0/32',
      kind: 'vxlan',
      vni: 1,
      port: 8472,
    });
    expect(n.routed).toBeUndefined();
    expect(n.blocks).toEqual([]);
    expect(pod(model, 'pod1a').veth).toMatch(/^veth[0-9a-f]{8}$/);
  });

  it('calico-bgp: no bridge and no tunnel; the pods routed on cali veths; the block', () => {
    const { model } = drawn('seed', 'calico-bgp');
    const n = node(model, 'node1');
    expect(n.bridge).toBeUndefined();
    expect(n.tunnel).toBeUndefined();
    expect(n.routed).toEqual({ podRoutes: 2, proxyArp: true });
    expect(n.blocks).toEqual(['172.17.1.0/26']);
    expect(pod(model, 'pod1a').veth).toBe('calica87c8a6361');
    expect(pod(model, 'pod1b').veth).toBe('calia89865030a4');
    expect(pod(model, 'pod2a').veth).toBe('calie40550306ba');
  });

  it('calico-ipip: tunl0 holding the block’s first address', () => {
    const { model } = drawn('seed', 'calico-ipip');
    expect(node(model, 'node1').tunnel).toEqual({
      name: 'tunl0',
      addr: '172.17.1.0/32',
      kind: 'ipip',
      ttl: 'inherit',
    });
    expect(node(model, 'node2').blocks).toEqual(['172.17.2.0/26']);
  });

  it('calico-vxlan: vxlan.calico, VNI 4096 on UDP 4789', () => {
    const { model } = drawn('seed', 'calico-vxlan');
    expect(node(model, 'node2').tunnel).toEqual({
      name: 'vxlan.calico',
      addr: '172.17.2.0/32',
      kind: 'vxlan',
      vni: 4096,
      port: 4789,
    });
  });

  it('the layout draws the tunnel by its kind and ends the veths on the routing', () => {
    const { model } = drawn('seed', 'calico-ipip');
    const l = layoutCluster(model);
    const ids = new Set(l.nodes.map((n) => n.id));
    expect(ids.has(flowId.ipip('node1'))).toBe(true);
    expect(ids.has(flowId.vxlan('node1'))).toBe(false);
    expect(ids.has(flowId.bridge('node1'))).toBe(false);
    const veth = l.edges.find((e) => e.id === 'edge:veth:pod1a');
    expect(veth).toMatchObject({ target: flowId.routed('node1'), label: 'calica87c8a6361' });
  });
});

describe('a played packet lights only what is drawn, under every CNI', () => {
  const probes: readonly [ExampleName, string, string][] = [
    ['seed', 'pod1a', '172.17.2.2'],
    ['seed', 'pod1a', '172.17.1.3'],
    ['seed-xsubnet', 'pod1a', '172.17.3.2'],
  ];
  it.each(CNIS)('%s', (cni) => {
    for (const [name, from, dst] of probes) {
      const { net, model } = drawn(name, cni);
      const l = layoutCluster(model);
      const known = new Set([...l.nodes.map((n) => n.id), ...l.edges.map((e) => e.id)]);
      const t = trace(net, { protocol: 'icmp', from, dst });
      if (!t.ok) throw new Error(t.error.text);
      t.value.hops.forEach((h, i) => {
        const f = hopFocus(net, t.value.hops, i)!;
        const where = `${name} ${from} → ${dst}, hop ${i + 1} (${h.namespace} ${h.action})`;
        expect(
          [...f.active].filter((id) => !known.has(id)),
          where,
        ).toEqual([]);
        expect(l.anchors.has(f.path.at(-1)!), where).toBe(true);
      });
    }
  });
});
