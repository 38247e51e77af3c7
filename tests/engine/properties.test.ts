/**
 * Properties of the engine over small random clusters (fast-check): a trace
 * always ends in a verdict, building is deterministic and IPAM idempotent,
 * traceroute stops within 30 hops, and host-local never hands out one address
 * twice on a node.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  broadcastAddress,
  parseIp,
  parsePrefix,
  prefixContains,
  prefixFromBits,
} from '../../src/engine/addr/ip';
import { allocate } from '../../src/engine/ipam/allocate';
import { buildNetwork } from '../../src/engine/network/build';
import type { Network } from '../../src/engine/network/types';
import { parseScenarioJson, scenarioToJson } from '../../src/engine/scenario/load';
import type { Pod, PodName, Scenario } from '../../src/engine/scenario/types';
import type { WalkResult } from '../../src/engine/walk/walk';
import { outerIp } from '../../src/engine/walk/packet';
import { trace } from '../../src/engine/walk/probe';
import { traceroute, TRACEROUTE_MAX_HOPS } from '../../src/engine/walk/traceroute';
import { arbProbe, arbScenario } from './generate';

/** JSON that survives bigint (addresses carry their bits as bigint). */
const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));

function build(s: Scenario): Network {
  const r = buildNetwork(s);
  if (!r.ok) throw new Error(`generated scenario is invalid: ${json(r.problems)}`);
  return r.network;
}

/**
 * Whether a sender's socket sees `dst` as a broadcast (and refuses it without
 * SO_BROADCAST): 255.255.255.255, or the last address of one of the sender's
 * own subnets shorter than /31.
 */
function isBroadcastFor(net: Network, from: string, dst: string): boolean {
  const d = parseIp(dst);
  if (!d.ok) return false;
  if (d.value.bits === 0xffffffffn) return true;
  return (net.namespace(from)?.devices ?? []).some((dev) =>
    dev.addresses.some(
      (a) =>
        a.len < 31 && broadcastAddress(prefixFromBits(4, a.ip.bits, a.len)).bits === d.value.bits,
    ),
  );
}

/** Who answers a probe to `dst`: itself, except 0.0.0.0, which a socket connects to as 127.0.0.1. */
const answerer = (dst: string): string => (dst === '0.0.0.0' ? '127.0.0.1' : dst);

/** A scenario, its network, and a probe sent from one of the network's namespaces. */
const arbProbeCase = (probes: number) =>
  arbScenario().chain((s) => {
    const net = build(s);
    return fc.record({
      scenario: fc.constant(s),
      probes: fc.array(arbProbe(s, net.namespaceNames), { minLength: 1, maxLength: probes }),
    });
  });

/** generous: the file runs in a couple of seconds, but CI machines can be slow */
const TIMEOUT = 30_000;

const TERMINAL = new Set(['deliver', 'drop']);

/** One leg of a trace: non-empty, ends with a deliver/drop hop that agrees with how the walk ended. */
function checkLeg(leg: WalkResult, legs: readonly string[]): void {
  expect(leg.hops.length).toBeGreaterThan(0);
  const last = leg.hops[leg.hops.length - 1]!;
  expect(TERMINAL.has(last.action), `last hop is "${last.action}": ${last.title}`).toBe(true);
  expect(last.action).toBe(leg.end.kind === 'delivered' ? 'deliver' : 'drop');
  expect(last.namespace).toBe(leg.end.namespace);
  for (const h of leg.hops.slice(0, -1))
    expect(TERMINAL.has(h.action), `a "${h.action}" hop before the end: ${h.title}`).toBe(false);
  for (const h of leg.hops) expect(legs).toContain(h.leg);
  if (last.action === 'drop') expect(last.reason ?? '').not.toBe('');
}

/**
 * Routing decrements the TTL of the packet it forwards; bridging and VXLAN
 * (a new outer header) do not touch the inner TTL. So the TTL a delivered
 * packet arrives with is its first TTL minus the forwards of the packet itself.
 */
function checkTtl(leg: WalkResult, firstTtl: number): void {
  if (leg.end.kind !== 'delivered') return;
  const innerForwards = leg.hops.filter(
    (h) => h.action === 'forward' && !h.headers.some((l) => l.kind === 'vxlan'),
  ).length;
  expect(outerIp(leg.end.packet).ttl).toBe(firstTtl - innerForwards);
}

describe('a trace always ends in a verdict', () => {
  it(
    'ping/udp/tcp from any namespace to any address: hops end in deliver or drop, verdict text is set',
    () => {
      fc.assert(
        fc.property(arbProbeCase(6), ({ scenario, probes }) => {
          const net = build(scenario);
          for (const p of probes) {
            const r = trace(net, p);
            if (!r.ok && r.error.kind === 'broadcast' && isBroadcastFor(net, p.from, p.dst))
              continue;
            if (!r.ok) throw new Error(`trace refused a valid probe ${json(p)}: ${r.error.text}`);
            const t = r.value;
            expect(typeof t.verdict.ok).toBe('boolean');
            expect(t.verdict.text.trim()).not.toBe('');
            checkLeg(t.request, ['request']);
            if (t.response) checkLeg(t.response, ['reply', 'error']);
            expect(t.hops).toEqual([...t.request.hops, ...(t.response?.hops ?? [])]);
            // the request starts where it was sent; the answer where the request ended
            expect(t.request.hops[0]!.namespace).toBe(p.from);
            if (t.response) expect(t.response.hops[0]!.namespace).toBe(t.request.end.namespace);
            // a good verdict needs the request to have arrived and an answer to have come back
            if (t.verdict.ok) {
              expect(t.request.end.kind).toBe('delivered');
              if (t.response) {
                expect(t.response.end.kind).toBe('delivered');
                expect(t.response.end.namespace).toBe(p.from);
              }
            }
            // iputils: "64 bytes from <dst>: icmp_seq=1 ttl=<the reply's TTL on arrival>"
            if (p.protocol === 'icmp' && t.verdict.ok && t.response) {
              const ttl = outerIp(t.response.end.packet).ttl;
              expect(t.verdict.text).toBe(
                `${(p.size ?? 56) + 8} bytes from ${answerer(p.dst)}: icmp_seq=1 ttl=${ttl}`,
              );
            }
            checkTtl(t.request, p.ttl ?? 64);
            // answers and ICMP errors leave with TTL 64 (net.ipv4.ip_default_ttl)
            if (t.response) checkTtl(t.response, 64);
          }
        }),
        { numRuns: 500 },
      );
    },
    TIMEOUT,
  );
});

describe('building is deterministic', () => {
  it(
    'two builds print the same tables, whatever order the namespaces are looked at in',
    () => {
      fc.assert(
        fc.property(arbScenario(), (s) => {
          const a = build(s);
          const b = build(s);
          expect(b.namespaceNames).toEqual(a.namespaceNames);
          // b is built lazily in the reverse order: laziness must not leak into the tables
          const reversed = [...b.namespaceNames].reverse().map((n) => [n, json(b.namespace(n))]);
          const forward = new Map(a.namespaceNames.map((n) => [n, json(a.namespace(n))]));
          for (const [name, text] of reversed) expect(text, name).toBe(forward.get(name!));
          const segments = new Set(
            a.namespaceNames.flatMap((n) => a.namespace(n)?.devices.map((d) => d.segment) ?? []),
          );
          for (const id of segments)
            if (id !== undefined) expect(json(b.segment(id)), id).toBe(json(a.segment(id)));
          expect(json(b.events)).toBe(json(a.events));
          expect(json([...b.podStatus])).toBe(json([...a.podStatus]));
        }),
        { numRuns: 300 },
      );
    },
    TIMEOUT,
  );

  it(
    'allocate() is idempotent: allocating an allocated scenario changes nothing',
    () => {
      fc.assert(
        fc.property(arbScenario(), (s) => {
          const once = allocate(s);
          const twice = allocate(once.scenario);
          expect(twice.scenario).toEqual(once.scenario);
          expect(json([...twice.podIp])).toBe(json([...once.podIp]));
          expect(json([...twice.podStatus])).toBe(json([...once.podStatus]));
          expect(json([...twice.bridgeRange])).toBe(json([...once.bridgeRange]));
          // a stored IP host-local could not give is replaced once, and said once (SandboxChanged)
          expect(twice.events).toEqual(once.events.filter((e) => e.reason !== 'SandboxChanged'));
        }),
        { numRuns: 500 },
      );
    },
    TIMEOUT,
  );

  it(
    'the network built from the stored allocation is the network built from the bare scenario',
    () => {
      fc.assert(
        fc.property(arbScenario(), (s) => {
          const a = build(s);
          const b = build(a.scenario);
          expect(b.namespaceNames).toEqual(a.namespaceNames);
          for (const n of a.namespaceNames)
            expect(json(b.namespace(n)), n).toBe(json(a.namespace(n)));
        }),
        { numRuns: 300 },
      );
    },
    TIMEOUT,
  );
});

describe('export and load', () => {
  it(
    'an exported scenario loads back into the same network, whatever was allocated or refused',
    () => {
      fc.assert(
        fc.property(arbScenario(), (s) => {
          const a = build(s);
          const loaded = parseScenarioJson(scenarioToJson(a.scenario));
          if (!loaded.ok) throw new Error(`export does not load: ${loaded.error.text}`);
          const b = build(loaded.value);
          expect(b.scenario).toEqual(a.scenario);
          expect(b.namespaceNames).toEqual(a.namespaceNames);
          for (const n of a.namespaceNames)
            expect(json(b.namespace(n)), n).toBe(json(a.namespace(n)));
          expect(json([...b.podStatus])).toBe(json([...a.podStatus]));
          // a stored IP host-local could not give was replaced in a, and said there only
          expect(json(b.events)).toBe(json(a.events.filter((e) => e.reason !== 'SandboxChanged')));
        }),
        { numRuns: 300 },
      );
    },
    TIMEOUT,
  );
});

describe('traceroute', () => {
  it(
    `ends within ${TRACEROUTE_MAX_HOPS} hops, one probe per TTL from 1 up`,
    () => {
      fc.assert(
        fc.property(arbProbeCase(2), ({ scenario, probes }) => {
          const net = build(scenario);
          for (const p of probes) {
            const r = traceroute(net, p.from, p.dst);
            if (!r.ok && r.error.kind === 'broadcast' && isBroadcastFor(net, p.from, p.dst))
              continue;
            if (!r.ok) throw new Error(`traceroute refused ${p.from} → ${p.dst}: ${r.error.text}`);
            const { hops, reached } = r.value;
            expect(hops.length).toBeGreaterThan(0);
            expect(hops.length).toBeLessThanOrEqual(TRACEROUTE_MAX_HOPS);
            expect(hops.map((h) => h.ttl)).toEqual(hops.map((_, i) => i + 1));
            if (reached) {
              const last = hops[hops.length - 1]!;
              // the target answers (ICMP port unreachable) from its own address
              expect(last.from?.text).toBe(answerer(r.value.dst.text));
              expect(last.mark).toBeUndefined();
            }
            // only the last hop may carry an unreachable mark: it ends the run
            for (const h of hops.slice(0, -1)) expect(h.mark).toBeUndefined();
          }
        }),
        { numRuns: 200 },
      );
    },
    TIMEOUT,
  );
});

function runningPods(net: Network): Pod[] {
  return net.scenario.pods.filter((p) => net.podStatus.get(p.name)?.phase === 'Running');
}

/** Under cluster IPAM: one address per running pod, unique on the node and in the cluster, inside the node's podCIDR, never the network, gateway or broadcast address. */
function checkPodIps(net: Network): void {
  const s = net.scenario;
  const seen = new Map<string, PodName>();
  const perNode = new Map<string, number>();
  for (const p of runningPods(net)) {
    expect(p.ip, `running pod ${p.name} has no stored IP`).toBeDefined();
    const ip = parseIp(p.ip!);
    expect(ip.ok).toBe(true);
    if (!ip.ok) continue;
    const node = s.nodes.find((n) => n.name === p.node);
    expect(node?.podCidr, `pod ${p.name} runs on ${p.node}, which has no podCIDR`).toBeDefined();
    const cidr = parsePrefix(node!.podCidr!);
    expect(cidr.ok).toBe(true);
    if (!cidr.ok) continue;
    expect(
      prefixContains(cidr.value, ip.value),
      `${p.name} ${p.ip} outside ${cidr.value.text}`,
    ).toBe(true);
    const offset = ip.value.bits - cidr.value.bits;
    const size = 1n << BigInt(32 - cidr.value.len);
    expect(offset > 1n && offset < size - 1n, `${p.name} got ${p.ip} in ${cidr.value.text}`).toBe(
      true,
    );
    const other = seen.get(ip.value.text);
    expect(other, `${p.name} and ${other} share ${ip.value.text}`).toBeUndefined();
    seen.set(ip.value.text, p.name);
    perNode.set(p.node, (perNode.get(p.node) ?? 0) + 1);
    // the pod's own namespace holds exactly that address on eth0
    const eth0 = net.namespace(p.name)?.devices.find((d) => d.name === 'eth0');
    expect(eth0?.addresses.map((a) => a.ip.text)).toEqual([ip.value.text]);
  }
  for (const [node, count] of perNode) expect(count, node).toBeLessThanOrEqual(s.cluster.maxPods);
}

describe('pod IPs under cluster IPAM', () => {
  const clusterIpam = arbScenario().map((s): Scenario => ({
    ...s,
    cluster: { ...s.cluster, ipam: 'cluster' },
  }));

  it(
    'no two running pods share an IP, and each is inside its node’s podCIDR',
    () => {
      fc.assert(
        fc.property(clusterIpam, (s) => checkPodIps(build(s))),
        { numRuns: 500 },
      );
    },
    TIMEOUT,
  );

  it(
    'deleting pods and adding new ones never renumbers a survivor or duplicates an address',
    () => {
      fc.assert(
        fc.property(
          clusterIpam.chain((s) =>
            fc.record({
              scenario: fc.constant(s),
              keep: fc.array(fc.boolean(), { minLength: s.pods.length, maxLength: s.pods.length }),
              added: fc.array(fc.nat({ max: s.nodes.length - 1 }), { maxLength: 6 }),
            }),
          ),
          ({ scenario, keep, added }) => {
            const first = build(scenario);
            const survivors = first.scenario.pods.filter((_, i) => keep[i]);
            const fresh: Pod[] = added.map((n, i) => ({
              name: `new-${i}` as PodName,
              node: first.scenario.nodes[n]!.name,
              containers: [{ name: 'app', image: 'nginx:1.25' }],
            }));
            const second = build({ ...first.scenario, pods: [...survivors, ...fresh] });
            checkPodIps(second);
            for (const p of survivors) {
              if (first.podStatus.get(p.name)?.phase !== 'Running') continue;
              const now = second.scenario.pods.find((x) => x.name === p.name);
              expect(now?.ip, `${p.name} was renumbered`).toBe(p.ip);
              expect(second.podStatus.get(p.name)?.phase).toBe('Running');
            }
          },
        ),
        { numRuns: 300 },
      );
    },
    TIMEOUT,
  );
});
