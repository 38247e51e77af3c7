import { transport } from '../walk/packet';
import { outcomeOf, trace, type Trace } from '../walk/probe';
import { resolveHost } from './hosts';
import { nextPort, option, positional, remember } from './probes';
import type { Listener, ShellContext, ShellResult } from './session';
import { processSockets, toolSockets } from './sockets';

/**
 * `nc` as the terminal's image ships it: busybox's own in a busybox image
 * (networking/nc_bloaty.c, busybox 1.36), OpenBSD netcat as Debian and
 * Ubuntu package it (netcat-openbsd 1.219) everywhere else — a node, a
 * router, an ubuntu or debian-based container. The terminal is the pod's
 * first container, the one `kubectl exec` opens without `-c`.
 */
type Flavour = 'openbsd' | 'busybox';

function flavour(ctx: ShellContext): Flavour {
  const image = ctx.net.pod(ctx.session.namespace)?.containers[0]?.image ?? '';
  return /^(?:[\w.-]+\/)*busybox(?::|@|$)/.test(image) ? 'busybox' : 'openbsd';
}

const OPENBSD_USAGE =
  'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]';
const BUSYBOX_USAGE =
  'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen';

/** Options that take a value, by flavour (getopt strings of netcat.c and nc_bloaty.c). */
const VALUED: Record<Flavour, readonly string[]> = {
  openbsd: [
    '-I',
    '-i',
    '-M',
    '-m',
    '-O',
    '-P',
    '-p',
    '-q',
    '-s',
    '-T',
    '-V',
    '-W',
    '-w',
    '-X',
    '-x',
  ],
  busybox: ['-p', '-s', '-w', '-i', '-o', '-e'],
};

/** Single-letter flags given anywhere (`-zv`, `-l -u`). */
const hasFlag = (args: readonly string[], f: string) =>
  args.some((a) => new RegExp(`^-[a-zA-Z]*${f}`).test(a) && !a.startsWith('--'));

/** strtonum(port, 1, 65535) as netcat's strtoport reports it. */
function portNumber(text: string): number | string {
  if (!/^[+-]?\d+$/.test(text)) return `nc: service "${text}" unknown`;
  const n = Number(text);
  if (n < 1) return `nc: port number too small: ${text}`;
  if (n > 65535) return `nc: port number too large: ${text}`;
  return n;
}

/** The listener a connection reached, which `nc -l` without `-k` closes once it is done. */
function consume(ctx: ShellContext, t: Trace): void {
  const end = t.request.end;
  if (end.kind !== 'delivered' || outcomeOf(t) !== 'ok') return;
  const ip = transport(end.packet);
  if (ip?.kind !== 'tcp') return;
  const taken = processSockets(ctx, end.namespace).some(
    (s) => s.protocol === ip.kind && s.port === ip.dport,
  );
  const all = ctx.session.kernel.listeners;
  const i = all.findIndex(
    (l) => l.namespace === end.namespace && l.protocol === ip.kind && l.port === ip.dport,
  );
  if (!taken && i >= 0 && !all[i]!.keep) all.splice(i, 1);
}

/**
 * `nc -l`: binds and listens, then — as the playground's commands never
 * block — carries on as if sent to the background (`nc -l 8080 &`); the
 * socket stays until it has served a connection (`-k`: for good). A port a
 * container already listens on refuses the bind: OpenBSD netcat's
 * local_listen() fails and main() ends with `err(1, NULL)` (`nc: Address
 * already in use`); busybox's xbind() dies with `nc: bind: …`. OpenBSD
 * netcat sets SO_REUSEPORT, so a second `nc -l` on its own port succeeds.
 */
function listen(ctx: ShellContext, args: readonly string[], kind: Flavour): ShellResult {
  const udp = hasFlag(args, 'u');
  const verbose = hasFlag(args, 'v');
  const keep = hasFlag(args, 'k');
  const rest = positional(args, VALUED[kind]);
  const pflag = option(args, '-p');
  if (kind === 'openbsd' && hasFlag(args, 'z'))
    return { output: 'nc: cannot use -z and -l', status: 1 };
  let port: number;
  if (kind === 'openbsd') {
    // netcat.c: `nc -l PORT`, `nc -l -p PORT` (Debian), `nc -l HOST PORT`
    const given = rest.length === 0 ? pflag : rest.length === 1 && !pflag ? rest[0] : rest[1];
    if (rest.length > 2 || (rest.length === 2 && pflag))
      return { output: OPENBSD_USAGE, status: 1 };
    if (given === undefined) return { output: 'nc: missing port number', status: 1 };
    const n = /^\d+$/.test(given) ? Number(given) : NaN;
    if (!(n >= 0 && n <= 65535))
      return { output: 'nc: getaddrinfo: Servname not supported for ai_socktype', status: 1 };
    port = n === 0 ? nextPort(ctx) : n;
  } else {
    // nc 1.10: the listening port is -p's; without it the kernel picks one
    port = pflag !== undefined && /^\d+$/.test(pflag) ? Number(pflag) : nextPort(ctx);
    if (pflag !== undefined && !/^\d+$/.test(pflag))
      return { output: `nc: bad port '${pflag}'`, status: 1 };
  }
  const protocol = udp ? 'udp' : 'tcp';
  const ns = ctx.session.namespace;
  const clash = processSockets(ctx, ns).some((s) => s.protocol === protocol && s.port === port);
  if (clash)
    return {
      output:
        kind === 'openbsd' ? 'nc: Address already in use' : 'nc: bind: Address already in use',
      status: 1,
    };
  const listener: Listener = {
    namespace: ns,
    protocol,
    port,
    // busybox opens an IPv6 socket that takes IPv4 too ([::], which ss shows as *)
    local: kind === 'busybox' ? '*' : '0.0.0.0',
    backlog: udp ? 0 : 1,
    reusePort: kind === 'openbsd',
    keep,
  };
  ctx.session.kernel.listeners.push(listener);
  if (!verbose) return { output: '', status: 0 };
  return {
    output:
      kind === 'openbsd'
        ? `${udp ? 'Bound' : 'Listening'} on 0.0.0.0 ${port}`
        : `listening on [::]:${port} ...`,
    status: 0,
  };
}

/**
 * `nc [-z] [-v] [-u] [-w SECS] HOST PORT`: a connection, reported as each
 * netcat does. OpenBSD (remote_connect, connection_info): with -v,
 * `Connection to HOST [(IP)] PORT port [tcp/*] succeeded!` or `nc: connect
 * to HOST [(IP)] port PORT (tcp) failed: <strerror>` — `timed out:
 * Operation now in progress` when its own -w timer ran out; without -v only
 * the exit status tells. busybox (nc_bloaty.c): `HOST (IP:PORT) open` with
 * -v; a refusal only with -vv; other errors `nc: HOST (IP:PORT): <strerror>`.
 */
export function nc(ctx: ShellContext, args: readonly string[]): ShellResult {
  const kind = flavour(ctx);
  if (hasFlag(args, 'l')) return listen(ctx, args, kind);
  if (kind === 'openbsd' && hasFlag(args, 'k'))
    return { output: 'nc: must use -l with -k', status: 1 };
  const udp = hasFlag(args, 'u');
  // -v counts (busybox: `-vv` shows refusals too)
  const vs = args
    .filter((a) => /^-[a-zA-Z]+$/.test(a))
    .join('')
    .split('')
    .filter((c) => c === 'v').length;
  const verbose = vs > 0;
  const [host, portText] = positional(args, VALUED[kind]);
  if (!host || !portText)
    return { output: kind === 'openbsd' ? OPENBSD_USAGE : BUSYBOX_USAGE, status: 1 };
  const port = portNumber(portText);
  if (typeof port === 'string')
    return { output: kind === 'openbsd' ? port : `nc: bad port '${portText}'`, status: 1 };
  const target = resolveHost(ctx, host);
  if (!target)
    return {
      output:
        kind === 'openbsd'
          ? `nc: getaddrinfo for host "${host}" port ${port}: Name or service not known`
          : `nc: bad address '${host}'`,
      status: 1,
    };
  const ip = target.ip.text;
  const protocol = udp ? 'udp' : 'tcp';
  const t = trace(ctx.net, {
    from: ctx.session.namespace,
    dst: ip,
    protocol,
    dport: port,
    sport: nextPort(ctx),
    sockets: toolSockets(ctx),
  });
  if (!t.ok) return { output: t.error.text, status: 1 };
  remember(ctx, t.value);
  consume(ctx, t.value);
  const play = { from: ctx.session.namespace, dst: ip, protocol, dport: port } as const;
  const outcome = outcomeOf(t.value);
  // UDP "connects" at once; only an ICMP port unreachable coming back (ECONNREFUSED) fails it
  const ok = udp ? outcome !== 'refused' : outcome === 'ok';
  const status = ok ? 0 : 1;
  if (kind === 'busybox') {
    const dotted = `${host} (${ip}:${port})`;
    if (ok) return { output: verbose ? `${dotted} open` : '', play, status };
    const why = errnoText(outcome);
    const shown = vs > 1 || (verbose && outcome !== 'refused');
    return { output: shown ? `nc: ${dotted}: ${why}` : '', play, status };
  }
  // connection_info / remote_connect print the address only when it is not what was typed
  const named = host === ip ? host : `${host} (${ip})`;
  // a UDP port found closed is reported by the exit status alone (udptest)
  if (!verbose || (udp && !ok)) return { output: '', play, status };
  if (ok)
    return {
      output: `Connection to ${named} ${port} port [${protocol}/*] succeeded!`,
      play,
      status,
    };
  // Debian's connect_with_timeout: its own -w timer reports "timed out" with connect()'s EINPROGRESS
  const timedOut = outcome === 'timeout' && option(args, '-w') !== undefined;
  return {
    output: timedOut
      ? `nc: connect to ${named} port ${port} (${protocol}) timed out: Operation now in progress`
      : `nc: connect to ${named} port ${port} (${protocol}) failed: ${errnoText(outcome)}`,
    play,
    status,
  };
}

/** strerror() of the errno a failed connect() leaves (glibc's words). */
function errnoText(outcome: ReturnType<typeof outcomeOf>): string {
  switch (outcome) {
    case 'refused':
      return 'Connection refused';
    case 'hostUnreachable':
      return 'No route to host';
    case 'netUnreachable':
      return 'Network is unreachable';
    case 'ok':
    case 'msgSize':
    case 'ttlExceeded':
    case 'fragNeeded':
    case 'timeout':
      return 'Connection timed out';
  }
}
