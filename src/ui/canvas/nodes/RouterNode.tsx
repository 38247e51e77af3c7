import { Handle, Position, type NodeProps } from '@xyflow/react';
import { ProblemList } from './ProblemList';
import { memo } from 'react';
import type { RouterFlowNode } from '../layout';
import { marks, useActive, useSelected } from './marks';

/** An underlay router: one interface per subnet it joins, each holding that subnet's gateway. */
export const RouterNode = memo(function RouterNode({ id, data }: NodeProps<RouterFlowNode>) {
  const { model } = data;
  const active = useActive(id);
  const selected = useSelected('router', model.name);
  return (
    <div className="cv-router" data-testid={`rf-router-${model.name}`} {...marks(active, selected)}>
      <div className="cv-title">
        <span className="cv-kind">router</span>
        <strong className="cv-name">{model.name}</strong>
      </div>
      {model.interfaces.length === 0 ? (
        <div className="cv-muted cv-small">no interfaces: drag from ● to a subnet</div>
      ) : (
        <ul className="cv-ifaces">
          {model.interfaces.map((i) => (
            <li key={i.subnet} title={`${i.dev ?? ''} on ${i.subnet}`}>
              {i.dev && <span className="cv-dev-name">{i.dev}</span>}
              {i.addr && <span className="cv-mono">{i.addr}</span>}
              <span className="cv-muted">→ {i.subnet}</span>
            </li>
          ))}
        </ul>
      )}
      <ProblemList problems={model.problems} />
      <Handle
        id="down"
        type="source"
        position={Position.Bottom}
        className="cv-connect"
        title="Drag to a subnet to connect"
        // a pointer's drag handle, named as the picture it is (the inspector's checkboxes join by keyboard)
        role="img"
        aria-label={`connect ${model.name} to a subnet`}
      />
    </div>
  );
});
