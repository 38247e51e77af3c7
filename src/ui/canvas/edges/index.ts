import type { EdgeTypes } from '@xyflow/react';
import { ServiceEdge } from './ServiceEdge';

/** Defined once at module level, like nodeTypes. */
export const edgeTypes = {
  service: ServiceEdge,
} satisfies EdgeTypes;
