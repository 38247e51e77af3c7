/**
 * Reading fields of objects whose shape nobody promised: every accessor answers `undefined`
 * for a missing or mistyped field, so the importer skips what it cannot read instead of failing.
 */
export type Obj = Readonly<Record<string, unknown>>;

export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const objAt = (o: Obj | undefined, key: string): Obj | undefined => {
  const v = o?.[key];
  return isObj(v) ? v : undefined;
};

export const strAt = (o: Obj | undefined, key: string): string | undefined => {
  const v = o?.[key];
  return typeof v === 'string' ? v : undefined;
};

export const numAt = (o: Obj | undefined, key: string): number | undefined => {
  const v = o?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

export const listAt = (o: Obj | undefined, key: string): readonly unknown[] => {
  const v = o?.[key];
  return Array.isArray(v) ? v : [];
};

export const objsAt = (o: Obj | undefined, key: string): readonly Obj[] =>
  listAt(o, key).filter(isObj);

/** A string map (labels, annotations, a selector); entries that are not strings are dropped. */
export function stringMapAt(o: Obj | undefined, key: string): Record<string, string> {
  const m = objAt(o, key);
  const out: Record<string, string> = {};
  if (!m) return out;
  for (const k of Object.keys(m)) {
    const v = m[k];
    // parseKubeText already dropped prototype keys; this keeps fields.ts safe on its own
    if (typeof v === 'string' && k !== '__proto__') out[k] = v;
  }
  return out;
}

export const isEmpty = (m: Readonly<Record<string, string>>): boolean => {
  for (const _k in m) return false;
  return true;
};

/** `metadata.namespace`, `default` when left out (as kubectl apply fills it in). */
export const namespaceOf = (o: Obj): string =>
  strAt(objAt(o, 'metadata'), 'namespace') || 'default';

export const nameOf = (o: Obj): string | undefined => strAt(objAt(o, 'metadata'), 'name');

/** "12 hostNetwork pods" / "1 hostNetwork pod" */
export const count = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The first few items of a list and "… and N more", for notes that stay one line. */
export function sample(items: readonly string[], shown = 3): string {
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}
