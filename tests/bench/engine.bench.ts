/**
 * Engine benchmarks (`npm run bench`): how long a big cluster takes to build,
 * to show one node's `ip route`, and to trace a cross-node ping. Prints figures
 * next to their targets; never fails (benchmarks print, tests assert).
 */
import { buildNetwork } from '../../src/engine/network/build';
import type { Network } from '../../src/engine/network/types';
import { printRoutes } from '../../src/engine/print/route';
import type { Datapath, Scenario } from '../../src/engine/scenario/types';
import { trace, type Probe } from '../../src/engine/walk/probe';
import { clusterScenario, nodeName } from '../engine/generate';

const PODS_PER_NODE = 30;
const WARM_REPS = 200;
/** first looks at this many different nodes; the route figure is their median */
const ROUTE_SAMPLES = 5;

const TARGET = {
  /** IPAM + lazy build of a 5000-node cluster */
  buildMs: 2000,
  routeMs: 20,
  traceMs: 1,
} as const;

interface Case {
  readonly nodes: number;
  readonly datapath: Datapath;
}

const CASES: readonly Case[] = [
  { nodes: 2, datapath: 'overlay' },
  { nodes: 100, datapath: 'overlay' },
  { nodes: 1000, datapath: 'overlay' },
  { nodes: 5000, datapath: 'overlay' },
  { nodes: 5000, datapath: 'direct' },
];

interface Row {
  readonly nodes: number;
  readonly datapath: Datapath;
  readonly pods: number;
  readonly buildMs: number;
  readonly rebuildMs: number;
  readonly routeMs: number;
  readonly routes: number;
  readonly coldTraceMs: number;
  readonly warmTraceMs: number;
  readonly warmTcpMs: number;
  readonly verdict: string;
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function build(scenario: Scenario): [Network, number] {
  const [r, ms] = time(() => buildNetwork(scenario));
  if (!r.ok)
    throw new Error(`bench scenario is invalid: ${r.problems.map((p) => p.text).join('; ')}`);
  return [r.network, ms];
}

/** `ip route` on a node never looked at before: builds its namespace, then prints every line. */
function ipRoute(net: Network, node: string): { lines: number; ms: number } {
  const [text, ms] = time(() => {
    const ns = net.namespace(node);
    if (!ns) throw new Error(`no namespace ${node}`);
    return printRoutes(ns);
  });
  return { lines: text.split('\n').length, ms };
}

function runCase(c: Case): Row {
  // build: validation + IPAM + context; namespaces are built on first look
  const [net, buildMs] = build(
    clusterScenario({ nodes: c.nodes, podsPerNode: PODS_PER_NODE, datapath: c.datapath }),
  );

  const last = c.nodes - 1;
  const sampleNodes = Array.from({ length: Math.min(ROUTE_SAMPLES, c.nodes) }, (_, i) =>
    nodeName(Math.round((i * last) / Math.max(1, ROUTE_SAMPLES - 1))),
  );
  const routeRuns = [...new Set(sampleNodes)].map((n) => ipRoute(net, n));

  // rebuild from the scenario with every allocation stored (what the store derives after
  // each edit); the trace gets this network, so its cold figure pays for every first look
  const [fresh, rebuildMs] = build(net.scenario);
  const src = fresh.scenario.pods.find((p) => p.node === nodeName(0));
  const dst = fresh.scenario.pods.find((p) => p.node === nodeName(last) && p !== src);
  if (!src || !dst?.ip) throw new Error('bench scenario has no pods to ping between');
  const probe: Probe = { from: src.name, dst: dst.ip, protocol: 'icmp' };
  const [first, coldTraceMs] = time(() => trace(fresh, probe));
  const warm: number[] = [];
  for (let i = 0; i < WARM_REPS; i++) warm.push(time(() => trace(fresh, probe))[1]);

  // the same path as a TCP connection to nginx: the target's kernel looks for a listener
  const tcp: Probe = { from: src.name, dst: dst.ip, protocol: 'tcp', dport: 80 };
  trace(fresh, tcp);
  const warmTcp: number[] = [];
  for (let i = 0; i < WARM_REPS; i++) warmTcp.push(time(() => trace(fresh, tcp))[1]);

  return {
    nodes: c.nodes,
    datapath: c.datapath,
    pods: net.scenario.pods.length,
    buildMs,
    rebuildMs,
    routeMs: median(routeRuns.map((r) => r.ms)),
    routes: routeRuns[routeRuns.length - 1]!.lines,
    coldTraceMs,
    warmTraceMs: median(warm),
    warmTcpMs: median(warmTcp),
    verdict: first.ok ? first.value.verdict.text : first.error.text,
  };
}

const fmt = (ms: number): string =>
  ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3);
const mark = (ms: number, target: number): string => `${fmt(ms)} ${ms < target ? 'met' : 'MISSED'}`;

function main(): void {
  console.log(
    `podhop engine bench: ${PODS_PER_NODE} pods a node; route = median first look at ${ROUTE_SAMPLES} nodes; warm ping/tcp (pod on the first node to a pod on the last, tcp to :80) = median of ${WARM_REPS} after the first`,
  );
  console.log(
    `build = buildNetwork on the bare scenario (validation + IPAM + context, namespaces lazy); rebuild = buildNetwork on the scenario with its allocations stored`,
  );
  console.log(
    `targets: build and rebuild < ${TARGET.buildMs} ms at 5000 nodes; a node's ip route < ${TARGET.routeMs} ms; a cross-node trace < ${TARGET.traceMs} ms (warm)\n`,
  );
  // one small warm-up so the first row does not pay for JIT and module loading
  runCase({ nodes: 2, datapath: 'overlay' });
  const rows = CASES.map(runCase);
  console.table(
    rows.map((r) => ({
      nodes: r.nodes,
      datapath: r.datapath,
      pods: r.pods,
      'build ms': r.nodes >= 5000 ? mark(r.buildMs, TARGET.buildMs) : fmt(r.buildMs),
      'rebuild ms': r.nodes >= 5000 ? mark(r.rebuildMs, TARGET.buildMs) : fmt(r.rebuildMs),
      'ip route ms': mark(r.routeMs, TARGET.routeMs),
      'route lines': r.routes,
      'cold ping ms': fmt(r.coldTraceMs),
      'warm ping ms': mark(r.warmTraceMs, TARGET.traceMs),
      'warm tcp ms': mark(r.warmTcpMs, TARGET.traceMs),
    })),
  );
  for (const r of rows) console.log(`${r.nodes} nodes ${r.datapath}: ${r.verdict}`);
  const missed = rows.flatMap((r) => [
    ...(r.nodes >= 5000 && r.buildMs >= TARGET.buildMs
      ? [`build at ${r.nodes} ${r.datapath}`]
      : []),
    ...(r.nodes >= 5000 && r.rebuildMs >= TARGET.buildMs
      ? [`rebuild at ${r.nodes} ${r.datapath}`]
      : []),
    ...(r.routeMs >= TARGET.routeMs ? [`ip route at ${r.nodes} ${r.datapath}`] : []),
    ...(r.warmTraceMs >= TARGET.traceMs ? [`ping trace at ${r.nodes} ${r.datapath}`] : []),
    ...(r.warmTcpMs >= TARGET.traceMs ? [`tcp trace at ${r.nodes} ${r.datapath}`] : []),
  ]);
  console.log(missed.length === 0 ? '\nall targets met' : `\ntargets missed: ${missed.join(', ')}`);
}

main();
