import type { IpAddr } from '../addr/ip';
import { TRACEROUTE_MAX_HOPS, TRACEROUTE_PACKET_BYTES, traceroute } from '../walk/traceroute';
import { nameOf, resolveHost } from './hosts';
import { ms, remember, rttMs } from './probes';
import type { ShellContext, ShellResult } from './session';

/** traceroute 2.1's options that take a value (traceroute.c option_list), by letter and long name. */
const TRACEROUTE_VALUED: Readonly<Record<string, string>> = {
  f: 'first_ttl',
  g: 'gate',
  i: 'device',
  m: 'max_ttl',
  N: 'squeries',
  p: 'port',
  t: 'tos',
  l: 'flow_label',
  w: 'MAX,HERE,NEAR',
  q: 'nqueries',
  s: 'src_addr',
  z: 'sendwait',
  M: 'name',
  O: 'OPTS,...',
  P: 'prot',
};
const TRACEROUTE_LONG: Readonly<Record<string, string>> = {
  first: 'f',
  'max-hops': 'm',
  queries: 'q',
  'sim-queries': 'N',
  port: 'p',
  wait: 'w',
  source: 's',
  interface: 'i',
  gateway: 'g',
  tos: 't',
  flowlabel: 'l',
  sendwait: 'z',
  module: 'M',
  options: 'O',
  protocol: 'P',
};
const TRACEROUTE_FLAGS = '46dFITnrAUDVe';

const TRACEROUTE_USAGE =
  'Usage:\n  traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w MAX,HERE,NEAR ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]';

/** How long an unanswered ARP takes to fail (neigh_timer_handler: 3 probes, 1 s apart). */
const ARP_FAILURE_MS = 3000;

/** libsupp/clif.c set_uint: strtoul(arg, &q, 0) into an unsigned int, the whole word or nothing. */
function clifUint(text: string): number | undefined {
  const m = /^\s*([+-]?)(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.exec(text);
  if (!m) return undefined;
  const body = m[2]!;
  const v = /^0x/i.test(body)
    ? BigInt(body)
    : body.length > 1 && body.startsWith('0')
      ? BigInt(`0o${body.slice(1)}`)
      : BigInt(body);
  const u32 = BigInt.asUintN(32, m[1] === '-' ? -v : v);
  return Number(u32);
}

interface TracerouteArgs {
  readonly host: string;
  readonly numeric: boolean;
  /** each valued option by letter: its value, where it was, and how it was spelt (`-m`, `--max-hops`) */
  readonly values: ReadonlyMap<
    string,
    { readonly arg: string; readonly argc: number; readonly spelt: string }
  >;
  readonly packetlen?: string;
}

/**
 * CLIF_parse with CLIF_MAY_JOIN_ARG, as traceroute calls it: flags group
 * (`-nI`), a value follows its letter (`-m5`) or comes next (`-m 5`), long
 * options take `=` or the next word. Errors are CLIF's own lines (exit 2).
 */
function parseTracerouteArgs(args: readonly string[]): TracerouteArgs | string {
  const values = new Map<string, { arg: string; argc: number; spelt: string }>();
  const rest: string[] = [];
  let numeric = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const argc = i + 1;
    if (word.startsWith('--') && word.length > 2) {
      const [name, inline] = word.slice(2).split(/=(.*)/s) as [string, string | undefined];
      const letter = TRACEROUTE_LONG[name];
      if (!letter) return `Bad option \`${word}' (argc ${argc})`;
      const arg = inline ?? args[++i];
      if (arg === undefined)
        return `Option \`--${name}' (argc ${argc}) requires an argument: \`--${name}=${TRACEROUTE_VALUED[letter]}'`;
      values.set(letter, {
        arg,
        argc: inline === undefined ? argc + 1 : argc,
        spelt: `--${name}`,
      });
      continue;
    }
    if (!word.startsWith('-') || word === '-') {
      rest.push(word);
      continue;
    }
    for (let k = 1; k < word.length; k++) {
      const c = word[k]!;
      const valued = TRACEROUTE_VALUED[c];
      if (valued) {
        if (k + 1 < word.length) {
          // a value joined to its letter only right after the dash (`-m5`, not `-nm5`)
          if (k !== 1)
            return `Option \`-${c}' (argc ${argc}) requires an argument: \`-${c} ${valued}'`;
          values.set(c, { arg: word.slice(k + 1), argc, spelt: `-${c}` });
        } else {
          const arg = args[i + 1];
          if (arg === undefined)
            return `Option \`-${c}' (argc ${argc}) requires an argument: \`-${c} ${valued}'`;
          values.set(c, { arg, argc: ++i + 1, spelt: `-${c}` });
        }
        break;
      }
      if (!TRACEROUTE_FLAGS.includes(c)) return `Bad option \`-${c}' (argc ${argc})`;
      if (c === 'n') numeric = true;
    }
  }
  if (!rest[0]) return TRACEROUTE_USAGE;
  return {
    host: rest[0],
    numeric,
    values,
    ...(rest[1] !== undefined ? { packetlen: rest[1] } : {}),
  };
}

/**
 * traceroute 2.1 (UDP probes): one line a TTL from `-f` to `-m`, each answer
 * `name (address)` (the name from /etc/hosts, else the address again) or `*`.
 * Exit statuses (traceroute.c): 2 for a bad command line (CLIF's complaint,
 * or ex_error: `first hop out of range`, `max hops cannot be more than 255`,
 * `no more than 10 probes per hop`), 1 for a failed system call after the
 * header (error(): `connect: Network is unreachable`), else 0.
 */
export function tracerouteCommand(ctx: ShellContext, args: readonly string[]): ShellResult {
  const parsed = parseTracerouteArgs(args);
  if (typeof parsed === 'string') return { output: parsed, status: 2 };
  // CLIF runs each option's setter in command-line order: the first bad number stops it (err_bad_res)
  const order = [...parsed.values.entries()].sort((a, b) => a[1].argc - b[1].argc);
  for (const [letter, v] of order)
    if ('fmqN'.includes(letter) && clifUint(v.arg) === undefined)
      return {
        output: `Cannot handle \`${v.spelt}' option with arg \`${v.arg}' (argc ${v.argc})`,
        status: 2,
      };
  const uint = (letter: string, fallback: number): number => {
    const v = parsed.values.get(letter);
    return v ? (clifUint(v.arg) ?? fallback) : fallback;
  };
  const target = resolveHost(ctx, parsed.host);
  if (!target)
    return {
      output: `${parsed.host}: Name or service not known\nCannot handle "host" cmdline arg \`${parsed.host}' on position 1 (argc ${args.indexOf(parsed.host) + 1})`,
      status: 2,
    };
  let packetBytes = TRACEROUTE_PACKET_BYTES;
  if (parsed.packetlen !== undefined) {
    const n = /^[+-]?\d+$/.test(parsed.packetlen) ? Number(parsed.packetlen) : NaN;
    if (Number.isNaN(n))
      return {
        output: `Cannot handle "packetlen" cmdline arg \`${parsed.packetlen}' on position 2 (argc ${args.lastIndexOf(parsed.packetlen) + 1})`,
        status: 2,
      };
    if (n > 65000) return { output: `too big packetlen ${n} specified`, status: 2 };
    // a length under the headers' 28 bytes leaves the probe empty (traceroute.c main)
    packetBytes = n >= 28 ? n : 28;
  }
  const firstHop = uint('f', 1);
  const maxHops = uint('m', TRACEROUTE_MAX_HOPS);
  const queries = uint('q', 3);
  if (!firstHop || firstHop > maxHops) return { output: 'first hop out of range', status: 2 };
  if (maxHops > 255) return { output: 'max hops cannot be more than 255', status: 2 };
  if (!queries || queries > 10) return { output: 'no more than 10 probes per hop', status: 2 };
  const dst = target.ip.text;
  const header = `traceroute to ${parsed.host} (${dst}), ${maxHops} hops max, ${packetBytes} byte packets`;
  const r = traceroute(ctx.net, ctx.session.namespace, dst, { maxHops, firstHop, packetBytes });
  // the UDP module connect()s each probe socket: a refusal ends the run after the header (error())
  if (!r.ok)
    return r.error.kind === 'broadcast'
      ? { output: `${header}\n${r.error.text}`, status: 1 }
      : { output: r.error.text, status: 2 };
  const lines = [header];
  const who = (ip: IpAddr) =>
    parsed.numeric ? ip.text : `${nameOf(ctx, ip) ?? ip.text} (${ip.text})`;
  let status = 0;
  for (const h of r.value.hops) {
    // each of the hop's probes is a flow of its own (its own destination port)
    remember(ctx, h.trace, { packets: queries, flows: queries });
    const end = h.trace.request.end;
    if (!h.from && end.kind === 'dropped' && end.drop.kind === 'localNoRoute') {
      // the UDP module connect()s first: no route ends the run before any probe
      lines.push('connect: Network is unreachable');
      status = 1;
      break;
    }
    const n = String(h.ttl).padStart(2);
    if (!h.from) {
      lines.push(`${n}  ${Array(queries).fill('*').join(' ')}`);
      continue;
    }
    // every probe of a hop takes the same path here; later ones answer a little faster (warm caches).
    // A host unreachable is an ARP that failed: the kernel gives up after mcast_solicit (3)
    // probes retrans_time_ms (1000) apart, and the probes queued on it fail together
    const arp = h.mark === '!H' ? ARP_FAILURE_MS : 0;
    const times = Array.from({ length: queries }, (_, q) => {
      const t = arp ? arp + rttMs(h.trace) - 0.01 * q : rttMs(h.trace) / (q === 0 ? 1 : 2.5);
      return `${ms(t)} ms${h.mark ? ` ${h.mark}` : ''}`;
    });
    lines.push(`${n}  ${who(h.from)}  ${times.join('  ')}`);
  }
  return {
    output: lines.join('\n'),
    play: { from: ctx.session.namespace, dst, protocol: 'traceroute' },
    status,
  };
}
