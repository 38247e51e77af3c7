import { BaseEdge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ServiceFlowEdge } from '../layout';

/** How far before the pod (flow units) the port label sits: by the pod, clear of other labels. */
const LABEL_BACK = 22;

/**
 * A Service's link to one endpoint pod: a straight dashed line (it is a rule,
 * not a wire), faint until shown; then labelled with the targetPort near the pod.
 */
export const ServiceEdge = memo(function ServiceEdge({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  data,
  style,
  markerEnd,
}: EdgeProps<ServiceFlowEdge>) {
  const path = `M ${sourceX},${sourceY} L ${targetX},${targetY}`;
  const len = Math.hypot(targetX - sourceX, targetY - sourceY) || 1;
  const back = Math.min(LABEL_BACK, len / 2) / len;
  return (
    <BaseEdge
      id={id}
      path={path}
      style={style}
      markerEnd={markerEnd}
      label={data?.shown ? data.label : undefined}
      labelX={targetX - (targetX - sourceX) * back}
      labelY={targetY - (targetY - sourceY) * back}
      labelStyle={{ fontFamily: 'var(--mono)', fontSize: 10 }}
      labelBgPadding={[3, 1]}
      labelBgBorderRadius={3}
    />
  );
});
