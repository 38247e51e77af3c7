/**
 * The scenario document, format version 2, as the importer writes it and the YAML export
 * reads it: plain JSON-shaped records, validated by the scenario loader
 * (`loadScenarioDocument`), not here. Declared structurally so a loaded v2 Scenario (with its
 * branded names) can be handed to the export as it is.
 */
import type * as v from 'valibot';
import type {
  ClusterSettings,
  Container,
  EndpointSlice,
  ContainerPort,
  KubeNamespace,
  KubeNode,
  Pod,
  Position,
  Router,
  Scenario,
  Service,
  ServicePort,
  Subnet,
} from '../scenario/types';

export const KUBE_DOCUMENT_VERSION = 2;

/**
 * The scenario's own types with the brands taken off (a name is a plain string here): the
 * fields are declared once, in scenario/types.ts, and a new one arrives here by itself.
 */
type Unbranded<T> = T extends string
  ? T extends v.Brand<string>
    ? string
    : T
  : T extends readonly (infer U)[]
    ? readonly Unbranded<U>[]
    : T extends object
      ? { readonly [K in keyof T]: Unbranded<T[K]> }
      : T;

export type DocPosition = Position;
export type DocCluster = ClusterSettings;
export type DocSubnet = Unbranded<Subnet>;
export type DocRouter = Unbranded<Router>;
export type DocNode = Unbranded<KubeNode>;
export type DocNamespace = KubeNamespace;
export type DocContainerPort = ContainerPort;
export type DocContainer = Container;
export type DocPod = Unbranded<Pod>;
export type DocServicePort = ServicePort;
export type DocService = Unbranded<Service>;
export type DocEndpointSlice = Unbranded<EndpointSlice>;

/** The scenario with plain names; the importer always writes the namespace list it read. */
export type ScenarioDocument = Unbranded<
  Omit<Scenario, 'version' | 'namespaces' | 'networkPolicies'>
> & {
  readonly version: typeof KUBE_DOCUMENT_VERSION;
  readonly namespaces: readonly DocNamespace[];
  /** networking.k8s.io/v1 NetworkPolicy objects, verbatim (for the NetworkPolicy issue) */
  readonly networkPolicies: readonly unknown[];
};
