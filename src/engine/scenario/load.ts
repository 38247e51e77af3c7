import * as v from 'valibot';
import { err, ok, type Result } from '../result';
import { visible } from '../quote';
import { ScenarioSchema, SCENARIO_VERSION } from './schema';
import type { Scenario } from './types';
import { DATAPATH_OF, isCalico } from './cni';

/**
 * Loading a scenario from a file or a link is a pipeline with typed results
 * (like tldraw's .tldr loader): decode → envelope → refuse a newer version →
 * migrate step by step → check shape and fill defaults (schema.ts). Semantic checks
 * (CIDRs, names) are validateScenario's job; nothing here throws.
 */
export type LoadError =
  | { readonly kind: 'badJson'; readonly text: string }
  | { readonly kind: 'notAScenario'; readonly text: string }
  | { readonly kind: 'tooNew'; readonly text: string }
  | { readonly kind: 'badShape'; readonly text: string }
  | { readonly kind: 'tooLarge'; readonly text: string };

export { LOAD_LIMITS } from './schema';

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Version n → n+1. Index 0 migrates version 0 (the unversioned draft) to 1. */
const MIGRATIONS: ReadonlyArray<(doc: Record<string, Json>) => Record<string, Json>> = [
  // v0 had `nodeCidrMaskSize` as `nodeMaskSize` and no version field
  (doc) => {
    const cluster = isObj(doc['cluster']) ? { ...doc['cluster'] } : {};
    if ('nodeMaskSize' in cluster && !('nodeCidrMaskSize' in cluster)) {
      cluster['nodeCidrMaskSize'] = cluster['nodeMaskSize'];
      delete cluster['nodeMaskSize'];
    }
    return { ...doc, cluster, version: 1 };
  },
  // v1 had no Kubernetes namespaces: every pod was in `default`, which v2 leaves implicit too
  (doc) => ({ ...doc, version: 2 }),
];

export function migrate(doc: Record<string, Json>): Result<Record<string, Json>, LoadError> {
  let version = doc['version'] === undefined ? 0 : doc['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return err({
      kind: 'notAScenario',
      text: `unknown scenario version ${JSON.stringify(version)}`,
    });
  }
  if (version > SCENARIO_VERSION) {
    return err({
      kind: 'tooNew',
      text: `this scenario was saved by a newer podhop (format version ${version}; this one reads up to ${SCENARIO_VERSION})`,
    });
  }
  let current = doc;
  while (version < SCENARIO_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) return err({ kind: 'notAScenario', text: `no migration from version ${version}` });
    current = step(current);
    version += 1;
  }
  return ok(current);
}

/** `pods[3].containers[0].name` from an issue's path. */
function where(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key?: unknown }).key;
    out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** The first thing wrong, where it is: a missing field in the API server's words. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const missing = issue.kind === 'schema' && issue.type === 'object' && issue.input === undefined;
  const at = where(issue);
  const what = missing ? 'Required value' : issue.message;
  return at ? `${at}: ${what}` : what;
}

/** From already-parsed JSON (a link decoder hands its object here too). */
export function loadScenarioDocument(doc: Json): Result<Scenario, LoadError> {
  if (!isObj(doc))
    return err({ kind: 'notAScenario', text: 'not a podhop scenario: expected a JSON object' });
  const migrated = migrate(doc);
  if (!migrated.ok) return migrated;
  // abortEarly: the first problem is the one said, and a hostile list stops being read there
  const parsed = v.safeParse(ScenarioSchema, migrated.value, { abortEarly: true });
  if (parsed.success) return ok(cniImplies(migrated.value, parsed.output));
  const first = parsed.issues[0];
  return err({
    kind: 'badShape',
    text: `not a podhop scenario: ${visible(first ? describeIssue(first) : 'not readable')}`,
  });
}

/**
 * A `cluster.cni` written without a `datapath` (or a `networkPolicy`) brings its own: the
 * schema's defaults (overlay, none) must not turn calico-bgp into calico-ipip (scenario/cni.ts)
 * or leave a Calico cluster without felix. What was written stays as written.
 */
function cniImplies(doc: Record<string, Json>, s: Scenario): Scenario {
  const raw = isObj(doc['cluster']) ? doc['cluster'] : {};
  const cni = s.cluster.cni;
  if (cni === undefined) return s;
  const datapath = 'datapath' in raw ? {} : { datapath: DATAPATH_OF[cni] };
  const policy =
    'networkPolicy' in raw || !isCalico(cni) ? {} : { networkPolicy: 'felix' as const };
  if (!('datapath' in datapath) && !('networkPolicy' in policy)) return s;
  return { ...s, cluster: { ...s.cluster, ...datapath, ...policy } };
}

export function parseScenarioJson(text: string): Result<Scenario, LoadError> {
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return err({ kind: 'badJson', text: `not valid JSON: ${(e as Error).message}` });
  }
  return loadScenarioDocument(doc);
}

/** Stable JSON: what `export` prints and what a file holds. */
export function scenarioToJson(s: Scenario): string {
  return JSON.stringify(s, null, 2);
}
