import type { Network } from '../network/types';
import type { ConntrackEntry, RuleHit } from '../walk/netfilter';
import type { ProbeProtocol } from '../walk/probe';

/** A listening socket as `ss -l` shows it. */
export interface BoundSocket {
  readonly namespace: string;
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  /** the address it is bound to, as ss prints it (`0.0.0.0`, `*` for a dual-stack `[::]`) */
  readonly local: string;
  /** the listen() backlog, ss's Send-Q of a listening socket (UDP: 0) */
  readonly backlog: number;
  /** set with SO_REUSEPORT: another such socket may bind the same port (OpenBSD netcat sets it) */
  readonly reusePort: boolean;
}

/** A socket a tool in a terminal opened and keeps listening on (`nc -l`). */
export interface Listener extends BoundSocket {
  /** `nc -k`: it stays after a connection; without it nc exits after the first */
  readonly keep: boolean;
}

/** One rule's (or policy's) counters, as `iptables -v` prints them. */
export interface Counter {
  packets: number;
  bytes: number;
}

/**
 * The kernels' state the terminals of one dock share beside conntrack: the
 * sockets their tools listen on, and the iptables counters their probes
 * moved (keyed by namespace, table, chain and rule line: a rule kube-proxy
 * writes again unchanged keeps its counts).
 */
export interface KernelState {
  readonly listeners: Listener[];
  readonly counters: Map<string, Counter>;
}

/** A terminal open on one namespace: what it remembers between commands. */
export interface ShellSession {
  readonly namespace: string;
  /** connections this terminal made, as the namespaces' conntrack tables keep them (TIME_WAIT) */
  readonly conntrack: ConntrackEntry[];
  /** listening sockets and iptables counters, shared as `conntrack` is */
  readonly kernel: KernelState;
  /** the next ephemeral source port (net.ipv4.ip_local_port_range starts at 32768) */
  nextPort: number;
}

/**
 * The rest of the kernel state goes with the conntrack table a dock passes
 * around: one table, one set of sockets and counters.
 */
const kernels = new WeakMap<ConntrackEntry[], KernelState>();

function kernelFor(conntrack: ConntrackEntry[]): KernelState {
  let k = kernels.get(conntrack);
  if (!k) {
    k = { listeners: [], counters: new Map() };
    kernels.set(conntrack, k);
  }
  return k;
}

/**
 * `conntrack` is each node's table as this terminal knows it: pass one array to
 * every session of a dock so a node's terminal sees what a pod's terminal sent
 * (and the sockets and iptables counters with it).
 */
export const newShellSession = (
  namespace: string,
  conntrack: ConntrackEntry[] = [],
): ShellSession => ({ namespace, conntrack, kernel: kernelFor(conntrack), nextPort: 40312 });

/** The key of a rule's counter: a policy is its chain's `-P` line. */
export const counterKey = (
  namespace: string,
  table: string,
  chain: string,
  rule: string | undefined,
): string => `${namespace}\t${table}\t${rule ?? `-P ${chain}`}`;

/**
 * Adds what a probe's packets were counted by: `flows` new connections (the
 * nat table sees their first packet only) of `packets` packets each way (the
 * filter table sees every one).
 */
export function countHits(
  kernel: KernelState,
  hits: readonly RuleHit[],
  times: { readonly packets: number; readonly flows: number } = { packets: 1, flows: 1 },
): void {
  for (const h of hits) {
    const n = h.table === 'nat' ? times.flows : times.packets;
    const key = counterKey(h.namespace, h.table, h.chain, h.rule);
    const c = kernel.counters.get(key) ?? { packets: 0, bytes: 0 };
    c.packets += n;
    c.bytes += n * h.bytes;
    kernel.counters.set(key, c);
  }
}

/** What a command asks the playground to show on the canvas. */
export interface ShellPlay {
  readonly from: string;
  readonly dst: string;
  readonly protocol: ProbeProtocol | 'traceroute';
  readonly dport?: number;
}

export interface ShellResult {
  readonly output: string;
  /** the exit status `&&` and `||` look at (0 when left out) */
  readonly status?: number;
  readonly play?: ShellPlay;
  readonly clear?: boolean;
  readonly exit?: boolean;
}

export interface ShellContext {
  readonly net: Network;
  readonly session: ShellSession;
}
