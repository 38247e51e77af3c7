/** The engine's public surface: the only import the UI, the CLI and the benchmarks use. */
export * from './result';
export * from './addr/ip';
export * from './scenario/types';
export * from './scenario/ids';
export * from './scenario/defaults';
export * from './scenario/problems';
export * from './scenario/validate';
export * from './scenario/examples';
export * from './scenario/cni';
export * from './scenario/load';
export * from './scenario/edit';
export * from './scenario/link';
export * from './ipam/allocate';
export { NODE_PORT_RANGE, nodePortRefusal } from './ipam/nodePort';
export { CidrSet, CIDR_NOT_AVAILABLE } from './ipam/cidrset';
export { HostLocalRange, noAddressesText } from './ipam/hostLocal';
export * from './network/types';
export { buildNetwork } from './network/build';
export { destinationAddress, podAddress } from './network/podAddress';
export { routeLine } from './network/routeLine';
export * from './walk/packet';
export * from './walk/hop';
// a hop's plain sentence (./walk/explain) is imported on its own: the hop list loads it with the first packet
export { fibLookup, sourceAddress, type FibResult } from './walk/fib';
export { walkPacket, type WalkEnd, type WalkResult, type DropKind } from './walk/walk';
export * from './walk/netfilter';
export * from './walk/probe';
export * from './walk/traceroute';
export * from './print/index';
// the shell (./shell/index) is imported on its own: only a terminal needs it, so it stays off the first paint
export * from './lessons/index';
// NetworkPolicy: the objects, their verdicts and matrix (named: the walk has a Verdict of its own)
export {
  clusterPoliciesOf,
  connectivity,
  describeNetworkPolicy,
  endpoint as policyEndpoint,
  formatSelector,
  networkPoliciesIn,
  policyObjectRef,
  policyRef,
  reachabilityTable,
  trafficText,
  type ClusterPolicies,
  type NetworkPolicy,
  type PastedPolicies,
  type PolicyEntry,
  type PolicyPod,
  type PolicyRefusal,
  type Traffic,
  type TrafficProtocol,
  type TruthTable,
  type Verdict as PolicyVerdict,
} from './policy/index';
// the one piece of the Kubernetes reader the first paint needs; the rest loads on demand
export { isKubernetesText } from './kube/sniff';
