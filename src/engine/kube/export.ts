/**
 * A scenario as Kubernetes manifests: Namespaces, Pods, Services and NetworkPolicies as
 * `kubectl apply` takes them (apiVersion, kind, metadata, spec), and podhop's cluster and
 * underlay settings in one PodhopCluster document. Nothing podhop-only goes into a spec:
 * canvas positions ride in an annotation. Importing the text gives back the same scenario.
 */
import { stringify } from 'yaml';
import { err, ok, type Result } from '../result';
import type { DocEndpointSlice, DocPod, DocService, ScenarioDocument } from './document';
import type { KubeError } from './errors';
import { importKube, type KubeImport } from './import';
import { parseKubeText } from './parse';
import {
  PODHOP_API_VERSION,
  PODHOP_CLUSTER_KIND,
  PODHOP_CLUSTER_NAME,
  type PodhopClusterSpec,
} from './podhopCluster';
import { POSITION_ANNOTATION, positionText } from './position';

/**
 * What the export reads: a v2 scenario document (a loaded Scenario is one). A format-1
 * scenario has no namespaces or NetworkPolicies: its objects are in `default`.
 */
export type ExportableScenario = Omit<
  ScenarioDocument,
  'version' | 'namespaces' | 'networkPolicies'
> & {
  readonly version: number;
  readonly namespaces?: ScenarioDocument['namespaces'];
  readonly networkPolicies?: ScenarioDocument['networkPolicies'];
};

/** the namespaces a format-1 scenario implies: the two every cluster has, and those used */
function impliedNamespaces(s: ExportableScenario): ScenarioDocument['namespaces'] {
  const names = new Set(['default', 'kube-system']);
  for (const o of [...s.pods, ...s.services]) names.add(o.namespace ?? 'default');
  return [...names].map((name) => ({ name, labels: { 'kubernetes.io/metadata.name': name } }));
}

const HEADER = `# podhop scenario as Kubernetes manifests (podhop export --yaml).
# Namespaces, Pods, Services and NetworkPolicies apply to a cluster as they are; the last
# document (kind ${PODHOP_CLUSTER_KIND}) holds podhop's cluster and underlay settings and
# has no CRD in a real cluster: kubectl apply reports it and applies the rest.
`;

const metadata = (
  name: string,
  namespace: string | undefined,
  labels: Readonly<Record<string, string>> | undefined,
  position: { readonly x: number; readonly y: number } | undefined,
) => ({
  name,
  ...(namespace !== undefined ? { namespace } : {}),
  ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
  ...(position ? { annotations: { [POSITION_ANNOTATION]: positionText(position) } } : {}),
});

function podManifest(p: DocPod) {
  const status = {
    ...(p.phase !== undefined ? { phase: p.phase } : {}),
    ...(p.ip !== undefined ? { podIP: p.ip } : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: metadata(p.name, p.namespace ?? 'default', p.labels, p.position),
    spec: {
      nodeName: p.node,
      ...(p.shareProcessNamespace ? { shareProcessNamespace: true } : {}),
      containers: p.containers.map((c) => ({
        name: c.name,
        image: c.image,
        ...(c.ports && c.ports.length > 0
          ? {
              ports: c.ports.map((port) => ({
                ...(port.name !== undefined ? { name: port.name } : {}),
                containerPort: port.containerPort,
                protocol: port.protocol ?? 'TCP',
              })),
            }
          : {}),
      })),
    },
    // status is the cluster's record of what it allocated; apply ignores it, import reads it
    ...(Object.keys(status).length > 0 ? { status } : {}),
  };
}

function serviceManifest(s: DocService) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(s.name, s.namespace ?? 'default', undefined, s.position),
    spec: {
      selector: s.selector,
      ports: s.ports.map((p) => ({
        ...(p.name !== undefined ? { name: p.name } : {}),
        port: p.port,
        targetPort: p.targetPort,
        protocol: p.protocol ?? 'TCP',
        ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
      })),
      ...(s.clusterIP !== undefined ? { clusterIP: s.clusterIP } : {}),
      ...(s.type !== undefined ? { type: s.type } : {}),
      ...(s.externalTrafficPolicy !== undefined
        ? { externalTrafficPolicy: s.externalTrafficPolicy }
        : {}),
      ...(s.internalTrafficPolicy !== undefined
        ? { internalTrafficPolicy: s.internalTrafficPolicy }
        : {}),
      ...(s.externalIPs ? { externalIPs: s.externalIPs } : {}),
      ...(s.loadBalancerSourceRanges
        ? { loadBalancerSourceRanges: s.loadBalancerSourceRanges }
        : {}),
      ...(s.healthCheckNodePort !== undefined
        ? { healthCheckNodePort: s.healthCheckNodePort }
        : {}),
      ...(s.sessionAffinity !== undefined ? { sessionAffinity: s.sessionAffinity } : {}),
      ...(s.sessionAffinityTimeout !== undefined
        ? { sessionAffinityConfig: { clientIP: { timeoutSeconds: s.sessionAffinityTimeout } } }
        : {}),
    },
    ...(s.loadBalancerIPs
      ? { status: { loadBalancer: { ingress: s.loadBalancerIPs.map((ip) => ({ ip })) } } }
      : {}),
  };
}

/** a hand-written EndpointSlice, as discovery.k8s.io/v1 spells it */
function endpointSliceManifest(e: DocEndpointSlice) {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: e.name,
      namespace: e.namespace ?? 'default',
      labels: { 'kubernetes.io/service-name': e.service },
    },
    addressType: 'IPv4',
    endpoints: e.endpoints.map((ep) => ({
      addresses: ep.addresses,
      conditions: {
        ready: ep.ready,
        ...(ep.serving !== undefined ? { serving: ep.serving } : {}),
        terminating: ep.terminating,
      },
      ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
    })),
    ports: e.ports.map((p) => ({
      ...(p.name !== undefined ? { name: p.name } : {}),
      port: p.port,
      protocol: p.protocol ?? 'TCP',
    })),
  };
}

export function scenarioToKubeYaml(scenario: ExportableScenario): string {
  const spec: PodhopClusterSpec = {
    cluster: scenario.cluster,
    subnets: scenario.subnets,
    routers: scenario.routers,
    nodes: scenario.nodes,
  };
  const documents: unknown[] = [
    ...(scenario.namespaces ?? impliedNamespaces(scenario)).map((ns) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: metadata(ns.name, undefined, ns.labels, undefined),
    })),
    ...scenario.pods.map(podManifest),
    ...scenario.services.map(serviceManifest),
    ...(scenario.endpointSlices ?? []).map(endpointSliceManifest),
    ...(scenario.networkPolicies ?? []),
    {
      apiVersion: PODHOP_API_VERSION,
      kind: PODHOP_CLUSTER_KIND,
      metadata: { name: PODHOP_CLUSTER_NAME },
      spec,
    },
  ];
  // no anchors for repeated values (the import refuses aliases past a few), no line folding
  const options = { aliasDuplicateObjects: false, lineWidth: 0 } as const;
  return HEADER + documents.map((d) => `---\n${stringify(d, options)}`).join('');
}

/** The inverse of scenarioToKubeYaml (and the import of any kubectl text). */
export function scenarioFromKubeText(text: string): Result<KubeImport, KubeError> {
  const objects = parseKubeText(text);
  if (!objects.ok) return err(objects.error);
  const imported = importKube(objects.value);
  return imported.ok ? ok(imported.value) : imported;
}
