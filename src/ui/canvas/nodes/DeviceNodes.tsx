import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { BridgeFlowNode, RoutedFlowNode, TunnelFlowNode } from '../layout';
import type { TunnelLabel } from '../model';
import { marks, useActive } from './marks';

/** Where the pods' veths end: a target handle on the card's left side. */
const Ports = () => (
  <Handle
    id="ports"
    type="target"
    position={Position.Left}
    isConnectable={false}
    className="cv-port"
  />
);

/** The node's `cni0` bridge: one veth port per pod, holding the podCIDR's gateway. */
export const BridgeNode = memo(function BridgeNode({ id, data }: NodeProps<BridgeFlowNode>) {
  const active = useActive(id);
  return (
    <div className="cv-device cv-bridge" data-testid={`rf-bridge-${data.node}`} {...marks(active)}>
      <Ports />
      <div>
        <strong className="cv-dev-name">{data.label.name}</strong>{' '}
        <span className="cv-kind">bridge</span>
      </div>
      <div className="cv-mono cv-detail">{data.label.addr ?? 'no address'}</div>
    </div>
  );
});

/**
 * No bridge (Calico): each pod's veth ends at the node's own routing, which holds a
 * `/32 dev cali…` route per pod and blackholes the node's block; the veths answer ARP
 * for the pods' gateway by proxy-ARP.
 */
export const RoutedNode = memo(function RoutedNode({ id, data }: NodeProps<RoutedFlowNode>) {
  const active = useActive(id);
  const { label, blocks } = data;
  return (
    <div
      className="cv-device cv-bridge"
      data-testid={`rf-routed-${data.node}`}
      {...marks(active)}
      title="no bridge: the node routes each pod's IP to its veth (/32 dev cali…) and blackholes the rest of its block"
    >
      <Ports />
      <div>
        <strong className="cv-dev-name">ip route</strong>
      </div>
      <div className="cv-mono cv-detail">
        {label.podRoutes ? `${label.podRoutes} × /32 → cali…` : 'no pod yet'}
      </div>
      {blocks.map((b) => (
        <div key={b} className="cv-mono cv-detail" data-testid={`routed-blackhole-${data.node}`}>
          blackhole
          <br />
          {b}
        </div>
      ))}
      {label.proxyArp && <div className="cv-kind cv-detail">proxy-ARP</div>}
    </div>
  );
});

/** The encapsulation on one line, its outer header's detail on the next. */
const encapText = (label: TunnelLabel): readonly [string, string] => {
  switch (label.kind) {
    case 'vxlan':
      return [`VXLAN VNI ${label.vni}`, `UDP :${label.port}`];
    case 'ipip':
      return ['IPIP (IP proto 4)', `outer ttl ${label.ttl}`];
  }
};

/** A tunnel device (flannel.1 and vxlan.calico: VXLAN; tunl0: IPIP): wraps pod packets for other nodes. */
export const TunnelNode = memo(function TunnelNode({ id, data }: NodeProps<TunnelFlowNode>) {
  const active = useActive(id);
  const { label } = data;
  return (
    <div
      className="cv-device cv-vxlan"
      data-testid={`rf-${label.kind}-${data.node}`}
      data-device={label.name}
      {...marks(active)}
    >
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
      {encapText(label).map((t) => (
        <div key={t} className="cv-mono cv-encap-text cv-detail">
          {t}
        </div>
      ))}
    </div>
  );
});
