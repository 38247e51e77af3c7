import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { BridgeFlowNode, VxlanFlowNode } from '../layout';
import { marks, useActive } from './marks';

/** The node's `cni0` bridge: one veth port per pod, holding the podCIDR's gateway. */
export const BridgeNode = memo(function BridgeNode({ id, data }: NodeProps<BridgeFlowNode>) {
  const active = useActive(id);
  return (
    <div className="cv-device cv-bridge" data-testid={`rf-bridge-${data.node}`} {...marks(active)}>
      <Handle
        id="ports"
        type="target"
        position={Position.Left}
        isConnectable={false}
        className="cv-port"
      />
      <div>
        <strong className="cv-dev-name">{data.label.name}</strong>{' '}
        <span className="cv-kind">bridge</span>
      </div>
      <div className="cv-mono cv-detail">{data.label.addr ?? 'no address'}</div>
    </div>
  );
});

/** Flannel's VXLAN device: encapsulates pod packets for other nodes' VTEPs. */
export const VxlanNode = memo(function VxlanNode({ id, data }: NodeProps<VxlanFlowNode>) {
  const active = useActive(id);
  const { label } = data;
  return (
    <div className="cv-device cv-vxlan" data-testid={`rf-vxlan-${data.node}`} {...marks(active)}>
      <Handle
        id="up"
        type="source"
        position={Position.Top}
        isConnectable={false}
        className="cv-port"
      />
      <div>
        <strong className="cv-dev-name">{label.name}</strong>
      </div>
      <div className="cv-mono cv-detail">{label.addr ?? 'no address'}</div>
      <div className="cv-mono cv-encap-text cv-detail">
        VXLAN VNI {label.vni} :{label.port}
      </div>
    </div>
  );
});
