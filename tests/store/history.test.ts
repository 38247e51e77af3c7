import { describe, expect, it } from 'vitest';
import { example } from '../../src/engine/index';
import { createAppStore } from '../../src/store/createAppStore';
import { selectModeDiff, selectTrace } from '../../src/store/derived';

const seedStore = () => createAppStore(example('seed'));
const ping = { from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp' as const };
const rename = (name: string, to: string) =>
  ({ kind: 'rename', target: { kind: 'pod', name }, to }) as const;

describe('a rename keeps the packet, the terminal and the selection on the renamed object', () => {
  it('the packet sent from a renamed pod is sent from its new name, with the same verdict', () => {
    const store = seedStore();
    store.getState().setPlay(ping);
    const verdict = selectTrace(store.getState())!.verdict;
    expect(verdict.ok).toBe(true);
    store.getState().apply(rename('pod1a', 'client'));
    expect(store.getState().play).toEqual({ ...ping, from: 'client' });
    expect(selectTrace(store.getState())!.verdict).toEqual(verdict);
  });

  it('undo gives the old name back to the selection, the terminal and the packet; redo the new one', () => {
    const store = seedStore();
    store.getState().setPlay(ping);
    store.getState().select({ kind: 'pod', name: 'pod1a' });
    store.getState().openTerminal('pod1a');
    store.getState().apply(rename('pod1a', 'client'));
    expect(store.getState().selection).toEqual({ kind: 'pod', name: 'client' });
    expect(store.getState().terminal).toBe('client');

    store.getState().undo();
    expect(store.getState().selection).toEqual({ kind: 'pod', name: 'pod1a' });
    expect(store.getState().terminal).toBe('pod1a');
    expect(store.getState().play?.from).toBe('pod1a');
    expect(selectTrace(store.getState())!.verdict.ok).toBe(true);

    store.getState().redo();
    expect(store.getState().selection).toEqual({ kind: 'pod', name: 'client' });
    expect(store.getState().play?.from).toBe('client');
  });

  it('a chain of renames in one step unwinds in order', () => {
    const store = seedStore();
    store.getState().select({ kind: 'pod', name: 'pod1a' });
    store.getState().applyAll([rename('pod1a', 'a'), rename('a', 'b')]);
    expect(store.getState().selection?.name).toBe('b');
    store.getState().undo();
    expect(store.getState().selection?.name).toBe('pod1a');
  });

  it('renaming another object leaves the packet alone', () => {
    const store = seedStore();
    store.getState().setPlay(ping);
    const play = store.getState().play;
    store.getState().apply(rename('pod1b', 'other'));
    expect(store.getState().play).toBe(play);
  });
});

describe('undo and redo of a datapath or IPAM switch show the route diff of the step', () => {
  it('undo shows the reverse diff and replays the packet; redo the forward one', () => {
    const store = seedStore();
    store.getState().setPlay(ping);
    store.getState().setHop(4);
    store.getState().apply({ kind: 'setCluster', patch: { datapath: 'direct' } });
    const node1 = () => selectModeDiff(store.getState())!.find((d) => d.namespace === 'node1')!;
    const added = () =>
      node1()
        .lines.filter((l) => l.change === 'added')
        .map((l) => l.line);
    expect(node1().removed).toEqual(['172.17.2.0/24 via 172.17.2.0 dev flannel.1 onlink ']);

    store.getState().setHop(3);
    store.getState().undo();
    expect(store.getState().scenario.cluster.datapath).toBe('overlay');
    expect(store.getState().modeBase?.cluster.datapath).toBe('direct');
    expect(node1().removed).toEqual(['172.17.2.0/24 via 10.100.0.3 dev eth0 ']);
    expect(added()).toEqual(['172.17.2.0/24 via 172.17.2.0 dev flannel.1 onlink ']);
    expect(store.getState().hop).toBe(0);
    expect(store.getState().playing).toBe(true);

    store.getState().redo();
    expect(store.getState().modeBase?.cluster.datapath).toBe('overlay');
    expect(added()).toEqual(['172.17.2.0/24 via 10.100.0.3 dev eth0 ']);
  });

  it('undoing an unrelated edit closes the diff', () => {
    const store = seedStore();
    store.getState().apply({ kind: 'setCluster', patch: { datapath: 'direct' } });
    store
      .getState()
      .apply({ kind: 'move', target: { kind: 'pod', name: 'pod1a' }, position: { x: 5, y: 5 } });
    store.getState().undo();
    expect(store.getState().modeBase).toBeNull();
  });
});

describe('the hop stays within the packet’s hops', () => {
  it('a hop past the end (from a link) opens on the last hop, and ← steps back from it', () => {
    const store = seedStore();
    store.getState().setPlay(ping, 99999);
    const last = selectTrace(store.getState())!.hops.length - 1;
    expect(store.getState().hop).toBe(last);
    expect(store.getState().playing).toBe(false);
    store.getState().step(-1);
    expect(store.getState().hop).toBe(last - 1);
    store.getState().setHop(1e9);
    expect(store.getState().hop).toBe(last);
  });
});

describe('a pod renamed in its namespace', () => {
  it('keeps the selection on it: x/web renamed to api is x/api, and undo brings x/web back', () => {
    const seed = example('seed');
    const web = {
      ...seed.pods[0]!,
      name: 'web' as (typeof seed.pods)[number]['name'],
      namespace: 'x',
    };
    const store = createAppStore({
      ...seed,
      namespaces: [{ name: 'x', labels: { 'kubernetes.io/metadata.name': 'x' } }],
      pods: [...seed.pods, { ...web, ip: undefined }],
    });
    store.getState().select({ kind: 'pod', name: 'x/web' });
    store.getState().apply({ kind: 'rename', target: { kind: 'pod', name: 'x/web' }, to: 'api' });
    expect(store.getState().selection).toEqual({ kind: 'pod', name: 'x/api' });
    expect(store.getState().scenario.pods.at(-1)).toMatchObject({ name: 'api', namespace: 'x' });
    store.getState().undo();
    expect(store.getState().selection).toEqual({ kind: 'pod', name: 'x/web' });
  });
});
