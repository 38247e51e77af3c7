import type { Network } from '../network/types';
import type { ConntrackEntry } from '../walk/netfilter';
import type { ProbeProtocol } from '../walk/probe';

/** A terminal open on one namespace: what it remembers between commands. */
export interface ShellSession {
  readonly namespace: string;
  /** connections this terminal made, as the namespaces' conntrack tables keep them (TIME_WAIT) */
  readonly conntrack: ConntrackEntry[];
  /** the next ephemeral source port (net.ipv4.ip_local_port_range starts at 32768) */
  nextPort: number;
}

/**
 * `conntrack` is each node's table as this terminal knows it: pass one array to
 * every session of a dock so a node's terminal sees what a pod's terminal sent.
 */
export const newShellSession = (
  namespace: string,
  conntrack: ConntrackEntry[] = [],
): ShellSession => ({ namespace, conntrack, nextPort: 40312 });

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
