import { parseIp } from '../addr/ip';
import { clientErrors } from '../print/clients';
import { outerIp, transport } from '../walk/packet';
import { icmpErrorText, trace, type Trace } from '../walk/probe';
import { traceroute } from '../walk/traceroute';
import type { ShellContext, ShellResult } from './session';

/**
 * The playground has no clock: round-trip times are a stand-in of 30 µs plus
 * 12 µs a hop, so longer paths read longer, as they would.
 */
const rttMs = (t: Trace) => 0.03 + 0.012 * t.hops.length;
const ms = (n: number) => n.toFixed(3);

function nextPort(ctx: ShellContext): number {
  const p = ctx.session.nextPort;
  ctx.session.nextPort = p >= 60999 ? 32768 : p + 1;
  return p;
}

function remember(ctx: ShellContext, t: Trace) {
  ctx.session.conntrack.push(...t.conntrack);
}

/** A flag's value, given apart (`-c 1`) or attached (`-c1`), as getopt reads both. */
function option(args: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === flag) return args[i + 1];
    if (a.startsWith(flag) && a.length > flag.length && !a.startsWith('--'))
      return a.slice(flag.length);
  }
  return undefined;
}

const positional = (args: readonly string[], withValue: readonly string[]) =>
  args.filter((a, i) => !a.startsWith('-') && !withValue.includes(args[i - 1] ?? ''));

/**
 * iputils ping: `-c` count, `-w` deadline in seconds (one probe a second),
 * without either three replies then ^C; `-s` size, `-t` TTL, `-M` PMTU discovery.
 */
export function ping(ctx: ShellContext, args: readonly string[]): ShellResult {
  const [host] = positional(args, ['-c', '-s', '-t', '-W', '-w', '-i', '-M']);
  if (!host) return { output: 'ping: usage error: Destination address required', status: 2 };
  const dst = parseIp(host);
  if (!dst.ok) return { output: `ping: ${host}: Name or service not known`, status: 2 };
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
    return { output: `ping: invalid -M argument: ${pmtu}` };
  const df =
    pmtu === 'do' || pmtu === 'probe' ? { df: true } : pmtu === 'dont' ? { df: false } : {};
  const t = trace(ctx.net, {
    from: ctx.session.namespace,
    dst: host,
    protocol: 'icmp',
    size,
    ttl,
    ...df,
  });
  if (!t.ok) return { output: t.error.text, status: 2 };
  remember(ctx, t.value);
  const play = { from: ctx.session.namespace, dst: dst.value.text, protocol: 'icmp' as const };
  const req = t.value.request.end;
  if (
    req.kind === 'dropped' &&
    (req.drop.kind === 'localNoRoute' || req.drop.kind === 'localMsgSize')
  ) {
    if (req.drop.kind === 'localNoRoute')
      return { output: 'ping: connect: Network is unreachable', play };
  }
  const lines = [`PING ${dst.value.text} (${dst.value.text}) ${size}(${size + 28}) bytes of data.`];
  let received = 0;
  let errors = 0;
  const back = t.value.response?.end;
  const l4 = back?.kind === 'delivered' ? transport(back.packet) : undefined;
  for (let seq = 1; seq <= count; seq++) {
    if (t.value.verdict.ok && back?.kind === 'delivered') {
      received++;
      lines.push(
        `${size + 8} bytes from ${outerIp(back.packet).src.text}: icmp_seq=${seq} ttl=${outerIp(back.packet).ttl} time=${ms(rttMs(t.value))} ms`,
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
      lines.push(`From ${outerIp(back.packet).src.text} icmp_seq=${seq} ${icmpErrorText(l4)}`);
    }
  }
  // interrupted, the terminal echoes ^C and ping starts its summary on the next line
  lines.push(countArg === undefined && deadlineArg === undefined ? '^C' : '');
  const loss = Math.round(((count - received) / count) * 100);
  // one second between probes; a single probe reports 0ms
  const elapsed = count === 1 ? 0 : (count - 1) * 1000 + 3 * count;
  lines.push(`--- ${dst.value.text} ping statistics ---`);
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

/** traceroute (UDP probes, no name lookups): one answer per hop, `*` where none came. */
export function tracerouteCommand(ctx: ShellContext, args: readonly string[]): ShellResult {
  const [host] = positional(args, ['-m', '-q', '-w', '-f', '-p', '-s', '-i', '-t', '-N', '-z']);
  if (!host)
    return {
      // traceroute 2.1's usage line (it goes on to list every option)
      output:
        'Usage:\n  traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w MAX,HERE,NEAR ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]',
      status: 2,
    };
  const numeric = args.includes('-n');
  const queries = Number(option(args, '-q') ?? 3);
  if (!Number.isInteger(queries) || queries < 1 || queries > 10)
    return { output: `no more than 10 probes per hop` };
  const r = traceroute(ctx.net, ctx.session.namespace, host);
  if (!r.ok) return { output: r.error.text };
  const lines = [
    `traceroute to ${r.value.dst.text} (${r.value.dst.text}), ${r.value.maxHops} hops max, 60 byte packets`,
  ];
  for (const h of r.value.hops) {
    const end = h.trace.request.end;
    if (!h.from && end.kind === 'dropped' && end.drop.kind === 'localNoRoute') {
      // the UDP module connect()s first: no route ends the run before any probe
      lines.push('connect: Network is unreachable');
      break;
    }
    const n = String(h.ttl).padStart(2);
    if (!h.from) {
      lines.push(`${n}  ${Array(queries).fill('*').join(' ')}`);
      continue;
    }
    // every probe of a hop takes the same path here; later ones answer a little faster (warm caches)
    const times = Array.from(
      { length: queries },
      (_, q) => `${ms(rttMs(h.trace) / (q === 0 ? 1 : 2.5))} ms${h.mark ? ` ${h.mark}` : ''}`,
    );
    lines.push(`${n}  ${h.from.text}${numeric ? '' : ` (${h.from.text})`}  ${times.join('  ')}`);
  }
  return {
    output: lines.join('\n'),
    play: { from: ctx.session.namespace, dst: r.value.dst.text, protocol: 'traceroute' },
  };
}

/** The page a server behind the port sends back, by the image that listens. */
function body(ctx: ShellContext, t: Trace): string {
  const end = t.request.end;
  const pod = end.kind === 'delivered' ? ctx.net.pod(end.namespace) : undefined;
  const port = transport(end.packet);
  const image =
    pod?.containers.find((c) =>
      (c.ports ?? []).some((p) => port?.kind === 'tcp' && p.containerPort === port.dport),
    )?.image ?? '';
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
  if (!target || !parseIp(target.host).ok)
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
  const t = trace(ctx.net, {
    from: ctx.session.namespace,
    dst: target.host,
    protocol: 'tcp',
    dport: target.port,
    sport: nextPort(ctx),
  });
  if (!t.ok) return { output: t.error.text };
  remember(ctx, t.value);
  const play = {
    from: ctx.session.namespace,
    dst: target.host,
    protocol: 'tcp' as const,
    dport: target.port,
  };
  const failed = clientErrors(t.value, Math.round(timeout * 1000) + 1);
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
  const page = body(ctx, t.value);
  if (page.startsWith('curl: (')) return fail(page);
  const shown = [
    toFile === undefined ? page : silent ? '' : progressMeter(page.length + 1),
    written('200', target.host),
  ];
  return { output: shown.filter(Boolean).join('\n'), play };
}

/** OpenBSD netcat: `nc -z -v [-u] HOST PORT`. */
export function nc(ctx: ShellContext, args: readonly string[]): ShellResult {
  const udp = args.some((a) => /^-[a-z]*u/.test(a));
  const [host, portText] = positional(args, ['-w']);
  if (!host || !portText)
    return {
      output:
        'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]',
    };
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return { output: `nc: port number invalid: ${portText}` };
  if (!parseIp(host).ok)
    return { output: `nc: getaddrinfo for host "${host}" port ${port}: Name or service not known` };
  const protocol = udp ? 'udp' : 'tcp';
  const t = trace(ctx.net, {
    from: ctx.session.namespace,
    dst: host,
    protocol,
    dport: port,
    sport: nextPort(ctx),
  });
  if (!t.ok) return { output: t.error.text };
  remember(ctx, t.value);
  const play = { from: ctx.session.namespace, dst: host, protocol, dport: port } as const;
  if (udp) {
    // a UDP "connection" succeeds unless an ICMP port unreachable comes back
    const refused = !t.value.verdict.ok && t.value.response?.end.kind === 'delivered';
    const verboseUdp = args.some((x) => /^-[a-zA-Z]*v/.test(x));
    return {
      output: refused || !verboseUdp ? '' : `Connection to ${host} ${port} port [udp/*] succeeded!`,
      play,
    };
  }
  const failed = clientErrors(t.value);
  // OpenBSD nc reports only with -v; without it the exit status alone tells
  const verbose = args.some((x) => /^-[a-zA-Z]*v/.test(x));
  const status = failed ? 1 : 0;
  if (!verbose) return { output: '', play, status };
  return {
    output: failed ? failed.nc : `Connection to ${host} ${port} port [tcp/*] succeeded!`,
    play,
    status,
  };
}
