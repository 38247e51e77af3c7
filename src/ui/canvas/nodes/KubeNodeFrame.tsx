import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { NAIVE_POD_RANGE } from '../../../engine/index';
import { nodeMessages } from '../geometry';
import type { KubeFlowNode } from '../layout';
import { marks, useActive, useSelected } from './marks';
import { usePanOnBody } from './usePanOnBody';

/**
 * A Kubernetes node: a frame holding its pods, its bridge or routing and its tunnel
 * device, with eth0 on its top border.
 */
export const KubeNodeFrame = memo(function KubeNodeFrame({ id, data }: NodeProps<KubeFlowNode>) {
  const { model, eth0X, messagesTop } = data;
  const active = useActive(id);
  const selected = useSelected('node', model.name);
  const messages = nodeMessages(model);
  const panOnBody = usePanOnBody();
  return (
    <div
      className="cv-node"
      data-testid={`rf-node-${model.name}`}
      {...marks(active, selected)}
      onPointerDown={panOnBody}
    >
      <div className="cv-node-head cv-drag">
        <div>
          <span className="cv-kind">node</span>
          <strong className="cv-name">{model.name}</strong>
          {model.refused && (
            <span className="cv-drop" data-testid={`node-refused-${model.name}`}>
              {' '}
              not created
            </span>
          )}
        </div>
        {model.blocks.length > 0 ? (
          // Calico routes its IPAM blocks (the blackhole routes name them), not the podCIDR
          <div
            className="cv-small"
            data-testid={`node-block-${model.name}`}
            title={`IPAM block${model.blocks.length > 1 ? 's' : ''} affine to ${model.name}${model.podCidr ? `; its podCIDR ${model.podCidr} is not used by this CNI` : ''}`}
          >
            block{model.blocks.length > 1 ? 's' : ''}{' '}
            <span className="cv-mono">{model.blocks.join(', ')}</span>
          </div>
        ) : (
          <div className="cv-small">
            podCIDR{' '}
            <span className="cv-mono">
              {model.podCidr ?? <span className="cv-drop">none</span>}
            </span>
            {model.podCidr && model.podCidrUnused && (
              <span
                className="cv-muted"
                data-testid={`podcidr-unused-${model.name}`}
                title={`naive IPAM: cni0 serves Docker’s ${NAIVE_POD_RANGE}, whatever the controller allocated`}
              >
                {' '}
                (unused)
              </span>
            )}
          </div>
        )}
      </div>
      <div
        className="cv-eth0"
        style={{ left: eth0X }}
        title={`${model.name} eth0 on ${model.subnet}`}
      >
        <span className="cv-dev-name">eth0</span>{' '}
        <span className="cv-mono cv-detail">{model.ip}</span>
      </div>
      <Handle
        id="eth0"
        type="source"
        position={Position.Top}
        isConnectable={false}
        className="cv-port"
        style={{ left: eth0X, top: -10 }}
      />
      <Handle
        id="eth0-in"
        type="target"
        position={Position.Top}
        isConnectable={false}
        className="cv-port"
        style={{ left: eth0X, top: 10 }}
      />
      {messages.length > 0 && (
        <div
          className="cv-node-errors"
          data-testid={`node-errors-${model.name}`}
          style={{ top: messagesTop }}
          role="note"
        >
          {model.errors.map((e) => (
            <div key={e.command + e.text}>
              <div className="cv-mono cv-muted">$ {e.command}</div>
              <div className="cv-mono cv-drop">{e.text}</div>
            </div>
          ))}
          {[...model.events, ...model.problems].map((t) => (
            <div key={t} className="cv-drop">
              {t}
            </div>
          ))}
        </div>
      )}
    </div>
  );
});
