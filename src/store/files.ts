/**
 * Files in and out: a scenario or a cluster as kubectl printed it, picked, dropped or pasted,
 * all through one path; the scenario out as JSON or as Kubernetes manifests. The Kubernetes
 * reader and writer (and their YAML parser) load only when asked for, so the first paint
 * never pays for them.
 */
import {
  buildNetwork,
  buildProblems,
  isKubernetesText,
  loadScenarioDocument,
  parseScenarioJson,
  type Scenario,
} from '../engine/index';
import type { AppStore } from './createAppStore';
import type { Notice } from './state';

/** Where an import's text came from: a file by its name, or the clipboard. */
export type ImportSource =
  { readonly kind: 'file'; readonly name: string } | { readonly kind: 'paste' };

const sourceLabel = (src: ImportSource): string =>
  src.kind === 'file' ? src.name : 'the pasted text';

/** "1 pod" / "6 pods" */
const count = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** A pasted cluster replaces the one on screen at a keystroke: say how to get it back. */
const UNDO_LINE = 'Ctrl+Z gives back the cluster you had';

/** Posts the notice and hands it back, so a dialog can say it too. */
function say(store: AppStore, notice: Notice): Notice {
  store.getState().notify(notice);
  return notice;
}

const refuse = (store: AppStore, src: ImportSource, text: string): Notice =>
  say(store, {
    kind: 'error',
    text: `${src.kind === 'file' ? src.name : 'Pasted text'}: ${text}`,
  });

/** A podhop scenario: load pipeline → build check → replace, or the loader's own words. */
function importScenario(store: AppStore, text: string, src: ImportSource): Notice {
  const st = store.getState();
  const r = parseScenarioJson(text);
  if (!r.ok) return refuse(store, src, r.error.text);
  st.replace(r.value);
  st.frameImported();
  // a file with problems opens as it is: they show on the objects, to be fixed there
  const problems = buildProblems(buildNetwork(r.value)).length;
  const opened = `Opened ${sourceLabel(src)}`;
  return say(store, {
    kind: 'info',
    text:
      problems === 0
        ? opened
        : `${opened}: ${count(problems, 'problem')} to fix, shown on the objects`,
    ...(src.kind === 'paste' ? { lines: [UNDO_LINE] } : {}),
  });
}

/**
 * Text to import: a podhop scenario, or a cluster as kubectl printed it (`kubectl get … -o
 * json|yaml`, manifests). Whatever is refused (not YAML, a hostile file) is said in a notice
 * and leaves the cluster on screen as it was. Resolves to the notice it posted.
 */
export async function importText(
  store: AppStore,
  text: string,
  src: ImportSource,
): Promise<Notice> {
  if (text.trim() === '') return refuse(store, src, 'there is nothing to import (empty)');
  if (!isKubernetesText(text, src.kind === 'file' ? src.name : undefined))
    return importScenario(store, text, src);
  let kube: typeof import('../engine/kube/index');
  try {
    kube = await import('../engine/kube/index');
  } catch (e) {
    return refuse(store, src, `the Kubernetes reader did not load (${(e as Error).message})`);
  }
  const r = kube.scenarioFromKubeText(text);
  if (!r.ok) return refuse(store, src, r.error.text);
  const loaded = loadScenarioDocument(r.value.document);
  if (!loaded.ok) return refuse(store, src, loaded.error.text);
  const st = store.getState();
  st.replace(loaded.value);
  st.frameImported();
  const doc = r.value.document;
  const policies = doc.networkPolicies.length;
  const imported = [
    count(doc.nodes.length, 'node'),
    count(doc.pods.length, 'pod'),
    count(doc.services.length, 'Service'),
    ...(policies > 0 ? [count(policies, 'NetworkPolicy', 'NetworkPolicies')] : []),
  ];
  return say(store, {
    kind: 'info',
    text: `Opened ${sourceLabel(src)}: ${imported.join(', ')}`,
    lines: [...r.value.notes, ...(src.kind === 'paste' ? [UNDO_LINE] : [])],
  });
}

/** A file the user picked or dropped. */
export const importFile = (store: AppStore, text: string, fileName: string): Promise<Notice> =>
  importText(store, text, { kind: 'file', name: fileName });

/**
 * The scenario as Kubernetes manifests (Namespaces, Pods, Services, NetworkPolicies and one
 * PodhopCluster document), as `podhop export --yaml` prints it.
 */
export async function scenarioYaml(scenario: Scenario): Promise<string> {
  const kube = await import('../engine/kube/index');
  return kube.scenarioToKubeYaml(scenario);
}
