import type { ListeningSocket } from '../walk/probe';
import type { BoundSocket, ShellContext } from './session';

/** sshd and the kubelet on every node (the walk's NODE_TCP_PORTS). */
const NODE_TCP_PORTS = [22, 10250];

/**
 * What the namespace's own processes bind: each running container's ports
 * (one that crash-loops never bound), a node's sshd and kubelet. nginx,
 * python's http.server and the like listen with a backlog of 511 or more,
 * which the kernel caps at net.core.somaxconn (4096).
 */
export function processSockets(ctx: ShellContext, namespace: string): BoundSocket[] {
  const ns = ctx.net.namespace(namespace);
  const out: BoundSocket[] = [];
  const add = (protocol: 'tcp' | 'udp', port: number) =>
    out.push({
      namespace,
      protocol,
      port,
      local: '0.0.0.0',
      backlog: protocol === 'udp' ? 0 : 4096,
      reusePort: false,
    });
  if (ns?.kind === 'pod') {
    const st = ctx.net.podStatus.get(ns.name as never);
    const pod = ctx.net.pod(ns.name);
    for (const c of pod?.containers ?? []) {
      const running =
        st?.phase === 'Running' ? st.containers.find((x) => x.name === c.name)?.ready : false;
      if (!running) continue;
      for (const p of c.ports ?? []) add(p.protocol === 'UDP' ? 'udp' : 'tcp', p.containerPort);
    }
  } else if (ns?.kind === 'node') for (const port of NODE_TCP_PORTS) add('tcp', port);
  return out;
}

/** Everything listening in a namespace: its processes' sockets, then what the terminals' tools opened. */
export function listeningSockets(ctx: ShellContext, namespace: string): BoundSocket[] {
  return [
    ...processSockets(ctx, namespace),
    ...ctx.session.kernel.listeners.filter((l) => l.namespace === namespace),
  ];
}

/** The sockets the terminals opened, for the walk: a probe to one of them is answered. */
export const toolSockets = (ctx: ShellContext): readonly ListeningSocket[] =>
  ctx.session.kernel.listeners;
