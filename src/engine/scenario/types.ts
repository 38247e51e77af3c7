import type * as v from 'valibot';
import type {
  ClusterSettingsSchema,
  CNIS,
  POLICY_ENFORCERS,
  ContainerPortSchema,
  ContainerSchema,
  DATAPATHS,
  EndpointSchema,
  EndpointSliceSchema,
  KubeProxyConfigSchema,
  IPAM_MODES,
  KubeNamespaceSchema,
  KubeNodeSchema,
  NodeNameSchema,
  PodNameSchema,
  PodSchema,
  PositionSchema,
  PROTOCOLS,
  RouterNameSchema,
  RouterSchema,
  ScenarioSchema,
  ServiceNameSchema,
  ServicePortSchema,
  ServiceSchema,
  SubnetNameSchema,
  SubnetSchema,
} from './schema';

/**
 * The scenario's types, as the loader hands them out: read from the one
 * declaration in schema.ts (fields, their comments and defaults live there),
 * deeply read-only because a scenario is a value that edits replace.
 */
type Frozen<T> = unknown extends T
  ? T
  : T extends string | number | boolean | undefined | null
    ? T
    : T extends readonly (infer U)[]
      ? readonly Frozen<U>[]
      : { readonly [K in keyof T]: Frozen<T[K]> };
type Out<S extends v.GenericSchema> = Frozen<v.InferOutput<S>>;

export {
  CNIS,
  POLICY_ENFORCERS,
  DATAPATHS,
  IPAM_MODES,
  PROTOCOLS,
  SCENARIO_VERSION,
  SERVICE_TYPES,
} from './schema';

export type SubnetName = Out<typeof SubnetNameSchema>;
export type RouterName = Out<typeof RouterNameSchema>;
export type NodeName = Out<typeof NodeNameSchema>;
export type PodName = Out<typeof PodNameSchema>;
export type ServiceName = Out<typeof ServiceNameSchema>;

export type Datapath = (typeof DATAPATHS)[number];
export type CniName = (typeof CNIS)[number];
export type IpamMode = (typeof IPAM_MODES)[number];
export type Protocol = (typeof PROTOCOLS)[number];
export type PolicyEnforcer = (typeof POLICY_ENFORCERS)[number];

export type Position = Out<typeof PositionSchema>;
export type ClusterSettings = Out<typeof ClusterSettingsSchema>;
export type Subnet = Out<typeof SubnetSchema>;
export type Router = Out<typeof RouterSchema>;
export type KubeNode = Out<typeof KubeNodeSchema>;
export type ContainerPort = Out<typeof ContainerPortSchema>;
export type Container = Out<typeof ContainerSchema>;
export type Pod = Out<typeof PodSchema>;
export type KubeNamespace = Out<typeof KubeNamespaceSchema>;
export type ServicePort = Out<typeof ServicePortSchema>;
export type Service = Out<typeof ServiceSchema>;
export type Scenario = Out<typeof ScenarioSchema>;
export type KubeProxyConfig = Out<typeof KubeProxyConfigSchema>;
export type Endpoint = Out<typeof EndpointSchema>;
export type EndpointSlice = Out<typeof EndpointSliceSchema>;

/** What a file or a link may hold before the loader fills its defaults (names not yet branded). */
export type ScenarioInput = v.InferInput<typeof ScenarioSchema>;
