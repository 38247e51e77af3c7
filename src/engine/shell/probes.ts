import type { IpAddr } from '../addr/ip';
import { clientErrors } from '../print/clients';
import { outerIp, transport } from '../walk/packet';
import { icmpErrorText, trace, type Trace } from '../walk/probe';
import { nameOf, resolveHost } from './hosts';
import { toolSockets } from './sockets';
import { countHits, type ShellContext, type ShellResult } from './session';

/**
 * The playground has no clock: round-trip times are a stand-in of 30 µs plus
 * 12 µs a hop, so longer paths read longer, as they would.
 */
export const rttMs = (t: Trace) => 0.03 + 0.012 * t.hops.length;
export const ms = (n: number) => n.toFixed(3);

export function nextPort(ctx: ShellContext): number {
  const p = ctx.session.nextPort;
  ctx.session.nextPort = p >= 60999 ? 32768 : p + 1;
  return p;
}

/** What a probe leaves in the kernels: its conntrack entries, and the iptables counters it moved. */
export function remember(
  ctx: ShellContext,
  t: Trace,
  times?: { readonly packets: number; readonly flows: number },
) {
  ctx.session.conntrack.push(...t.conntrack);
  countHits(ctx.session.kernel, t.ruleHits, times);
}

/** A flag's value, given apart (`-c 1`) or attached (`-c1`), as getopt reads both. */
export function option(args: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === flag) return args[i + 1];
    if (a.startsWith(flag) && a.length > flag.length && !a.startsWith('--'))
      return a.slice(flag.length);
  }
  return undefined;
}

export const positional = (args: readonly string[], withValue: readonly string[]) =>
  args.filter((a, i) => !a.startsWith('-') && !withValue.includes(args[i - 1] ?? ''));

/**
 * iputils ping: `-c` count, `-w` deadline in seconds (one probe a second),
 * without either three replies then ^C; `-s` size, `-t` TTL, `-M` PMTU discovery.
 * A target given as a name is printed as `name (address)`, and so is every
 * answering address /etc/hosts names (ping.c pr_addr; a numeric target sets
 * opt_numeric). Exit status (ping_common.c, ping.c): 2 for a usage error or a
 * failed connect() (`error(2, errno, "connect")`), 1 when no reply came, else 0.
 */
export function ping(ctx: ShellContext, args: readonly string[]): ShellResult {
  const [host] = positional(args, ['-c', '-s', '-t', '-W', '-w', '-i', '-M']);
  if (!host) return { output: 'ping: usage error: Destination address required', status: 2 };
  const target = resolveHost(ctx, host);
  if (!target) return { output: `ping: ${host}: Name or service not known`, status: 2 };
  const dstText = target.ip.text;
  /** the name ping calls the target by: as typed when numeric, else the canonical name */
  const hostname = target.name ?? host;
  const prAddr = (ip: IpAddr) => {
    const name = target.name ? nameOf(ctx, ip) : undefined;
    return name && name !== ip.text ? `${name} (${ip.text})` : ip.text;
  };
  const countArg = option(args, '-c');
  const deadlineArg = option(args, '-w');
  const count = Number(countArg ?? deadlineArg ?? 3);
  if (!Number.isInteger(count) || count < 1)
    return {
      output: `ping: invalid argument: '${countArg ?? deadlineArg}': out of range: ${countArg === undefined ? 0 : 1} <= value <= ${countArg === undefined ? 2147483647 : 9223372036854775807n}`,
      status: 2,
    };
  // a value that is no number at all is refused here; trace() refuses numbers out of range
  const numeric = (flag: string, fallback: number): number | string => {
    const raw = option(args, flag);
    if (raw === undefined) return fallback;
    return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  };
  const size = numeric('-s', 56);
  const ttl = numeric('-t', 64);
  for (const v of [size, ttl])
    if (typeof v === 'string') return { output: `ping: invalid argument: '${v}'`, status: 2 };
  if (typeof size !== 'number' || typeof ttl !== 'number') return { output: '', status: 2 };
  // -M do: always DF (EMSGSIZE past the MTU); -M dont: never; default: DF only when it fits
  const pmtu = option(args, '-M');
  if (pmtu !== undefined && !['do', 'dont', 'want', 'probe'].includes(pmtu))
    return { output: `ping: invalid -M argument: ${pmtu}`, status: 2 };
  const df =
    pmtu === 'do' || pmtu === 'probe' ? { df: true } : pmtu === 'dont' ? { df: false } : {};
  const t = trace(ctx.net, {
    from: ctx.session.namespace,
    dst: dstText,
    protocol: 'icmp',
    size,
    ttl,
    ...df,
  });
  if (!t.ok) return { output: t.error.text, status: 2 };
  // every echo request is a packet the filter table counts; the nat table sees the first only
  remember(ctx, t.value, { packets: count, flows: 1 });
  const play = { from: ctx.session.namespace, dst: dstText, protocol: 'icmp' as const };
  const req = t.value.request.end;
  if (req.kind === 'dropped' && req.drop.kind === 'localNoRoute')
    return { output: 'ping: connect: Network is unreachable', play, status: 2 };
  const lines = [`PING ${hostname} (${dstText}) ${size}(${size + 28}) bytes of data.`];
  let received = 0;
  let errors = 0;
  const back = t.value.response?.end;
  const l4 = back?.kind === 'delivered' ? transport(back.packet) : undefined;
  for (let seq = 1; seq <= count; seq++) {
    if (t.value.verdict.ok && back?.kind === 'delivered') {
      received++;
      lines.push(
        `${size + 8} bytes from ${prAddr(outerIp(back.packet).src)}: icmp_seq=${seq} ttl=${outerIp(back.packet).ttl} time=${ms(rttMs(t.value))} ms`,
      );
    } else if (req.kind === 'dropped' && req.drop.kind === 'localMsgSize') {
      errors++;
      lines.push(`ping: local error: message too long, mtu=${req.drop.mtu}`);
    } else if (
      back?.kind === 'delivered' &&
      back.namespace === ctx.session.namespace &&
      l4?.kind === 'icmp'
    ) {
      errors++;
      lines.push(`From ${prAddr(outerIp(back.packet).src)} icmp_seq=${seq} ${icmpErrorText(l4)}`);
    }
  }
  // interrupted, the terminal echoes ^C and ping starts its summary on the next line
  lines.push(countArg === undefined && deadlineArg === undefined ? '^C' : '');
  const loss = Math.round(((count - received) / count) * 100);
  // one second between probes; a single probe reports 0ms
  const elapsed = count === 1 ? 0 : (count - 1) * 1000 + 3 * count;
  lines.push(`--- ${hostname} ping statistics ---`);
  lines.push(
    `${count} packets transmitted, ${received} received,${errors ? ` +${errors} errors,` : ''} ${loss}% packet loss, time ${elapsed}ms`,
  );
  if (received > 0) {
    const r = rttMs(t.value);
    lines.push(`rtt min/avg/max/mdev = ${ms(r)}/${ms(r)}/${ms(r)}/0.000 ms`);
  }
  // iputils: 0 when any reply came, 1 when none did
  return { output: lines.join('\n'), play, status: received > 0 ? 0 : 1 };
}

/** The page a server behind the port sends back, by the image that listens. */
function body(ctx: ShellContext, t: Trace, waitMs: number): string {
  const end = t.request.end;
  const pod = end.kind === 'delivered' ? ctx.net.pod(end.namespace) : undefined;
  const port = transport(end.packet);
  const server = pod?.containers.find((c) =>
    (c.ports ?? []).some((p) => port?.kind === 'tcp' && p.containerPort === port.dport),
  );
  // an `nc -l` took the connection: it prints the request on its terminal and sends nothing back
  if (!server && end.kind === 'delivered' && port?.kind === 'tcp') {
    const nc = ctx.session.kernel.listeners.find(
      (l) => l.namespace === end.namespace && l.protocol === 'tcp' && l.port === port.dport,
    );
    if (nc) {
      if (!nc.keep)
        ctx.session.kernel.listeners.splice(ctx.session.kernel.listeners.indexOf(nc), 1);
      return `curl: (28) Operation timed out after ${waitMs - 1} milliseconds with 0 bytes received`;
    }
  }
  const image = server?.image ?? '';
  if (image.startsWith('nginx'))
    return '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n</body>\n</html>';
  if (image.startsWith('python'))
    return '<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Directory listing for /</title>\n</head>\n<body>\n<h1>Directory listing for /</h1>\n<hr>\n<ul>\n</ul>\n<hr>\n</body>\n</html>';
  return 'curl: (52) Empty reply from server';
}

function parseUrl(url: string): { host: string; port: number; tls: boolean } | undefined {
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!m) return undefined;
  const tls = m[1] === 'https';
  return { host: m[2]!, port: m[3] ? Number(m[3]) : tls ? 443 : 80, tls };
}

/**
 * curl's progress meter, which it writes when the body goes to a file (`-o`)
 * and `-s` does not silence it; the playground has no clock, so the times are 0.
 */
function progressMeter(bytes: number): string {
  const n = String(bytes).padStart(6);
  return [
    '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current',
    '                                 Dload  Upload   Total   Spent    Left  Speed',
    `100${n}  100${n}    0     0      0      0 --:--:-- --:--:-- --:--:--     0`,
  ].join('\n');
}

/** curl http://IP[:port]/ — the page, or curl's own error line. */
export function curl(ctx: ShellContext, args: readonly string[]): ShellResult {
  const [url] = positional(args, ['-m', '--max-time', '-o', '--output', '-w', '--write-out']);
  if (!url)
    return {
      output: "curl: try 'curl --help' or 'curl --manual' for more information",
      status: 2,
    };
  // -s silences the meter and the error line; -S brings the error line back
  const flags = args.filter((a) => /^-[a-zA-Z]+$/.test(a)).join('');
  const silent = flags.includes('s') || args.includes('--silent');
  const showError = flags.includes('S') || args.includes('--show-error');
  const toFile = option(args, '-o') ?? option(args, '--output');
  const writeOut = option(args, '-w') ?? option(args, '--write-out');
  /** `-w '%{http_code}\n'`: the variables scripts ask for, after the body */
  const written = (code: string, remote: string) =>
    (writeOut ?? '')
      .replace(/%\{http_code\}|%\{response_code\}/g, code)
      .replace(/%\{remote_ip\}/g, remote)
      .replace(/\\n/g, '\n')
      .replace(/\n$/, '');
  const target = parseUrl(url);
  const resolved = target ? resolveHost(ctx, target.host) : undefined;
  if (!target || !resolved)
    return {
      output: [
        silent && !showError ? '' : `curl: (6) Could not resolve host: ${target?.host ?? url}`,
        written('000', ''),
      ]
        .filter(Boolean)
        .join('\n'),
      status: 6,
    };
  const timeout = Number(option(args, '-m') ?? option(args, '--max-time') ?? 2);
  const ip = resolved.ip.text;
  const t = trace(ctx.net, {
    from: ctx.session.namespace,
    dst: ip,
    protocol: 'tcp',
    dport: target.port,
    sport: nextPort(ctx),
    sockets: toolSockets(ctx),
  });
  if (!t.ok) return { output: t.error.text, status: 1 };
  remember(ctx, t.value);
  const play = {
    from: ctx.session.namespace,
    dst: ip,
    protocol: 'tcp' as const,
    dport: target.port,
  };
  const waitMs = Math.round(timeout * 1000) + 1;
  const failed = clientErrors(t.value, waitMs, target.host);
  const fail = (line: string) => ({
    output: [silent && !showError ? '' : line, written('000', '')].filter(Boolean).join('\n'),
    play,
    // curl exits with the number it prints: (7), (28)…
    status: Number(/\((\d+)\)/.exec(line)?.[1] ?? 1),
  });
  if (failed) return fail(failed.curl);
  // no server here speaks TLS: a plain HTTP answer to a ClientHello
  if (target.tls)
    return fail('curl: (35) OpenSSL/3.0.11: error:0A00010B:SSL routines::wrong version number');
  const page = body(ctx, t.value, waitMs);
  if (page.startsWith('curl: (')) return fail(page);
  const shown = [
    toFile === undefined ? page : silent ? '' : progressMeter(page.length + 1),
    written('200', ip),
  ];
  return { output: shown.filter(Boolean).join('\n'), play };
}
