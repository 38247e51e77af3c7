import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { example, isKubernetesText, scenarioToJson } from '../../src/engine/index';
import { createAppStore } from '../../src/store/createAppStore';
import { importFile, importText, scenarioYaml } from '../../src/store/files';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'kube');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const podIds = (s: { pods: readonly { name: string; namespace?: string }[] }) =>
  s.pods.map((p) => `${p.namespace ?? 'default'}/${p.name}`);

describe('pasted text has no file name: what does not open like JSON is YAML', () => {
  it('kubectl -o yaml, manifests and -o json are Kubernetes; a podhop scenario is not', () => {
    expect(isKubernetesText(fixture('managed-kubenet.yaml'))).toBe(true);
    expect(isKubernetesText(fixture('same-name.yaml'))).toBe(true);
    expect(isKubernetesText(fixture('kubeadm-flannel.json'))).toBe(true);
    expect(isKubernetesText(`\n  ${scenarioToJson(example('seed'))}`)).toBe(false);
  });
});

describe('a paste imports as a file does, and says how to undo it', () => {
  it('kubectl YAML: the cluster replaces the one on screen, its notes one line each', async () => {
    const store = createAppStore(example('seed'));
    const notice = await importText(store, fixture('same-name.yaml'), { kind: 'paste' });
    expect(notice.kind).toBe('info');
    expect(notice.text).toBe('Opened the pasted text: 2 nodes, 3 pods, 0 Services');
    expect(notice.lines).toContain(
      'CNI: nothing in the objects says which CNI runs (no flannel or Calico annotations, no kube-system pods to look among): datapath overlay assumed',
    );
    expect(notice.lines?.at(-1)).toBe('Ctrl+Z gives back the cluster you had');
    expect(store.getState().notices.at(-1)).toEqual(notice);
    expect(podIds(store.getState().scenario)).toEqual(['x/a', 'y/a', 'default/client']);
    store.getState().undo();
    expect(store.getState().scenario.pods.map((p) => p.name)).toEqual(['pod1a', 'pod1b', 'pod2a']);
  });

  it('a podhop scenario pasted opens as it is', async () => {
    const store = createAppStore(example('seed'));
    const notice = await importText(store, scenarioToJson(example('xsubnet')), { kind: 'paste' });
    expect(notice).toEqual({
      kind: 'info',
      text: 'Opened the pasted text',
      lines: ['Ctrl+Z gives back the cluster you had'],
    });
    expect(store.getState().scenario.nodes.map((n) => n.name)).toEqual(['node1', 'node2', 'node3']);
  });

  it('the ignored kinds are one line, and a file says no word about undo', async () => {
    const store = createAppStore(example('seed'));
    const notice = await importFile(store, fixture('manifests.yaml'), 'manifests.yaml');
    expect(notice.text).toBe('Opened manifests.yaml: 2 nodes, 3 pods, 1 Service');
    expect(notice.lines?.[0]).toBe('ignored: 1 ConfigMap, 1 Deployment');
    expect(notice.lines).not.toContain('Ctrl+Z gives back the cluster you had');
  });
});

describe('a refused text is said, and nothing on screen changes', () => {
  const refused: [string, string, string][] = [
    ['empty', '  \n', 'Pasted text: there is nothing to import (empty)'],
    ['not YAML', 'kind: Pod\nmetadata: {name: [x\n', 'Pasted text: not valid YAML (line 3'],
    ['no nodes', 'apiVersion: v1\nkind: ConfigMap\n', 'Pasted text: nothing to import'],
    ['a broken scenario', '{"version": 2, "nodes": [}', 'Pasted text: '],
  ];
  for (const [what, text, said] of refused)
    it(what, async () => {
      const store = createAppStore(example('seed'));
      const before = store.getState().scenario;
      const notice = await importText(store, text, { kind: 'paste' });
      expect(notice.kind).toBe('error');
      expect(notice.text.startsWith(said)).toBe(true);
      expect(store.getState().scenario).toBe(before);
      expect(store.getState().past).toEqual([]);
    });
});

describe('Export YAML gives back the cluster on import', () => {
  it('the flannel fixture: same scenario after YAML out and in', async () => {
    const store = createAppStore(example('seed'));
    await importFile(store, fixture('kubeadm-flannel.json'), 'kubeadm-flannel.json');
    const before = store.getState().scenario;
    const yaml = await scenarioYaml(before);
    expect(yaml).toContain('kind: PodhopCluster');
    await importFile(store, yaml, 'podhop-cluster.yaml');
    expect(store.getState().scenario).toEqual(before);
  });
});
