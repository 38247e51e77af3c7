import type { NodeTypes } from '@xyflow/react';
import { BridgeNode, RoutedNode, TunnelNode } from './DeviceNodes';
import { KubeNodeFrame } from './KubeNodeFrame';
import { PodNode } from './PodNode';
import { RouterNode } from './RouterNode';
import { ServiceNode } from './ServiceNode';
import { SubnetNode } from './SubnetNode';

/** Defined once at module level: React Flow re-mounts every node when this object changes. */
export const nodeTypes = {
  subnet: SubnetNode,
  router: RouterNode,
  kubeNode: KubeNodeFrame,
  pod: PodNode,
  service: ServiceNode,
  bridge: BridgeNode,
  routed: RoutedNode,
  vxlan: TunnelNode,
  ipip: TunnelNode,
} satisfies NodeTypes;
