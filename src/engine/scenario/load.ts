import { DEFAULT_CLUSTER } from './defaults';
import { DEFAULT_NAMESPACE } from './ids';
import { err, ok, type Result } from '../result';
import { visible } from '../quote';
import { DATAPATHS, IPAM_MODES, SCENARIO_VERSION, type Scenario } from './types';

/**
 * Loading a scenario from a file or a link is a pipeline with typed results
 * (like tldraw's .tldr loader): decode → envelope → refuse a newer version →
 * migrate step by step → check shape → fill defaults. Semantic checks
 * (CIDRs, names) are validateScenario's job; nothing here throws.
 */
export type LoadError =
  | { readonly kind: 'badJson'; readonly text: string }
  | { readonly kind: 'notAScenario'; readonly text: string }
  | { readonly kind: 'tooNew'; readonly text: string }
  | { readonly kind: 'badShape'; readonly text: string }
  | { readonly kind: 'tooLarge'; readonly text: string };

/** Limits that keep a hostile file or link from freezing the page. */
export const LOAD_LIMITS = {
  subnets: 256,
  routers: 256,
  /**
   * Router–subnet joins over all routers: each is an interface with its own routes and
   * neighbours, so 256 routers on 256 subnets (65,536) take seconds to build
   */
  routerJoins: 4_096,
  nodes: 10_000,
  pods: 500_000,
  services: 10_000,
  namespaces: 10_000,
  networkPolicies: 10_000,
  containers: 32,
  nameLength: 253,
  /** |x| and |y| of a position: farther out the canvas cannot fit the view (or stretches a frame) */
  coordinate: 1_000_000,
} as const;

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

class ShapeError extends Error {}

function str(v: Json, where: string, optional = false): string | undefined {
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw new ShapeError(`${where}: expected a string`);
  if (v.length > LOAD_LIMITS.nameLength)
    throw new ShapeError(`${where}: longer than ${LOAD_LIMITS.nameLength} characters`);
  return v;
}
function num(v: Json, where: string, optional = false): number | undefined {
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ShapeError(`${where}: expected a number`);
  return v;
}
function bool(v: Json, where: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ShapeError(`${where}: expected true or false`);
  return v;
}
function list(v: Json, where: string, max: number): Json[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ShapeError(`${where}: expected a list`);
  if (v.length > max)
    throw new ShapeError(`${where}: ${v.length} entries is more than podhop opens (${max})`);
  return v;
}
function obj(v: Json, where: string): Record<string, Json> {
  if (!isObj(v)) throw new ShapeError(`${where}: expected an object`);
  return v;
}
function coordinate(v: Json, where: string): number {
  const n = num(v, where)!;
  if (Math.abs(n) > LOAD_LIMITS.coordinate)
    throw new ShapeError(
      `${where}: ${n} is off the canvas (podhop places objects within ±${LOAD_LIMITS.coordinate})`,
    );
  return n;
}
function position(v: Json, where: string) {
  if (v === undefined) return {};
  const o = obj(v, where);
  return { position: { x: coordinate(o['x'], `${where}.x`), y: coordinate(o['y'], `${where}.y`) } };
}
function labels(v: Json, where: string): Record<string, string> {
  if (v === undefined) return {};
  const o = obj(v, where);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(o)) out[str(k, where)!] = str(val, `${where}.${k}`)!;
  return out;
}
const opt = <K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } =>
  v === undefined ? {} : ({ [k]: v } as { [P in K]: V });

/** Copies only known fields, so nothing a file carried beyond the format survives. */
function shape(doc: Record<string, Json>): Scenario {
  const c = doc['cluster'] === undefined ? {} : obj(doc['cluster'], 'cluster');
  const datapath = str(c['datapath'], 'cluster.datapath', true) ?? DEFAULT_CLUSTER.datapath;
  const ipam = str(c['ipam'], 'cluster.ipam', true) ?? DEFAULT_CLUSTER.ipam;
  if (!(DATAPATHS as readonly string[]).includes(datapath))
    throw new ShapeError(`cluster.datapath: "${datapath}" is not one of ${DATAPATHS.join(', ')}`);
  if (!(IPAM_MODES as readonly string[]).includes(ipam))
    throw new ShapeError(`cluster.ipam: "${ipam}" is not one of ${IPAM_MODES.join(', ')}`);
  const cursor = num(c['nodeCidrCursor'], 'cluster.nodeCidrCursor', true);
  // refused before anything is built from them (a hostile link must not freeze the page)
  const routerList = list(doc['routers'], 'routers', LOAD_LIMITS.routers);
  const joins = routerList.reduce<number>(
    (sum, r) => sum + (isObj(r) && Array.isArray(r['subnets']) ? r['subnets'].length : 0),
    0,
  );
  if (joins > LOAD_LIMITS.routerJoins)
    throw new ShapeError(
      `routers: ${joins} router–subnet joins is more than podhop opens (${LOAD_LIMITS.routerJoins})`,
    );
  return {
    version: SCENARIO_VERSION,
    cluster: {
      clusterCidr:
        str(c['clusterCidr'], 'cluster.clusterCidr', true) ?? DEFAULT_CLUSTER.clusterCidr,
      nodeCidrMaskSize:
        num(c['nodeCidrMaskSize'], 'cluster.nodeCidrMaskSize', true) ??
        DEFAULT_CLUSTER.nodeCidrMaskSize,
      serviceCidr:
        str(c['serviceCidr'], 'cluster.serviceCidr', true) ?? DEFAULT_CLUSTER.serviceCidr,
      maxPods: num(c['maxPods'], 'cluster.maxPods', true) ?? DEFAULT_CLUSTER.maxPods,
      datapath: datapath as Scenario['cluster']['datapath'],
      ipam: ipam as Scenario['cluster']['ipam'],
      ...opt('nodeCidrCursor', cursor),
      ...(c['bridgeNfCallIptables'] === false ? { bridgeNfCallIptables: false } : {}),
    },
    subnets: list(doc['subnets'], 'subnets', LOAD_LIMITS.subnets).map((v, i) => {
      const o = obj(v, `subnets[${i}]`);
      return {
        name: str(o['name'], `subnets[${i}].name`)! as Scenario['subnets'][number]['name'],
        cidr: str(o['cidr'], `subnets[${i}].cidr`)!,
        gateway: str(o['gateway'], `subnets[${i}].gateway`)!,
        srcDstCheck: bool(o['srcDstCheck'], `subnets[${i}].srcDstCheck`, false),
        ...opt('mtu', num(o['mtu'], `subnets[${i}].mtu`, true)),
        ...position(o['position'], `subnets[${i}].position`),
      };
    }),
    routers: routerList.map((v, i) => {
      const o = obj(v, `routers[${i}]`);
      return {
        name: str(o['name'], `routers[${i}].name`)! as Scenario['routers'][number]['name'],
        subnets: list(o['subnets'], `routers[${i}].subnets`, LOAD_LIMITS.subnets).map((x, j) =>
          str(x, `routers[${i}].subnets[${j}]`)!,
        ) as Scenario['routers'][number]['subnets'][number][],
        ...position(o['position'], `routers[${i}].position`),
      };
    }),
    nodes: list(doc['nodes'], 'nodes', LOAD_LIMITS.nodes).map((v, i) => {
      const o = obj(v, `nodes[${i}]`);
      return {
        name: str(o['name'], `nodes[${i}].name`)! as Scenario['nodes'][number]['name'],
        subnet: str(o['subnet'], `nodes[${i}].subnet`)! as Scenario['nodes'][number]['subnet'],
        ip: str(o['ip'], `nodes[${i}].ip`)!,
        ...opt('podCidr', str(o['podCidr'], `nodes[${i}].podCidr`, true)),
        ...(o['podCidrPinned'] === true ? { podCidrPinned: true } : {}),
        ...opt('lastReservedIp', str(o['lastReservedIp'], `nodes[${i}].lastReservedIp`, true)),
        ...position(o['position'], `nodes[${i}].position`),
      };
    }),
    pods: list(doc['pods'], 'pods', LOAD_LIMITS.pods).map((v, i) => {
      const o = obj(v, `pods[${i}]`);
      return {
        name: str(o['name'], `pods[${i}].name`)! as Scenario['pods'][number]['name'],
        ...namespaceOf(o['namespace'], `pods[${i}].namespace`),
        node: str(o['node'], `pods[${i}].node`)! as Scenario['pods'][number]['node'],
        ...opt(
          'labels',
          o['labels'] === undefined ? undefined : labels(o['labels'], `pods[${i}].labels`),
        ),
        containers: list(o['containers'], `pods[${i}].containers`, LOAD_LIMITS.containers).map(
          (cv, j) => {
            const co = obj(cv, `pods[${i}].containers[${j}]`);
            const where = `pods[${i}].containers[${j}]`;
            return {
              name: str(co['name'], `${where}.name`)!,
              image: str(co['image'], `${where}.image`, true) ?? 'busybox',
              ...opt(
                'ports',
                co['ports'] === undefined
                  ? undefined
                  : list(co['ports'], `${where}.ports`, 64).map((pv, k) => {
                      const po = obj(pv, `${where}.ports[${k}]`);
                      const protocol =
                        str(po['protocol'], `${where}.ports[${k}].protocol`, true) ?? 'TCP';
                      if (protocol !== 'TCP' && protocol !== 'UDP')
                        throw new ShapeError(
                          `${where}.ports[${k}].protocol: "${protocol}" is not TCP or UDP`,
                        );
                      return {
                        containerPort: num(
                          po['containerPort'],
                          `${where}.ports[${k}].containerPort`,
                        )!,
                        protocol,
                        ...opt('name', str(po['name'], `${where}.ports[${k}].name`, true)),
                      };
                    }),
              ),
            };
          },
        ),
        ...(o['shareProcessNamespace'] === true ? { shareProcessNamespace: true } : {}),
        ...opt('ip', str(o['ip'], `pods[${i}].ip`, true)),
        ...opt('phase', str(o['phase'], `pods[${i}].phase`, true)),
        ...position(o['position'], `pods[${i}].position`),
      };
    }),
    services: list(doc['services'], 'services', LOAD_LIMITS.services).map((v, i) => {
      const o = obj(v, `services[${i}]`);
      return {
        name: str(o['name'], `services[${i}].name`)! as Scenario['services'][number]['name'],
        ...opt('namespace', str(o['namespace'], `services[${i}].namespace`, true)),
        selector: labels(o['selector'], `services[${i}].selector`),
        ports: list(o['ports'], `services[${i}].ports`, 64).map((pv, k) => {
          const po = obj(pv, `services[${i}].ports[${k}]`);
          const protocol =
            str(po['protocol'], `services[${i}].ports[${k}].protocol`, true) ?? 'TCP';
          if (protocol !== 'TCP' && protocol !== 'UDP')
            throw new ShapeError(
              `services[${i}].ports[${k}].protocol: "${protocol}" is not TCP or UDP`,
            );
          return {
            port: num(po['port'], `services[${i}].ports[${k}].port`)!,
            targetPort: num(po['targetPort'], `services[${i}].ports[${k}].targetPort`)!,
            protocol,
            ...opt('name', str(po['name'], `services[${i}].ports[${k}].name`, true)),
          };
        }),
        ...opt('clusterIP', str(o['clusterIP'], `services[${i}].clusterIP`, true)),
        ...position(o['position'], `services[${i}].position`),
      };
    }),
    ...namespacesOf(doc['namespaces']),
    ...policiesOf(doc['networkPolicies']),
  };
}

/** `default` is left out, so a v1 scenario and its v2 load are the same value. */
function namespaceOf(v: Json, where: string): { namespace?: string } {
  const ns = str(v, where, true);
  return ns === undefined || ns === DEFAULT_NAMESPACE ? {} : { namespace: ns };
}

/** Namespaces with the label the API server adds to each (kubernetes.io/metadata.name). */
function namespacesOf(v: Json): Pick<Scenario, 'namespaces'> {
  const items = list(v, 'namespaces', LOAD_LIMITS.namespaces).map((x, i) => {
    const o = obj(x, `namespaces[${i}]`);
    const name = str(o['name'], `namespaces[${i}].name`)!;
    const given = o['labels'] === undefined ? {} : labels(o['labels'], `namespaces[${i}].labels`);
    return { name, labels: { ...given, 'kubernetes.io/metadata.name': name } };
  });
  return items.length ? { namespaces: items } : {};
}

/** Kept verbatim as plain JSON (a fresh copy: nothing but data survives). */
function policiesOf(v: Json): Pick<Scenario, 'networkPolicies'> {
  const items = list(v, 'networkPolicies', LOAD_LIMITS.networkPolicies).map((x, i) => {
    const o = obj(x, `networkPolicies[${i}]`);
    return JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
  });
  return items.length ? { networkPolicies: items } : {};
}

/** From already-parsed JSON (a link decoder hands its object here too). */
export function loadScenarioDocument(doc: Json): Result<Scenario, LoadError> {
  if (!isObj(doc))
    return err({ kind: 'notAScenario', text: 'not a podhop scenario: expected a JSON object' });
  const migrated = migrate(doc);
  if (!migrated.ok) return migrated;
  try {
    return ok(shape(migrated.value));
  } catch (e) {
    if (e instanceof ShapeError)
      return err({ kind: 'badShape', text: `not a podhop scenario: ${visible(e.message)}` });
    throw e;
  }
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
