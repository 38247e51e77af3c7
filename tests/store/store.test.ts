import { describe, expect, it } from 'vitest';
import { encodeLink, example } from '../../src/engine/index';
import { createAppStore } from '../../src/store/createAppStore';
import { selectModeDiff, selectTrace } from '../../src/store/derived';
import { linkFor, startup } from '../../src/store/persistence';

const seedStore = () => createAppStore(example('seed'));

describe('edits allocate as Kubernetes would, and undo/redo step through them', () => {
  it('a node added to a subnet gets an IP and the next podCIDR; a pod on it gets .2', () => {
    const store = seedStore();
    store.getState().apply({ kind: 'addNode', subnet: 'vpc-subnet', position: { x: 0, y: 0 } });
    const added = store.getState().scenario.nodes.at(-1)!;
    expect(added).toMatchObject({ name: 'node3', ip: '10.100.0.4', podCidr: '172.17.0.0/24' });
    store.getState().apply({ kind: 'addPod', node: 'node3', position: { x: 0, y: 0 } });
    expect(store.getState().scenario.pods.at(-1)).toMatchObject({
      name: 'node3-pod1',
      ip: '172.17.0.2',
      labels: { app: 'node3-pod1' },
    });
  });

  it('undo and redo restore the exact scenarios', () => {
    const store = seedStore();
    const before = store.getState().scenario;
    store.getState().apply({ kind: 'remove', target: { kind: 'pod', name: 'pod1b' } });
    const after = store.getState().scenario;
    store.getState().undo();
    expect(store.getState().scenario).toBe(before);
    store.getState().redo();
    expect(store.getState().scenario).toBe(after);
  });

  it('deleting one pod never renumbers another', () => {
    const store = seedStore();
    store.getState().apply({ kind: 'remove', target: { kind: 'pod', name: 'pod1a' } });
    expect(store.getState().scenario.pods.find((p) => p.name === 'pod1b')?.ip).toBe('172.17.1.3');
    store.getState().apply({ kind: 'addPod', node: 'node1', position: { x: 0, y: 0 } });
    expect(store.getState().scenario.pods.at(-1)?.ip).toBe('172.17.1.4');
  });

  it('keeps an invalid edit (nothing the user typed is lost) and reports it', () => {
    const store = seedStore();
    store
      .getState()
      .apply({ kind: 'updateSubnet', name: 'vpc-subnet', patch: { cidr: '10.100.0.0/33' } });
    expect(store.getState().scenario.subnets[0]?.cidr).toBe('10.100.0.0/33');
  });
});

describe('switching the datapath replays the packet on the new path and shows the route diff', () => {
  it('changes the hops and lists the added and removed route lines', () => {
    const store = seedStore();
    store.getState().setPlay({ from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp' });
    const overlay = selectTrace(store.getState())!.hops.map((h) => h.action);
    store.getState().apply({ kind: 'setCluster', patch: { datapath: 'direct' } });
    expect(store.getState().hop).toBe(0);
    expect(store.getState().playing).toBe(true);
    const direct = selectTrace(store.getState())!.hops.map((h) => h.action);
    expect(direct).not.toEqual(overlay);
    const node1 = selectModeDiff(store.getState())!.find((d) => d.namespace === 'node1')!;
    expect(node1.removed).toEqual(['172.17.2.0/24 via 172.17.2.0 dev flannel.1 onlink ']);
    expect(node1.lines.filter((l) => l.change === 'added').map((l) => l.line)).toEqual([
      '172.17.2.0/24 via 10.100.0.3 dev eth0 ',
    ]);
  });

  it('the IPAM switch lists the pods whose routes changed, not only nodes and routers', () => {
    const store = seedStore();
    store.getState().apply({ kind: 'setCluster', patch: { ipam: 'naive' } });
    const diff = selectModeDiff(store.getState())!;
    const pod = diff.find((d) => d.namespace === 'pod1a');
    expect(pod?.removed).toContain('default via 172.17.1.1 dev eth0 ');
    expect(pod?.lines).toContainEqual({
      line: 'default via 172.17.0.1 dev eth0 ',
      change: 'added',
    });
    expect(diff.map((d) => d.namespace)).toEqual(
      expect.arrayContaining(['vpc', 'node1', 'node2', 'pod1a', 'pod1b', 'pod2a']),
    );
  });
});

describe('opening the page', () => {
  it('opens a link on the same scenario and the same hop', () => {
    const store = seedStore();
    const hash = `#${linkFor(store.getState().scenario, { from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp' }, 3)}`;
    const s = startup(hash, undefined);
    expect(s.scenario).toEqual(store.getState().scenario);
    expect(s.play).toEqual({ from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp', hop: 3 });
    expect(s.notice).toBeUndefined();
  });

  it('opens the seed with a message for a broken, truncated or too-new link', () => {
    const good = encodeLink({ scenario: example('seed') });
    for (const hash of ['#v1.garbage', `#${good.slice(0, 60)}`, '#v7.abc', '#hello']) {
      const s = startup(hash, undefined);
      expect(s.scenario).toEqual(example('seed'));
      expect(s.notice?.kind).toBe('error');
    }
  });

  it('keeps the seed link under 600 characters', () => {
    expect(linkFor(seedStore().getState().scenario, null, 0).length).toBeLessThan(600);
  });
});

describe('lessons take the canvas and give it back', () => {
  it('a lesson step replaces the scenario; closing the lesson restores the learner’s own', () => {
    const store = seedStore();
    store.getState().apply({ kind: 'addNode', subnet: 'vpc-subnet', position: { x: 0, y: 0 } });
    const mine = store.getState().scenario;
    store.getState().openLesson('cross-node', 4);
    expect(store.getState().scenario.nodes.map((n) => n.name)).toEqual(['node1', 'node2', 'node3']);
    expect(store.getState().scenario.routers[0]?.name).toBe('rtr');
    store.getState().openLesson('cross-node', 5);
    store.getState().closeLesson();
    expect(store.getState().lesson).toBeNull();
    expect(store.getState().scenario).toEqual(mine);
  });

  it('undo inside a lesson stops at the step’s start and says how to leave; the lesson stays open', () => {
    const store = seedStore();
    store.getState().openLesson('same-node');
    const step = store.getState().scenario;
    store.getState().apply({ kind: 'rename', target: { kind: 'node', name: 'node1' }, to: 'w1' });
    expect(store.getState().scenario.nodes.map((n) => n.name)).toContain('w1');
    store.getState().undo();
    expect(store.getState().scenario).toEqual(step);
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().lesson?.id).toBe('same-node');
    expect(store.getState().scenario).toEqual(step);
    const texts = store.getState().notices.map((n) => n.text);
    expect(texts).toEqual([
      'Undo stays inside the lesson: this is how the step began. Close the lesson to get your own cluster back.',
    ]);
  });

  it('an unknown lesson says which lessons exist', () => {
    const store = seedStore();
    store.getState().openLesson('nope');
    expect(store.getState().notices.at(-1)?.text).toBe(
      'There is no lesson "nope": the lessons are containers, same-node, cross-node.',
    );
  });

  it('the route diff of a mode switch goes away with the next unrelated edit', () => {
    const store = seedStore();
    store.getState().apply({ kind: 'setCluster', patch: { datapath: 'direct' } });
    expect(store.getState().modeBase).not.toBeNull();
    store
      .getState()
      .apply({ kind: 'updateSubnet', name: 'vpc-subnet', patch: { srcDstCheck: true } });
    expect(store.getState().modeBase).toBeNull();
  });
});

describe('a packet sent to a picked pod follows that pod', () => {
  it('switched to naive IPAM, the replay goes to pod2a’s new address, which is pod1a’s own', () => {
    const store = seedStore();
    store.getState().setPlay({ from: 'pod1a', dst: '172.17.2.2', to: 'pod2a', protocol: 'icmp' });
    expect(selectTrace(store.getState())?.verdict.text).toContain('64 bytes from 172.17.2.2');
    store.getState().apply({ kind: 'setCluster', patch: { ipam: 'naive' } });
    const t = selectTrace(store.getState())!;
    // naive IPAM gives pod2a 172.17.0.2 on node2 and pod1a the same on node1:
    // the echo request never leaves pod1a, which answers itself over lo
    expect(t.request.dst).toBe('172.17.0.2');
    expect(t.hops.map((h) => h.namespace)).toEqual(['pod1a', 'pod1a']);
    expect(t.verdict.text).toContain('64 bytes from 172.17.0.2');
    // ping is happy, but the network did not do what was asked: a warning, never a plain OK
    expect(t.warning).toBe('answered by pod1a itself — not pod2a');
  });

  it('an answer from the picked pod, or from a Service’s endpoint, carries no warning', () => {
    const store = seedStore();
    store.getState().setPlay({ from: 'pod1a', dst: '172.17.2.2', to: 'pod2a', protocol: 'icmp' });
    expect(selectTrace(store.getState())?.warning).toBeUndefined();
    const svc = selectTrace({
      ...store.getState(),
      play: { from: 'pod1a', dst: '10.96.0.10', to: 'service/web', protocol: 'tcp', dport: 80 },
    });
    expect(svc?.verdict.ok).toBe(true);
    expect(svc?.warning).toBeUndefined();
  });

  it('a typed address stays the address; a rename of the picked pod is followed', () => {
    const store = seedStore();
    store.getState().setPlay({ from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp' });
    store.getState().apply({ kind: 'setCluster', patch: { ipam: 'naive' } });
    expect(selectTrace(store.getState())?.request.dst).toBe('172.17.2.2');

    const other = seedStore();
    other.getState().setPlay({ from: 'pod1a', dst: '172.17.2.2', to: 'pod2a', protocol: 'icmp' });
    other
      .getState()
      .apply({ kind: 'rename', target: { kind: 'pod', name: 'pod2a' }, to: 'server' });
    expect(other.getState().play?.to).toBe('server');
    expect(selectTrace(other.getState())?.verdict.text).toContain('64 bytes from 172.17.2.2');
  });
});
