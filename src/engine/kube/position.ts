/**
 * Canvas positions ride in an annotation on exported Pods and Services, so a YAML export
 * imports back to the same drawing. Annotations are the API's place for data of other tools
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/).
 */
import type { DocPosition } from './document';

export const POSITION_ANNOTATION = 'podhop.dev/position';

export const positionText = (p: DocPosition): string => `${p.x},${p.y}`;

export function parsePosition(text: string | undefined): DocPosition | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*,\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*$/i.exec(
    text,
  );
  if (!m) return undefined;
  const x = Number(m[1]);
  const y = Number(m[2]);
  return Number.isFinite(x) && Number.isFinite(y) ? { x, y } : undefined;
}
