import { Handle, Position, type NodeProps } from '@xyflow/react';
import { ProblemList } from './ProblemList';
import { memo } from 'react';
import type { ServiceFlowNode } from '../layout';
import { marks, useActive, useSelected } from './marks';

/**
 * A Service: a ClusterIP on no device, only in kube-proxy's rules. It floats
 * outside the subnets; dashed edges run to the endpoints its rules DNAT to.
 */
export const ServiceNode = memo(function ServiceNode({ id, data }: NodeProps<ServiceFlowNode>) {
  const { model } = data;
  const active = useActive(id);
  const selected = useSelected('service', model.name);
  const endpoints = new Set(model.ports.flatMap((p) => p.endpoints.map((e) => e.pod)));
  return (
    <div
      className="cv-service"
      data-testid={`rf-service-${model.name}`}
      data-endpoints={endpoints.size}
      {...marks(active, selected)}
    >
      <div className="cv-title">
        <span className="cv-kind">service</span>
        <strong className="cv-name">{model.name}</strong>
      </div>
      <ul className="cv-svc-ports">
        {model.ports.length === 0 && <li className="cv-muted cv-small">no ports</li>}
        {model.ports.map((p) => (
          <li
            key={`${p.portName}|${p.port}`}
            className="cv-mono"
            title={`${p.portName} ${p.protocol}`}
          >
            {model.clusterIP ?? '<pending>'}:{p.port} → {p.targetPort}
            {p.nodePort !== undefined && (
              <span
                className="cv-muted cv-svc-nodeport"
                data-testid={`service-nodeport-${model.name}`}
              >
                every node :{p.nodePort}
              </span>
            )}
          </li>
        ))}
      </ul>
      <div className="cv-small cv-detail" data-testid={`service-endpoint-count-${model.name}`}>
        {!model.resolved ? (
          <span className="cv-muted">endpoints unknown</span>
        ) : endpoints.size === 0 ? (
          <strong className="cv-drop">no endpoints</strong>
        ) : (
          <span>
            {endpoints.size} endpoint{endpoints.size === 1 ? '' : 's'}
          </span>
        )}
      </div>
      <div className="cv-small cv-muted cv-detail cv-svc-selector">
        selector <span className="cv-mono">{model.selector || '(none)'}</span>
      </div>
      <ProblemList problems={model.problems} />
      <Handle
        id="endpoints"
        type="source"
        position={Position.Bottom}
        isConnectable={false}
        className="cv-port"
      />
    </div>
  );
});
