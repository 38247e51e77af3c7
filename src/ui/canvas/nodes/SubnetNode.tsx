import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { ProblemList } from './ProblemList';
import { memo, useEffect } from 'react';
import { SIZE } from '../geometry';
import type { SubnetFlowNode } from '../layout';
import { marks, useActive, useSelected } from './marks';
import { usePanOnBody } from './usePanOnBody';

/** An underlay subnet: a frame holding its nodes, with its L2 segment drawn as a bus under the header. */
export const SubnetNode = memo(function SubnetNode({ id, data }: NodeProps<SubnetFlowNode>) {
  const { model, ports } = data;
  const active = useActive(id);
  const selected = useSelected('subnet', model.name);
  const updateInternals = useUpdateNodeInternals();
  const panOnBody = usePanOnBody();
  // the ports follow the nodes and routers attached to the bus: re-measure when they move
  const portsKey = ports.map((p) => `${p.id}@${p.x}`).join('|');
  useEffect(() => updateInternals(id), [id, portsKey, updateInternals]);
  return (
    <div
      className="cv-subnet"
      data-testid={`rf-subnet-${model.name}`}
      {...marks(active, selected)}
      onPointerDown={panOnBody}
    >
      <div className="cv-subnet-head cv-drag">
        <span className="cv-kind">subnet</span>
        <strong className="cv-name">{model.name}</strong>
        <span className="cv-mono">{model.cidr}</span>
        <span className="cv-muted">
          gateway <span className="cv-mono">{model.gateway}</span>
        </span>
        {model.srcDstCheck && (
          <span
            className="cv-badge cv-badge-check"
            title="Cloud source/destination check: the fabric drops packets a node sends from, or receives for, an address that is not its own"
          >
            src/dst check
          </span>
        )}
      </div>
      <div className="cv-bus" style={{ top: SIZE.busY }} aria-hidden="true" />
      {ports.map((p) => (
        <Handle
          key={p.id}
          id={p.id}
          type="target"
          position={Position.Top}
          isConnectable={false}
          className="cv-port"
          style={{ left: p.x, top: SIZE.busY }}
        />
      ))}
      <Handle
        id="bus"
        type="target"
        position={Position.Top}
        className="cv-bus-target"
        style={{ top: SIZE.busY }}
        // a pointer's drop target, named as the picture it is (the inspector's checkboxes join by keyboard)
        role="img"
        aria-label={`connect a router to ${model.name}`}
      />
      <ProblemList problems={model.problems} className="cv-subnet-problems" />
    </div>
  );
});
