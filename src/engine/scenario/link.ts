import LZString from 'lz-string';
import { err, ok, type Result } from '../result';
import type * as v from 'valibot';
import { loadScenarioDocument, type LoadError } from './load';
import { expandLinkV1 } from './linkV1';
import { LOAD_LIMITS, PositionSchema, ScenarioSchema, SCENARIO_VERSION } from './schema';
import type { Position, Scenario } from './types';

/**
 * A share link carries the whole scenario (and, optionally, the packet being
 * played and the hop on screen) in the URL fragment: `#v2.<lz-string>`. The
 * fragment never reaches a server. Decoding goes through the same pipeline as
 * a file, so a hostile link is only ever data.
 */
export const LINK_VERSION = 2;
const PREFIX = `v${LINK_VERSION}.`;
/** Larger fragments are refused before decompression (a zip bomb stays a string). */
export const MAX_LINK_CHARS = 200_000;
export const MAX_DECODED_CHARS = 5_000_000;

export interface LinkedPlay {
  readonly from: string;
  readonly dst: string;
  /** the destination picked by name (pod, node, `service/<name>`), when it was */
  readonly to?: string;
  readonly protocol: 'icmp' | 'udp' | 'tcp' | 'traceroute';
  readonly dport?: number;
  readonly hop?: number;
}

export interface LinkPayload {
  readonly scenario: Scenario;
  readonly play?: LinkedPlay;
}

export type LinkError = LoadError | { readonly kind: 'badLink'; readonly text: string };

/**
 * A scenario rides as rows, not objects: each object is its fields' values in
 * the order schema.ts declares them, a field at its default is `null`, and
 * trailing nulls are cut. That keeps the seed's link short enough to paste
 * anywhere (under 600 characters), and a field added last to an object keeps
 * old links meaning what they meant. The codec reads the schema's structure
 * only; what a cell must hold is the loader's to check.
 */
type Row = readonly unknown[];
interface SchemaShape {
  readonly type: string;
  readonly entries?: Readonly<Record<string, SchemaShape>>;
  readonly item?: SchemaShape;
  readonly wrapped?: SchemaShape;
  readonly default?: unknown;
  readonly pipe?: readonly {
    readonly kind: string;
    readonly type: string;
    readonly item?: SchemaShape;
  }[];
}
const shapeOf = (s: v.GenericSchema) => s as unknown as SchemaShape;
const POSITION = shapeOf(PositionSchema);

/** The links' short names of the scenario's lists (the compiler asks for one per field). */
const LINK_KEYS = {
  cluster: 'c',
  subnets: 's',
  routers: 'r',
  nodes: 'n',
  pods: 'p',
  services: 'v',
  namespaces: 'ns',
  networkPolicies: 'np',
  endpointSlices: 'es',
} as const satisfies Record<Exclude<keyof typeof ScenarioSchema.entries, 'version'>, string>;

function unwrapOptional(s: SchemaShape): { inner: SchemaShape; fallback: unknown } {
  return s.type === 'optional' && s.wrapped
    ? { inner: s.wrapped, fallback: s.default }
    : { inner: s, fallback: undefined };
}
/** The entries' schema of a list; schema.ts counts a list before reading it (pipes in pipes). */
function itemOf(s: SchemaShape): SchemaShape | undefined {
  const read = [...(s.pipe ?? [])]
    .reverse()
    .find((p) => p !== s && p.kind === 'schema' && p.type === 'array');
  return read ? itemOf(read as SchemaShape) : s.item;
}
const isDefault = (value: unknown, fallback: unknown) =>
  value === fallback ||
  (Array.isArray(fallback) && fallback.length === 0 && Array.isArray(value) && value.length === 0);
/** A position as it rides in a link: whole pixels the loader accepts (a lost one is none). */
const coord = (n: number) =>
  Math.min(LOAD_LIMITS.coordinate, Math.max(-LOAD_LIMITS.coordinate, Math.round(n)));

function toCell(schema: SchemaShape, value: unknown): unknown {
  const { inner, fallback } = unwrapOptional(schema);
  if (value === undefined || isDefault(value, fallback)) return null;
  if (inner === POSITION) {
    const p = value as Position;
    return Number.isFinite(p.x) && Number.isFinite(p.y) ? [coord(p.x), coord(p.y)] : null;
  }
  if (inner.type === 'object' && inner.entries) return toRow(inner.entries, value as object);
  if (inner.type === 'array' && Array.isArray(value)) {
    const item = itemOf(inner);
    return item ? value.map((x) => toCell(item, x)) : value;
  }
  if (inner.type === 'boolean') return value ? 1 : 0;
  return value;
}

function toRow(entries: Readonly<Record<string, SchemaShape>>, o: object): Row {
  const values = o as Record<string, unknown>;
  const row = Object.entries(entries).map(([k, s]) => toCell(s, values[k]));
  while (row.length && row[row.length - 1] === null) row.pop();
  return row;
}

/** Back to the document the loader checks; null is "not written", anything odd is left for it. */
function fromCell(schema: SchemaShape, cell: unknown): unknown {
  if (cell === null || cell === undefined) return undefined;
  const { inner } = unwrapOptional(schema);
  if (inner === POSITION && Array.isArray(cell)) return { x: cell[0], y: cell[1] };
  if (inner.type === 'object' && inner.entries && Array.isArray(cell))
    return fromRow(inner.entries, cell);
  if (inner.type === 'array' && Array.isArray(cell)) {
    const item = itemOf(inner);
    return item ? cell.map((c) => (c === null ? null : fromCell(item, c))) : cell;
  }
  if (inner.type === 'boolean') return cell === 1 ? true : cell === 0 ? false : cell;
  return cell;
}

function fromRow(entries: Readonly<Record<string, SchemaShape>>, row: Row) {
  const out: Record<string, unknown> = {};
  Object.entries(entries).forEach(([k, s], i) => {
    const value = fromCell(s, row[i]);
    if (value !== undefined) out[k] = value;
  });
  return out;
}

const SCENARIO_ENTRIES = ScenarioSchema.entries as unknown as Record<string, SchemaShape>;

function compact(s: Scenario): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(LINK_KEYS)) {
    const schema = SCENARIO_ENTRIES[field];
    const cell = schema ? toCell(schema, (s as unknown as Record<string, unknown>)[field]) : null;
    if (cell !== null && !(Array.isArray(cell) && cell.length === 0 && field === 'cluster'))
      out[key] = cell;
  }
  return out;
}

function expand(o: Record<string, unknown>): Record<string, unknown> {
  const doc: Record<string, unknown> = { version: SCENARIO_VERSION };
  for (const [field, key] of Object.entries(LINK_KEYS)) {
    const schema = SCENARIO_ENTRIES[field];
    const value = schema ? fromCell(schema, o[key]) : undefined;
    if (value !== undefined) doc[field] = value;
  }
  return doc;
}

export function encodeLink(payload: LinkPayload): string {
  const doc = { ...compact(payload.scenario), ...(payload.play ? { play: payload.play } : {}) };
  return PREFIX + LZString.compressToEncodedURIComponent(JSON.stringify(doc));
}

function readPlay(p: unknown): LinkedPlay | undefined {
  if (typeof p !== 'object' || p === null) return undefined;
  const o = p as Record<string, unknown>;
  const protocols = ['icmp', 'udp', 'tcp', 'traceroute'];
  if (
    typeof o['from'] !== 'string' ||
    typeof o['dst'] !== 'string' ||
    !protocols.includes(o['protocol'] as string)
  )
    return undefined;
  const dport =
    typeof o['dport'] === 'number' && Number.isInteger(o['dport']) ? { dport: o['dport'] } : {};
  const hop =
    typeof o['hop'] === 'number' && Number.isInteger(o['hop']) && o['hop'] >= 0
      ? { hop: o['hop'] }
      : {};
  const to = typeof o['to'] === 'string' ? { to: o['to'].slice(0, 261) } : {};
  return {
    from: o['from'].slice(0, 253),
    dst: o['dst'].slice(0, 64),
    ...to,
    protocol: o['protocol'] as LinkedPlay['protocol'],
    ...dport,
    ...hop,
  };
}

/** `fragment` is what follows `#` (with or without it). */
export function decodeLink(fragment: string): Result<LinkPayload, LinkError> {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (text.length > MAX_LINK_CHARS)
    return err({
      kind: 'badLink',
      text: `this link is ${text.length} characters long; podhop opens links up to ${MAX_LINK_CHARS}`,
    });
  const m = /^v(\d+)\.(.*)$/s.exec(text);
  if (!m) return err({ kind: 'badLink', text: 'this link does not hold a podhop scenario' });
  // the digits as written: Number() of a long run is Infinity, and a notice should not say so
  const digits = (m[1] ?? '').replace(/^0+(?=\d)/, '');
  if (digits.length > 6)
    return err({
      kind: 'tooNew',
      text: `this link has a link version this podhop does not know (this one reads up to ${LINK_VERSION})`,
    });
  if (Number(digits) > LINK_VERSION)
    return err({
      kind: 'tooNew',
      text: `this link was made by a newer podhop (link version ${digits}; this one reads up to ${LINK_VERSION})`,
    });
  let json: string | null;
  try {
    json = LZString.decompressFromEncodedURIComponent(m[2] ?? '');
  } catch {
    json = null;
  }
  if (!json)
    return err({
      kind: 'badLink',
      text: 'this link is broken or truncated: its scenario could not be decompressed',
    });
  if (json.length > MAX_DECODED_CHARS)
    return err({ kind: 'tooLarge', text: 'this link unpacks to more than podhop opens' });
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return err({
      kind: 'badLink',
      text: 'this link is broken or truncated: its scenario is not valid JSON',
    });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return err({ kind: 'badLink', text: 'this link does not hold a podhop scenario' });
  const o = doc as Record<string, unknown>;
  const loaded = loadScenarioDocument(Number(digits) === 1 ? expandLinkV1(o) : expand(o));
  if (!loaded.ok) return loaded;
  const play = readPlay(o['play']);
  return ok({ scenario: loaded.value, ...(play ? { play } : {}) });
}
