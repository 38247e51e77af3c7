import {
  buildNetwork,
  destinationAddress,
  diffRoutes,
  parseIp,
  parseObjectKey,
  trace,
  traceroute,
  type BuildResult,
  type ClusterEvent,
  type Hop,
  type Network,
  type RouteDiff,
  type Scenario,
  type Verdict,
} from '../engine/index';
import type { AppState, PlayRequest } from './state';

/**
 * Derived data: memoised on the objects it comes from, never stored.
 * (The network of a scenario, the trace of a play request.)
 */
const builds = new WeakMap<Scenario, BuildResult>();

export function networkOf(s: Scenario): BuildResult {
  let b = builds.get(s);
  if (!b) {
    b = buildNetwork(s);
    builds.set(s, b);
  }
  return b;
}

/**
 * Events a build raised once, while it made the allocation that became the stored scenario
 * (a stored pod IP replaced: SandboxChanged). The stored scenario's own build no longer
 * raises them, yet the user has not seen them: they stay with it, as a kubelet's event
 * outlives the change that caused it, until the next change.
 */
const carried = new WeakMap<Scenario, readonly ClusterEvent[]>();

/** The scenario to store after `s` was built: its allocation, which keeps what `s` said. */
export function settled(s: Scenario): Scenario {
  const b = networkOf(s);
  if (!b.ok || b.stored === s) return b.ok ? b.stored : s;
  const after = networkOf(b.stored);
  const still = new Set((after.ok ? after.network.events : []).map((e) => JSON.stringify(e)));
  const once = b.network.events.filter((e) => !still.has(JSON.stringify(e)));
  if (once.length) carried.set(b.stored, [...(carried.get(s) ?? []), ...once]);
  return b.stored;
}

export const selectBuild = (st: AppState): BuildResult => networkOf(st.scenario);
/** The cluster's events: what its network raises, and what the allocation that made it said. */
export function selectEvents(st: AppState): readonly ClusterEvent[] {
  const b = selectBuild(st);
  const own = b.ok ? b.network.events : NO_EVENTS;
  const once = carried.get(st.scenario);
  if (!once) return own;
  let all = allEvents.get(st.scenario);
  if (!all) allEvents.set(st.scenario, (all = [...once, ...own]));
  return all;
}
const allEvents = new WeakMap<Scenario, readonly ClusterEvent[]>();
/** one empty list, so a selector reading it returns the same value each time (no render loop) */
const NO_EVENTS: readonly ClusterEvent[] = [];
export const selectNetwork = (st: AppState): Network | undefined => {
  const b = selectBuild(st);
  return b.ok ? b.network : undefined;
};

/** One played packet, flattened for the timeline: every hop of every leg (and every traceroute probe). */
export interface PlayedTrace {
  readonly request: PlayRequest;
  readonly hops: readonly Hop[];
  /** for traceroute: the probe (TTL) each hop belongs to */
  readonly probeOf?: readonly number[];
  readonly verdict: Verdict;
  /** traceroute's lines, for the summary */
  readonly lines?: readonly string[];
  readonly error?: string;
  /**
   * The answer came, but not from what was picked: the sender itself (two pods
   * on one IP under naive IPAM: the kernel delivers over lo) or another pod.
   * The exchange worked; the network did not do what the user asked.
   */
  readonly warning?: string;
}

/** Who answered, when the request was delivered somewhere other than the picked pod or node. */
function answeredElsewhere(
  picked: PlayRequest,
  end: { readonly kind: string; readonly namespace?: string },
): string | undefined {
  const to = picked.to;
  // a Service answers through whichever endpoint kube-proxy chose: any of them is right
  if (to === undefined || parseObjectKey(to)?.kind === 'service' || end.kind !== 'delivered')
    return undefined;
  const by = end.namespace;
  if (by === undefined || by === to) return undefined;
  return by === picked.from
    ? `answered by ${by} itself — not ${to}`
    : `answered by ${by} — not ${to}`;
}

const traces = new WeakMap<Network, Map<string, PlayedTrace>>();

export function traceOf(net: Network, picked: PlayRequest): PlayedTrace {
  const now = picked.to !== undefined ? destinationAddress(net, picked.to) : undefined;
  const p = now && now !== picked.dst ? { ...picked, dst: now } : picked;
  let cache = traces.get(net);
  if (!cache) traces.set(net, (cache = new Map()));
  const key = JSON.stringify(p);
  const hit = cache.get(key);
  if (hit) return hit;
  let out: PlayedTrace;
  if (!net.namespace(p.from)) {
    out = {
      request: p,
      hops: [],
      verdict: {
        ok: false,
        text: `Cannot open network namespace "${p.from}": No such file or directory`,
      },
      error: 'noNamespace',
    };
  } else if (!parseIp(p.dst).ok) {
    out = {
      request: p,
      hops: [],
      verdict: { ok: false, text: `${p.dst}: Name or service not known` },
      error: 'badAddress',
    };
  } else if (p.protocol === 'traceroute') {
    const r = traceroute(net, p.from, p.dst);
    if (!r.ok)
      out = {
        request: p,
        hops: [],
        verdict: { ok: false, text: r.error.text },
        error: r.error.kind,
      };
    else {
      const hops = r.value.hops.flatMap((h) => h.trace.hops);
      const probeOf = r.value.hops.flatMap((h) => h.trace.hops.map(() => h.ttl));
      const lines = r.value.hops.map(
        (h) => `${String(h.ttl).padStart(2)}  ${h.from?.text ?? '*'}${h.mark ? ` ${h.mark}` : ''}`,
      );
      out = {
        request: p,
        hops,
        probeOf,
        lines,
        verdict: {
          ok: r.value.reached,
          text: r.value.reached
            ? `reached ${p.dst} in ${r.value.hops.length} hops`
            : `${p.dst} did not answer within ${r.value.hops.length} hops`,
        },
      };
    }
  } else {
    const t = trace(net, {
      from: p.from,
      dst: p.dst,
      protocol: p.protocol,
      ...(p.dport !== undefined ? { dport: p.dport } : {}),
      ...(p.ttl !== undefined ? { ttl: p.ttl } : {}),
    });
    if (t.ok) {
      // kube-proxy's DNAT (a node port, an external IP) hands the request to an endpoint: right
      const dnatted = t.value.request.hops.some((h) => h.action === 'dnat');
      const warning =
        t.value.verdict.ok && !dnatted ? answeredElsewhere(p, t.value.request.end) : undefined;
      out = {
        request: p,
        hops: t.value.hops,
        verdict: t.value.verdict,
        ...(warning ? { warning } : {}),
      };
    } else
      out = {
        request: p,
        hops: [],
        verdict: { ok: false, text: t.error.text },
        error: t.error.kind,
      };
  }
  cache.set(key, out);
  return out;
}

export const selectTrace = (st: AppState): PlayedTrace | undefined => {
  const net = selectNetwork(st);
  return net && st.play ? traceOf(net, st.play) : undefined;
};

/** A hop index within the played trace: 0 to its last hop (0 when nothing is played). */
export function hopWithin(st: AppState, i: number): number {
  const last = Math.max(0, (selectTrace(st)?.hops.length ?? 1) - 1);
  return Math.min(last, Math.max(0, Number.isFinite(i) ? Math.trunc(i) : 0));
}

/** The hop on screen (an edit may have shortened the trace under the stored index). */
export const selectShownHop = (st: AppState): number =>
  selectTrace(st) ? hopWithin(st, st.hop) : st.hop;

export const selectCurrentHop = (st: AppState): Hop | undefined =>
  selectTrace(st)?.hops[hopWithin(st, st.hop)];

/**
 * Pods compared in the route diff: every pod namespace is built twice to
 * compare it (about 0.1 ms each), so a cluster of thousands lists the first ones.
 */
export const DIFF_POD_LIMIT = 30;

const diffs = new WeakMap<Scenario, WeakMap<Scenario, RouteDiff[]>>();

/**
 * Route lines that appeared/disappeared with the last datapath or IPAM switch,
 * per router, node and pod (naive IPAM moves every pod's gateway).
 */
export function selectModeDiff(st: AppState): RouteDiff[] | undefined {
  if (!st.modeBase) return undefined;
  const after = selectNetwork(st);
  if (!after) return undefined;
  let inner = diffs.get(st.modeBase);
  if (!inner) diffs.set(st.modeBase, (inner = new WeakMap()));
  const hit = inner.get(st.scenario);
  if (hit) return hit;
  const before = networkOf(st.modeBase);
  const names = [
    ...st.scenario.routers.map((r) => r.name as string),
    ...st.scenario.nodes.map((n) => n.name as string),
    ...st.scenario.pods.slice(0, DIFF_POD_LIMIT).map((p) => p.name as string),
  ];
  const d = diffRoutes(before.ok ? before.network : undefined, after, names);
  inner.set(st.scenario, d);
  return d;
}
