import { describe, expect, it } from 'vitest';
import { buildNetwork, example, loadScenarioDocument } from '../../src/engine/index';
import { findHits } from '../../src/ui/find/search';
import { clusterScenario } from '../engine/generate';

function seed() {
  const built = buildNetwork(example('seed'));
  if (!built.ok) throw new Error('seed does not build');
  return { s: built.network.scenario, net: built.network };
}
const names = (r: { hits: readonly { kind: string; name: string }[] }) =>
  r.hits.map((h) => `${h.kind}/${h.name}`);

describe('Find', () => {
  it('finds by name, exact names first', () => {
    const { s, net } = seed();
    expect(names(findHits(s, net, 'pod2a'))).toEqual(['pod/pod2a']);
    expect(names(findHits(s, net, 'node'))).toEqual(['node/node1', 'node/node2']);
    expect(names(findHits(s, net, 'web'))).toEqual(['service/web']);
  });

  it('finds what holds an address, and the podCIDR or subnet it falls in', () => {
    const { s, net } = seed();
    expect(names(findHits(s, net, '172.17.2.2'))).toEqual(['pod/pod2a', 'node/node2']);
    expect(names(findHits(s, net, '10.96.0.10'))).toEqual(['service/web']);
    expect(names(findHits(s, net, '10.100.0.3'))).toEqual(['node/node2', 'subnet/vpc-subnet']);
  });

  it('narrows by label and by namespace, every word at once', () => {
    const doc = JSON.parse(JSON.stringify(example('seed')));
    doc.namespaces = [{ name: 'shop' }];
    doc.pods.push({ ...doc.pods[2], name: 'cart', namespace: 'shop', ip: undefined });
    const loaded = loadScenarioDocument(doc);
    if (!loaded.ok) throw new Error(loaded.error.text);
    const s = loaded.value;
    expect(names(findHits(s, undefined, 'app=web'))).toEqual([
      'pod/pod1b',
      'pod/pod2a',
      'pod/shop/cart',
      'service/web',
    ]);
    expect(names(findHits(s, undefined, 'app=web ns:shop'))).toEqual(['pod/shop/cart']);
    expect(names(findHits(s, undefined, 'cart'))).toEqual(['pod/shop/cart']);
    expect(findHits(s, undefined, 'nothing-like-this').hits).toEqual([]);
  });

  it('caps the hits of a big cluster and says there are more', () => {
    const s = clusterScenario({ nodes: 200, podsPerNode: 30 });
    const r = findHits(s, undefined, 'pod-1', 50);
    expect(r.hits).toHaveLength(50);
    expect(r.more).toBe(true);
    expect(names(findHits(s, undefined, 'pod-199-29'))).toEqual(['pod/pod-199-29']);
  });
});
