import { DEFAULT_CLUSTER } from './defaults';

/**
 * Link version 1, frozen: the hand-laid rows links carried before the schema
 * (schema.ts) laid them out. Only read, never written, so that every link made
 * by an older release keeps opening. It gives back the document the loader
 * checks (format 1, with format 2's namespace fields appended to the rows).
 */
type Row = readonly unknown[];

const some = <T>(v: unknown): T | undefined =>
  v === null || v === undefined ? undefined : (v as T);
/** No position is two nulls (or nothing); anything else goes to the loader, which says what is wrong. */
const pos = (row: Row, at: number) =>
  some(row[at]) === undefined && some(row[at + 1]) === undefined
    ? {}
    : { position: { x: row[at], y: row[at + 1] } };
const rows = (v: unknown): Row[] =>
  Array.isArray(v) ? v.filter((r): r is Row => Array.isArray(r)) : [];

export function expandLinkV1(o: Record<string, unknown>): Record<string, unknown> {
  const namespaces = rows(o['ns']).map((r) => ({
    name: r[0],
    ...(some(r[1]) === undefined ? {} : { labels: r[1] }),
  }));
  return {
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
    // a v1 link without namespaces held none (the loader leaves the field out then too)
    ...(namespaces.length ? { namespaces } : {}),
    ...(o['np'] === undefined ? {} : { networkPolicies: o['np'] }),
  };
}
