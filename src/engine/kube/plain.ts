import { err, ok, type Result } from '../result';
import type { KubeError } from './errors';

/**
 * Keys that reach an object's prototype when assigned with `o[key] = v`. A file may carry them
 * (JSON.parse keeps `__proto__` as an own key); they are dropped so no later copy can pollute
 * Object.prototype. No Kubernetes field has these names.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type PlainValue = string | number | boolean | null | PlainObject | readonly PlainValue[];
export interface PlainObject {
  readonly [key: string]: PlainValue;
}

class TooDeep {
  constructor(readonly depth: number) {}
}

/**
 * A copy of parsed data made of null-prototype objects, arrays and scalars only, at most
 * `maxDepth` collections deep. Recursion stops at the limit, so a deep input cannot
 * overflow the stack here.
 */
export function plainCopy(value: unknown, maxDepth: number): Result<PlainValue, KubeError> {
  try {
    return ok(copy(value, 0, maxDepth));
  } catch (e) {
    if (e instanceof TooDeep)
      return err({
        kind: 'tooDeep',
        text: `the objects are nested deeper than ${maxDepth} levels (no Kubernetes object is); podhop does not read them`,
      });
    throw e;
  }
}

function copy(value: unknown, depth: number, maxDepth: number): PlainValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  // yaml's core schema can give a bigint only when asked to; a Date never (no timestamp tag)
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object') return null;
  if (depth >= maxDepth) throw new TooDeep(depth);
  if (Array.isArray(value)) {
    const out: PlainValue[] = new Array<PlainValue>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i], depth + 1, maxDepth);
    return out;
  }
  const out = Object.create(null) as Record<string, PlainValue>;
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) continue;
    out[key] = copy((value as Record<string, unknown>)[key], depth + 1, maxDepth);
  }
  return out;
}
