import { nthAddress, parsePrefix } from '../addr/ip';
import {
  printEndpoints,
  printEvents,
  printPods,
  type PodScope,
  printPodsWide,
  printServices,
} from '../print/kubectl';
import { conntrackLine } from '../walk/netfilter';
import { bridgeCommand, ipCommand } from './ip';
import { curl, ping } from './probes';
import { tracerouteCommand } from './traceroute';
import { nc } from './netcat';
import { iptablesCommand, iptablesSaveCommand } from './iptables';
import type { Namespace } from '../network/types';
import { parseCommandLine, wordsOf } from './commandList';
import type { ShellContext, ShellPlay, ShellResult } from './session';
import { echo, grep, head, tail, wc } from './textTools';
import { listeningSockets } from './sockets';
import { hostName, hostsFile } from './hosts';
import {
  describeNetworkPolicies,
  getNetworkPolicies,
  NETWORK_POLICY_RESOURCES,
} from './kubectlPolicy';

export const SHELL_COMMANDS = [
  'ip',
  'bridge',
  'iptables',
  'iptables-save',
  'conntrack',
  'ping',
  'traceroute',
  'curl',
  'nc',
  'hostname',
  'cat',
  'ss',
  'kubectl',
  'grep',
  'head',
  'tail',
  'wc',
  'echo',
  'clear',
  'exit',
  'help',
] as const;

/** `root@pod1a:/# ` in a pod (kubectl exec), `root@node1:~# ` on a host. */
export function shellPrompt(ctx: ShellContext): string {
  const kind = ctx.net.namespace(ctx.session.namespace)?.kind;
  return `root@${hostName(ctx)}:${kind === 'pod' ? '/' : '~'}# `;
}

function resolvConf(ctx: ShellContext): string {
  if (ctx.net.namespace(ctx.session.namespace)?.kind !== 'pod') {
    // systemd-resolved's stub, as on an Ubuntu node
    return 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .';
  }
  // kubelet writes clusterDNS (kubeadm default: the service range's .10) and the search path,
  // the pod's own namespace first (pkg/kubelet/network/dns: <ns>.svc.<domain> svc.<domain> <domain>)
  const range = parsePrefix(ctx.net.scenario.cluster.serviceCidr);
  const dns = range.ok ? nthAddress(range.value, 10n).text : '10.96.0.10';
  const ns = ctx.net.pod(ctx.session.namespace)?.namespace ?? 'default';
  return `search ${ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${dns}\noptions ndots:5`;
}

/**
 * `ss -l [-t|-u] [-n] [-H]`: what listens in the namespace — the running
 * containers' ports (a clashing one never bound) and the sockets the
 * terminals' tools opened (`nc -l`). Only listening sockets are kept here, so
 * without `-l` or `-a` the list is empty; `-H` (--no-header) drops the header.
 */
function ss(ctx: ShellContext, args: readonly string[]): string {
  const flags = args.filter((a) => /^-[a-zA-Z]+$/.test(a)).join('');
  const udp = flags.includes('u') || args.includes('--udp');
  const tcp = flags.includes('t') || args.includes('--tcp') || !udp;
  const listening =
    flags.includes('l') ||
    flags.includes('a') ||
    args.includes('--listening') ||
    args.includes('--all');
  const header = !flags.includes('H') && !args.includes('--no-header');
  const lines = header ? ['State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess'] : [];
  if (!listening) return lines.join('\n');
  for (const sock of listeningSockets(ctx, ctx.session.namespace)) {
    if (sock.protocol === 'tcp' ? !tcp : !udp) continue;
    const state = sock.protocol === 'udp' ? 'UNCONN' : 'LISTEN';
    const any = sock.local === '*' ? '*:*' : '0.0.0.0:*';
    lines.push(
      `${state.padEnd(6)} 0      ${String(sock.backlog).padEnd(6)} ${`${sock.local}:${sock.port}`.padStart(18)} ${any.padStart(18)}`,
    );
  }
  return lines.join('\n');
}

function conntrack(ctx: ShellContext, args: readonly string[]): string {
  if (!args.includes('-L'))
    return 'conntrack v1.4.7 (conntrack-tools): no command specified. Please, use -L';
  const mine = ctx.session.conntrack.filter((e) => e.namespace === ctx.session.namespace);
  return [
    ...mine.map(conntrackLine),
    `conntrack v1.4.7 (conntrack-tools): ${mine.length} flow entries have been shown.`,
  ].join('\n');
}

function kubectl(ctx: ShellContext, args: readonly string[]): ShellResult {
  if (ctx.net.namespace(ctx.session.namespace)?.kind !== 'node')
    return { output: 'bash: kubectl: command not found', status: 127 };
  if (NETWORK_POLICY_RESOURCES.has(args[1] ?? '')) {
    const name = objectName(args.slice(2));
    if (args[0] === 'get') return getNetworkPolicies(ctx.net, podScope(args), name);
    if (args[0] === 'describe') return describeNetworkPolicies(ctx.net, podScope(args), name);
  }
  return { output: kubectlGet(ctx, args) };
}

/** The first word after the resource that is neither a flag nor a flag's value: the object's name. */
function objectName(rest: readonly string[]): string | undefined {
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '-n' || a === '--namespace' || a === '-o') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** `-A` / `--all-namespaces`, or `-n NS` / `--namespace NS` / `--namespace=NS`; else `default`. */
function podScope(args: readonly string[]): PodScope {
  if (args.includes('-A') || args.includes('--all-namespaces')) return 'all';
  const at = args.findIndex((a) => a === '-n' || a === '--namespace');
  const flag = '--namespace=';
  const given = at >= 0 ? args[at + 1] : args.find((a) => a.startsWith(flag))?.slice(flag.length);
  return { namespace: given ?? 'default' };
}

function kubectlGet(ctx: ShellContext, args: readonly string[]): string {
  if (args[0] !== 'get') return `error: unknown command "${args[0] ?? ''}" for "kubectl"`;
  switch (args[1]) {
    case 'pods':
    case 'pod':
    case 'po':
      return args.includes('wide') || args.includes('-owide')
        ? printPodsWide(ctx.net, podScope(args))
        : printPods(ctx.net, podScope(args));
    case 'svc':
    case 'service':
    case 'services':
      return printServices(ctx.net, podScope(args));
    case 'endpoints':
    case 'ep':
      return printEndpoints(ctx.net, podScope(args));
    case 'events':
    case 'event':
    case 'ev':
      return printEvents(ctx.net);
    default:
      return `error: the server doesn't have a resource type "${args[1] ?? ''}"`;
  }
}

const HELP = `podhop terminal: commands answer from the simulated kernel, as Linux would.
  ip [-br] addr | ip route | ip route get ADDR [from ADDR iif DEV] | ip neigh | bridge fdb
  iptables [-t nat] -S [CHAIN] [-v] | iptables [-t nat] -L [CHAIN] [-n] [-v] | iptables-save [-t nat|filter] [-c]
  conntrack -L | ss -ltn [-H]
  ping [-c N] [-s SIZE] [-t TTL] HOST | traceroute [-n] [-m MAX] [-q N] HOST | curl http://HOST[:PORT]/
  nc -zv HOST PORT | nc -l PORT | hostname | cat /etc/hosts | cat /etc/resolv.conf
  kubectl get pods|svc|endpoints|events|networkpolicy [-n NS | -A] (on a node)
  kubectl describe networkpolicy [NAME] [-n NS] | clear | exit; $? is the last status
  pipes into grep, head, tail and wc; lists with ;, && and ||`;

/** One command of a pipeline, with what the command before it printed as its stdin. */
function runCommand(
  ctx: ShellContext,
  ns: Namespace,
  [cmd, ...args]: readonly string[],
  stdin: string,
): ShellResult {
  switch (cmd) {
    case 'ip':
      return ipCommand(ns, args);
    case 'bridge':
      return bridgeCommand(ns, args);
    case 'iptables':
      return iptablesCommand(ctx, args);
    case 'iptables-save':
      return iptablesSaveCommand(ctx, args);
    case 'conntrack':
      return { output: conntrack(ctx, args) };
    case 'ping':
      return ping(ctx, args);
    case 'traceroute':
      return tracerouteCommand(ctx, args);
    case 'curl':
      return curl(ctx, args);
    case 'nc':
      return nc(ctx, args);
    case 'grep':
      return grep(args, stdin);
    case 'head':
      return head(args, stdin);
    case 'tail':
      return tail(args, stdin);
    case 'wc':
      return wc(args, stdin);
    case 'echo':
      return echo(args);
    case 'hostname':
      return { output: hostName(ctx) };
    case 'cat':
      if (args[0] === '/etc/resolv.conf') return { output: resolvConf(ctx) };
      if (args[0] === '/etc/hostname') return { output: hostName(ctx) };
      if (args[0] === '/etc/hosts') return { output: hostsFile(ctx) };
      return args[0]
        ? { output: `cat: ${args[0]}: No such file or directory`, status: 1 }
        : { output: stdin };
    case 'ss':
      return { output: ss(ctx, args) };
    case 'kubectl':
      return kubectl(ctx, args);
    case 'clear':
      return { output: '', clear: true };
    case 'exit':
      return { output: 'exit', exit: true };
    case 'help':
      return { output: HELP };
    default:
      return { output: `bash: ${cmd}: command not found`, status: 127 };
  }
}

/**
 * Runs one command line in a namespace's terminal: pipelines joined by `;`,
 * `&&` and `||`, each command reading the one before it. Never throws: every
 * answer is text. What a command prints goes to the next one in its pipeline;
 * the last pipeline's packet is the one the canvas plays.
 */
export function runShell(ctx: ShellContext, line: string): ShellResult {
  const parsed = parseCommandLine(line);
  if (!parsed.ok) return { output: parsed.error, status: 2 };
  if (parsed.pipelines.length === 0) return { output: '' };
  const ns = ctx.net.namespace(ctx.session.namespace);
  if (!ns)
    return {
      output: `Cannot open network namespace "${ctx.session.namespace}": No such file or directory`,
      exit: true,
    };
  const printed: string[] = [];
  let status = 0;
  let play: ShellPlay | undefined;
  let clear = false;
  for (const p of parsed.pipelines) {
    if ((p.after === '&&' && status !== 0) || (p.after === '||' && status === 0)) continue;
    let stdin = '';
    // `$?` is the status of the pipeline before: every command of this one is expanded with it
    const before = String(status);
    for (const c of p.commands) {
      const argv = c.argv.map((w) => w.replaceAll('$?', before));
      const r = runCommand(ctx, ns, argv, stdin);
      if (r.exit) return { ...r, output: [...printed, r.output].filter(Boolean).join('\n') };
      stdin = c.stdoutToFile ? '' : r.output;
      status = r.status ?? 0;
      if (r.play) play = r.play;
      if (r.clear) {
        clear = true;
        printed.length = 0;
      }
    }
    if (stdin) printed.push(stdin);
  }
  return {
    output: printed.join('\n'),
    status,
    ...(play ? { play } : {}),
    ...(clear ? { clear } : {}),
  };
}

/** Tab completion: command names first, then addresses and namespace names for arguments. */
export function shellCompletions(ctx: ShellContext, whole: string): string[] {
  // complete the command after the last pipe or list operator
  const line = whole.slice(Math.max(...['|', ';', '&'].map((op) => whole.lastIndexOf(op))) + 1);
  const words = wordsOf(line);
  const last = /\s$/.test(line) ? '' : (words.at(-1) ?? '');
  if (words.length <= 1 && !/\s$/.test(line))
    return SHELL_COMMANDS.filter((c) => c.startsWith(last));
  const candidates = new Set<string>();
  const cmd = words[0];
  if (cmd === 'ip') ['addr', 'route', 'neigh', '-br', 'get'].forEach((w) => candidates.add(w));
  if (cmd === 'iptables') ['-t', 'nat', '-S', '-L', '-n', '-v'].forEach((w) => candidates.add(w));
  if (cmd === 'iptables-save') ['-t', 'nat', 'filter', '-c'].forEach((w) => candidates.add(w));
  if (cmd === 'cat') ['/etc/resolv.conf', '/etc/hosts'].forEach((w) => candidates.add(w));
  if (cmd === 'kubectl')
    ['get', 'describe', 'pods', 'svc', 'endpoints', 'events', 'networkpolicy'].forEach((w) =>
      candidates.add(w),
    );
  for (const name of ctx.net.namespaceNames) {
    for (const d of ctx.net.namespace(name)?.devices ?? [])
      for (const a of d.addresses) if (a.scope === 'global') candidates.add(a.ip.text);
  }
  for (const s of ctx.net.scenario.services)
    if (s.clusterIP) candidates.add(cmd === 'curl' ? `http://${s.clusterIP}/` : s.clusterIP);
  return [...candidates].filter((c) => c.startsWith(last)).sort();
}
