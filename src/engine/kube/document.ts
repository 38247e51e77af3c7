/**
 * The scenario document, format version 2, as the importer writes it and the YAML export
 * reads it: plain JSON-shaped records, validated by the scenario loader
 * (`loadScenarioDocument`), not here. Declared structurally so a loaded v2 Scenario (with its
 * branded names) can be handed to the export as it is.
 */
import type { Datapath, IpamMode, Protocol } from '../scenario/types';

export const KUBE_DOCUMENT_VERSION = 2;

export interface DocPosition {
  readonly x: number;
  readonly y: number;
}

export interface DocCluster {
  readonly clusterCidr: string;
  readonly nodeCidrMaskSize: number;
  readonly serviceCidr: string;
  readonly maxPods: number;
  readonly datapath: Datapath;
  readonly ipam: IpamMode;
  readonly bridgeNfCallIptables?: boolean;
  readonly nodeCidrCursor?: number;
}

export interface DocSubnet {
  readonly name: string;
  readonly cidr: string;
  readonly gateway: string;
  readonly srcDstCheck: boolean;
  readonly mtu?: number;
  readonly position?: DocPosition;
}

export interface DocRouter {
  readonly name: string;
  readonly subnets: readonly string[];
  readonly position?: DocPosition;
}

export interface DocNode {
  readonly name: string;
  readonly subnet: string;
  readonly ip: string;
  readonly podCidr?: string;
  readonly podCidrPinned?: boolean;
  readonly lastReservedIp?: string;
  readonly position?: DocPosition;
}

export interface DocNamespace {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface DocContainerPort {
  readonly containerPort: number;
  readonly protocol?: Protocol;
  readonly name?: string;
}

export interface DocContainer {
  readonly name: string;
  readonly image: string;
  readonly ports?: readonly DocContainerPort[];
}

export interface DocPod {
  readonly namespace?: string;
  readonly name: string;
  readonly node: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly containers: readonly DocContainer[];
  readonly shareProcessNamespace?: boolean;
  readonly ip?: string;
  readonly phase?: string;
  readonly position?: DocPosition;
}

export interface DocServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol?: Protocol;
}

export interface DocService {
  readonly namespace?: string;
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly DocServicePort[];
  readonly clusterIP?: string;
  readonly position?: DocPosition;
}

export interface ScenarioDocument {
  readonly version: typeof KUBE_DOCUMENT_VERSION;
  readonly cluster: DocCluster;
  readonly namespaces: readonly DocNamespace[];
  readonly subnets: readonly DocSubnet[];
  readonly routers: readonly DocRouter[];
  readonly nodes: readonly DocNode[];
  readonly pods: readonly DocPod[];
  readonly services: readonly DocService[];
  /** networking.k8s.io/v1 NetworkPolicy objects, verbatim (for the NetworkPolicy issue) */
  readonly networkPolicies: readonly unknown[];
}
