import { Handle, Position, type NodeProps } from '@xyflow/react';
import { ProblemList } from './ProblemList';
import { memo } from 'react';
import type { PodFlowNode } from '../layout';
import { sameIpText } from '../geometry';
import { marks, useActive, useSelected } from './marks';
import { useApp } from '../../storeContext';
import { policyKey, selectPolicySelects } from '../../../store/policies';

/** A pod: one network namespace (eth0, one IP) shared by all its containers. */
export const PodNode = memo(function PodNode({ id, data }: NodeProps<PodFlowNode>) {
  const { model } = data;
  const active = useActive(id);
  const selected = useSelected('pod', model.name);
  // the picked NetworkPolicy selects this pod
  const byPolicy = useApp((s) => selectPolicySelects(s).has(policyKey(model.name)));
  const status = model.status;
  return (
    <div
      className="cv-pod"
      data-testid={`rf-pod-${model.name}`}
      {...marks(active, selected)}
      data-policy-selected={byPolicy || undefined}
    >
      <Handle
        id="veth"
        type="source"
        position={Position.Right}
        isConnectable={false}
        className="cv-port"
      />
      {/* where a Service's endpoint edge ends */}
      <Handle
        id="svc"
        type="target"
        position={Position.Top}
        isConnectable={false}
        className="cv-port"
      />
      <div className="cv-title">
        <span className="cv-kind">pod</span>
        <strong className="cv-name">{model.name}</strong>
      </div>
      <div
        className="cv-pod-status cv-detail"
        data-testid={`pod-status-${model.name}`}
        data-phase={status?.status ?? 'Unknown'}
      >
        <span className="cv-phase">
          {status?.status ?? (model.refused ? 'not created' : 'not built')}
        </span>
        {status && model.containers.length > 1 && (
          <span className="cv-muted" title="READY: app containers ready (pause not counted)">
            {' '}
            {status.ready}
          </span>
        )}
        {status?.message && <div className="cv-drop cv-small">{status.message}</div>}
      </div>
      <div className="cv-small cv-detail">
        <span className="cv-dev-name">eth0</span>{' '}
        {model.ip ? (
          <>
            <span className="cv-mono" data-testid={`pod-ip-${model.name}`}>
              {model.ip}
            </span>
            <span className="cv-mono cv-muted">/{model.ipLen}</span>
          </>
        ) : (
          <span className="cv-muted" data-testid={`pod-ip-${model.name}`}>
            no IP
          </span>
        )}
      </div>
      <ul className="cv-containers cv-detail">
        {model.containers.map((c) => (
          <li key={c.name}>
            {c.name} {c.ports && <span className="cv-mono cv-muted">{c.ports}</span>}
          </li>
        ))}
      </ul>
      <ProblemList problems={[...sameIpText(model), ...model.problems]} className="cv-detail" />
    </div>
  );
});
