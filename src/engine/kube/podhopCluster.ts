/**
 * podhop's own document in a YAML export: the cluster settings and the underlay, which no
 * Kubernetes object holds. A kind of its own under podhop's API group, as a CRD would be
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/).
 */
import type { DocCluster, DocNode, DocRouter, DocSubnet } from './document';
import { isObj, type Obj } from './fields';

export const PODHOP_API_VERSION = 'podhop.dev/v1alpha1';
export const PODHOP_CLUSTER_KIND = 'PodhopCluster';
export const PODHOP_CLUSTER_NAME = 'podhop';

export interface PodhopClusterSpec {
  readonly cluster: DocCluster;
  readonly subnets: readonly DocSubnet[];
  readonly routers: readonly DocRouter[];
  readonly nodes: readonly DocNode[];
}

export const isPodhopCluster = (o: Obj): boolean =>
  o['kind'] === PODHOP_CLUSTER_KIND &&
  typeof o['apiVersion'] === 'string' &&
  o['apiVersion'].startsWith('podhop.dev/');

const plain = <T>(v: unknown): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * The spec as written, in plain objects: the scenario loader validates it, as it validates a
 * JSON file, so a hand-edited export gets the loader's own messages.
 */
export function readPodhopCluster(o: Obj): PodhopClusterSpec | undefined {
  const spec = o['spec'];
  if (!isObj(spec) || !Array.isArray(spec['nodes'])) return undefined;
  return {
    cluster: plain<DocCluster>(isObj(spec['cluster']) ? spec['cluster'] : {}),
    subnets: plain<DocSubnet[]>(Array.isArray(spec['subnets']) ? spec['subnets'] : []),
    routers: plain<DocRouter[]>(Array.isArray(spec['routers']) ? spec['routers'] : []),
    nodes: plain<DocNode[]>(spec['nodes']),
  };
}
