import LZString from 'lz-string';
import { err, ok, type Result } from '../result';
import { LOAD_LIMITS, loadScenarioDocument, type LoadError } from './load';
import { DEFAULT_CLUSTER } from './defaults';
import type { Position, Scenario } from './types';

/**
 * A share link carries the whole scenario (and, optionally, the packet being
 * played and the hop on screen) in the URL fragment: `#v1.<lz-string>`. The
 * fragment never reaches a server. Decoding goes through the same pipeline as
 * a file, so a hostile link is only ever data.
 */
export const LINK_VERSION = 1;
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

type Row = readonly unknown[];
/** A position as it rides in a link: whole pixels the loader accepts (a lost one is two nulls). */
const coord = (v: number) =>
  Math.min(LOAD_LIMITS.coordinate, Math.max(-LOAD_LIMITS.coordinate, Math.round(v)));
const xy = (p?: Position): Row =>
  !p ? [] : Number.isFinite(p.x) && Number.isFinite(p.y) ? [coord(p.x), coord(p.y)] : [null, null];
const orNull = <T>(v: T | undefined) => (v === undefined ? null : v);
const some = <T>(v: unknown): T | undefined =>
  v === null || v === undefined ? undefined : (v as T);
/** No position is two nulls (or nothing); anything else goes to the loader, which says what is wrong. */
const pos = (row: Row, at: number) =>
  some(row[at]) === undefined && some(row[at + 1]) === undefined
    ? {}
    : { position: { x: row[at], y: row[at + 1] } };

/**
 * Rows instead of objects, defaults left out: the seed scenario's link must
 * stay short enough to paste anywhere (under 600 characters).
 */
function compact(s: Scenario): Record<string, unknown> {
  const cluster = Object.fromEntries(
    Object.entries(s.cluster).filter(
      ([k, v]) => DEFAULT_CLUSTER[k as keyof typeof DEFAULT_CLUSTER] !== v,
    ),
  );
  return {
    c: cluster,
    s: s.subnets.map((x) => [
      x.name,
      x.cidr,
      x.gateway,
      x.srcDstCheck ? 1 : 0,
      orNull(x.mtu),
      ...xy(x.position),
    ]),
    r: s.routers.map((x) => [x.name, x.subnets, ...xy(x.position)]),
    n: s.nodes.map((x) => [
      x.name,
      x.subnet,
      x.ip,
      orNull(x.podCidr),
      x.podCidrPinned ? 1 : 0,
      orNull(x.lastReservedIp),
      ...xy(x.position),
    ]),
    p: s.pods.map((x) => [
      x.name,
      x.node,
      orNull(x.ip),
      orNull(x.labels),
      x.containers.map((c) => [
        c.name,
        c.image,
        c.ports ? c.ports.map((q) => [q.containerPort, q.protocol ?? 'TCP', orNull(q.name)]) : null,
      ]),
      // the flag rides after the position (null, null when there is none), the namespace
      // after the flag: a format-1 link's rows stay what they were
      ...podTail(x),
    ]),
    v: s.services.map((x) => [
      x.name,
      orNull(x.namespace),
      x.selector,
      x.ports.map((q) => [
        orNull(q.name),
        q.port,
        q.targetPort,
        q.protocol === 'UDP' ? 'UDP' : null,
      ]),
      orNull(x.clusterIP),
      ...xy(x.position),
    ]),
    ...(s.namespaces?.length
      ? { ns: s.namespaces.map((n) => [n.name, withoutMetadataName(n.labels, n.name)]) }
      : {}),
    ...(s.networkPolicies?.length ? { np: s.networkPolicies } : {}),
  };
}

function podTail(x: Scenario['pods'][number]): Row {
  const at = x.position ? xy(x.position) : [null, null];
  if (x.namespace !== undefined) return [...at, x.shareProcessNamespace ? 1 : null, x.namespace];
  return x.shareProcessNamespace ? [...at, 1] : xy(x.position);
}

/** The label the API server adds (and the loader adds back) rides in no link. */
function withoutMetadataName(labels: Readonly<Record<string, string>> | undefined, name: string) {
  const rest = Object.entries(labels ?? {}).filter(
    ([k, v]) => !(k === 'kubernetes.io/metadata.name' && v === name),
  );
  return rest.length ? Object.fromEntries(rest) : null;
}

const rows = (v: unknown): Row[] =>
  Array.isArray(v) ? v.filter((r): r is Row => Array.isArray(r)) : [];

/** Back to the document shape the loader checks (it validates every field). */
function expand(o: Record<string, unknown>): Record<string, unknown> {
  return {
    // the rows are format 1's with format 2's namespace fields appended: the loader migrates
    version: 1,
    cluster: {
      ...DEFAULT_CLUSTER,
      ...(typeof o['c'] === 'object' && o['c'] !== null ? o['c'] : {}),
    },
    subnets: rows(o['s']).map((r) => ({
      name: r[0],
      cidr: r[1],
      gateway: r[2],
      srcDstCheck: r[3] === 1,
      ...(some(r[4]) === undefined ? {} : { mtu: r[4] }),
      ...pos(r, 5),
    })),
    routers: rows(o['r']).map((r) => ({ name: r[0], subnets: r[1], ...pos(r, 2) })),
    nodes: rows(o['n']).map((r) => ({
      name: r[0],
      subnet: r[1],
      ip: r[2],
      ...(some(r[3]) === undefined ? {} : { podCidr: r[3] }),
      ...(r[4] === 1 ? { podCidrPinned: true } : {}),
      ...(some(r[5]) === undefined ? {} : { lastReservedIp: r[5] }),
      ...pos(r, 6),
    })),
    pods: rows(o['p']).map((r) => ({
      name: r[0],
      node: r[1],
      ...(some(r[2]) === undefined ? {} : { ip: r[2] }),
      ...(some(r[3]) === undefined ? {} : { labels: r[3] }),
      containers: rows(r[4]).map((c) => ({
        name: c[0],
        image: c[1],
        ...(Array.isArray(c[2])
          ? {
              ports: rows(c[2]).map((q) => ({
                containerPort: q[0],
                protocol: q[1],
                ...(some(q[2]) === undefined ? {} : { name: q[2] }),
              })),
            }
          : {}),
      })),
      ...pos(r, 5),
      ...(r[7] === 1 ? { shareProcessNamespace: true } : {}),
      ...(some(r[8]) === undefined ? {} : { namespace: r[8] }),
    })),
    services: rows(o['v']).map((r) => ({
      name: r[0],
      ...(some(r[1]) === undefined ? {} : { namespace: r[1] }),
      selector: r[2],
      ports: rows(r[3]).map((q) => ({
        ...(some(q[0]) === undefined ? {} : { name: q[0] }),
        port: q[1],
        targetPort: q[2],
        protocol: q[3] ?? 'TCP',
      })),
      ...(some(r[4]) === undefined ? {} : { clusterIP: r[4] }),
      ...pos(r, 5),
    })),
    namespaces: rows(o['ns']).map((r) => ({
      name: r[0],
      ...(some(r[1]) === undefined ? {} : { labels: r[1] }),
    })),
    ...(o['np'] === undefined ? {} : { networkPolicies: o['np'] }),
  };
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
  const loaded = loadScenarioDocument(expand(o));
  if (!loaded.ok) return loaded;
  const play = readPlay(o['play']);
  return ok({ scenario: loaded.value, ...(play ? { play } : {}) });
}
