/**
 * podhop's command line: the engine without the browser. Every answer is the
 * engine's own text, as `ip`, `ping`, `traceroute` and `bridge` would print it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  buildNetwork,
  CNIS,
  DATAPATHS,
  withCni,
  example,
  EXAMPLE_NAMES,
  IPAM_MODES,
  isExampleName,
  loadScenarioDocument,
  normalizePodRef,
  parseIp,
  parseScenarioJson,
  printAddrBrief,
  printEvents,
  printFdb,
  printNeigh,
  printRouteGet,
  printRoutes,
  printTraceroute,
  scenarioToJson,
  trace,
  traceroute,
  underlayCapture,
  type CniName,
  type Datapath,
  type IpamMode,
  type Network,
  type Scenario,
  type Trace,
} from '../engine/index';
import { newShellSession, runShell } from '../engine/shell/index';
import { importKube, parseKubeText, scenarioToKubeYaml } from '../engine/kube/index';
import { clusterPolicies, printTruthTable, reachabilityTable } from '../engine/policy/index';
import { describeHop } from './describe';

const USAGE = `usage:
  podhop export SOURCE [--yaml]   (the scenario as JSON, or as Kubernetes manifests with --yaml)
  podhop show   SOURCE NAMESPACE route|addr|neigh|fdb      (a pod's NAMESPACE is its name, or ns/name outside default)
  podhop show   SOURCE NAMESPACE route-get DEST [--from IP --iif DEV]
  podhop ping   SOURCE FROM_NAMESPACE DEST_IP [--size BYTES]
  podhop traceroute SOURCE FROM_NAMESPACE DEST_IP
  podhop trace  SOURCE FROM_NAMESPACE DEST_IP [--proto icmp|udp|tcp] [--port N] [--ttl N] [--json]
  podhop tcpdump SOURCE FROM_NAMESPACE DEST_IP   (the underlay frames of one ping, tcpdump -e -v -n)
  podhop exec   SOURCE NAMESPACE -- COMMAND…   (the namespace's terminal: ip, iptables -t nat -S, curl, kubectl get pods…)
  podhop events SOURCE
  podhop reach  SOURCE [--proto TCP|UDP|SCTP] [--port N]   (what the NetworkPolicies allow, pod × pod, as the e2e suite's truth table)

SOURCE is --example NAME | --scenario FILE.json | --kube FILE, each with [--cni NAME] [--datapath MODE] [--ipam MODE] [--srccheck]
  --kube reads kubectl get namespaces,nodes,pods,services,endpointslices,networkpolicies -A -o json
  (or -o yaml, or YAML manifests) and says on stderr what it inferred and left out
examples: ${EXAMPLE_NAMES.join(', ')}; CNIs: ${CNIS.join(', ')}; datapaths: ${DATAPATHS.join(', ')}; ipam: ${IPAM_MODES.join(', ')}`;

class UsageError extends Error {}

function fail(text: string, code = 1): never {
  process.stderr.write(`${text}\n`);
  process.exit(code);
}

function scenarioFrom(values: Record<string, string | boolean | undefined>): Scenario {
  const datapath = values['datapath'] as string | undefined;
  const cni = values['cni'] as string | undefined;
  const ipam = values['ipam'] as string | undefined;
  if (cni !== undefined && !(CNIS as readonly string[]).includes(cni))
    throw new UsageError(`unknown CNI "${cni}" (${CNIS.join(', ')})`);
  if (datapath !== undefined && !(DATAPATHS as readonly string[]).includes(datapath))
    throw new UsageError(`unknown datapath "${datapath}" (${DATAPATHS.join(', ')})`);
  if (ipam !== undefined && !(IPAM_MODES as readonly string[]).includes(ipam))
    throw new UsageError(`unknown IPAM mode "${ipam}" (${IPAM_MODES.join(', ')})`);
  const overrides = {
    ...(datapath ? { datapath: datapath as Datapath } : {}),
    ...(cni ? { cni: cni as CniName } : {}),
    ...(ipam ? { ipam: ipam as IpamMode } : {}),
    srcCheck: values['srccheck'] === true,
  };
  const file = (values['scenario'] ?? values['kube']) as string | undefined;
  const name = values['example'] as string | undefined;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      return fail(
        `podhop: ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`,
      );
    }
    const loaded = values['kube'] ? loadKube(text) : parseScenarioJson(text);
    if (!loaded.ok) return fail(`podhop: ${file}: ${loaded.error.text}`);
    const s = loaded.value;
    const cluster = {
      ...s.cluster,
      ...(overrides.datapath ? { datapath: overrides.datapath } : {}),
      ...(overrides.ipam ? { ipam: overrides.ipam } : {}),
    };
    return {
      ...s,
      cluster: overrides.cni ? withCni(cluster, overrides.cni) : cluster,
      subnets: overrides.srcCheck ? s.subnets.map((x) => ({ ...x, srcDstCheck: true })) : s.subnets,
    };
  }
  if (!name) throw new UsageError('give --example NAME, --scenario FILE.json or --kube FILE');
  if (!isExampleName(name))
    throw new UsageError(`unknown example "${name}" (${EXAMPLE_NAMES.join(', ')})`);
  return example(name, overrides);
}

/** kubectl output → scenario document → the scenario loader, as a JSON file would go */
function loadKube(text: string) {
  const objects = parseKubeText(text);
  if (!objects.ok) return objects;
  const imported = importKube(objects.value);
  if (!imported.ok) return imported;
  for (const note of imported.value.notes) process.stderr.write(`podhop: ${note}\n`);
  return loadScenarioDocument(imported.value.document);
}

function networkFrom(values: Record<string, string | boolean | undefined>): Network {
  const built = buildNetwork(scenarioFrom(values));
  if (!built.ok) return fail(built.problems.map((p) => `${p.object}: ${p.text}`).join('\n'));
  // refused pods and Services are left out, as the API server would; say so, as kubectl apply does
  for (const p of built.rejected) process.stderr.write(`${p.object}: ${p.text}\n`);
  return built.network;
}

function namespaceOf(net: Network, name: string | undefined) {
  if (!name) throw new UsageError('missing NAMESPACE');
  const ns = net.namespace(name);
  if (!ns) return fail(`Cannot open network namespace "${name}": No such file or directory`);
  return ns;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (
    typeof value === 'object' &&
    value !== null &&
    'bits' in value &&
    'text' in value &&
    'family' in value
  ) {
    const v = value as { text: string; len?: number };
    return v.text;
  }
  return value;
}

function printTrace(t: Trace): string {
  const lines = t.hops.map((h, i) => describeHop(h, i + 1));
  lines.push(`verdict: ${t.verdict.ok ? 'ok' : 'FAIL'}: ${t.verdict.text}`);
  return lines.join('\n');
}

function main(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      example: { type: 'string' },
      scenario: { type: 'string' },
      kube: { type: 'string' },
      yaml: { type: 'boolean' },
      datapath: { type: 'string' },
      cni: { type: 'string' },
      ipam: { type: 'string' },
      srccheck: { type: 'boolean' },
      json: { type: 'boolean' },
      size: { type: 'string' },
      proto: { type: 'string' },
      port: { type: 'string' },
      ttl: { type: 'string' },
      from: { type: 'string' },
      iif: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  // a pod is named namespace/name as kubectl names it; `default/` may be left out
  const rest = args.map((a, i) => (i === 0 ? normalizePodRef(a) : a));
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const int = (v: string | undefined, what: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new UsageError(`${what}: "${v}" is not a whole number`);
    return n;
  };
  switch (command) {
    case 'export': {
      const built = buildNetwork(scenarioFrom(values));
      if (!built.ok) return fail(built.problems.map((p) => `${p.object}: ${p.text}`).join('\n'));
      for (const p of built.rejected) process.stderr.write(`${p.object}: ${p.text}\n`);
      process.stdout.write(
        values.yaml ? scenarioToKubeYaml(built.stored) : `${scenarioToJson(built.stored)}\n`,
      );
      return;
    }
    case 'show': {
      const net = networkFrom(values);
      const ns = namespaceOf(net, rest[0]);
      const what = rest[1];
      const printers: Record<string, () => string> = {
        route: () => printRoutes(ns),
        addr: () => printAddrBrief(ns),
        neigh: () => printNeigh(ns),
        fdb: () => printFdb(ns),
        'route-get': () => {
          const dst = parseIp(rest[2] ?? '');
          if (!dst.ok) throw new UsageError(`route-get: give a destination address (${dst.error})`);
          const from = values.from === undefined ? undefined : parseIp(values.from);
          if (from && !from.ok) throw new UsageError(`--from: ${from.error}`);
          return printRouteGet(ns, dst.value, {
            ...(from?.ok ? { from: from.value } : {}),
            ...(values.iif ? { iif: values.iif } : {}),
          });
        },
      };
      const print = what === undefined ? undefined : printers[what];
      if (!print) throw new UsageError(`show: what to show? ${Object.keys(printers).join('|')}`);
      const out = print();
      process.stdout.write(out === '' ? '' : `${out}\n`);
      for (const e of ns.installErrors) process.stderr.write(`${e.command}\n${e.text}\n`);
      return;
    }
    case 'ping':
    case 'trace':
    case 'tcpdump': {
      const net = networkFrom(values);
      namespaceOf(net, rest[0]);
      if (!rest[1]) throw new UsageError('missing DEST_IP');
      const proto = command === 'trace' ? (values.proto ?? 'icmp') : 'icmp';
      if (proto !== 'icmp' && proto !== 'udp' && proto !== 'tcp')
        throw new UsageError(`--proto: "${proto}" is not icmp, udp or tcp`);
      // --ttl and --size are ping's -t and -s (nc's -M for udp/tcp): a value the tool's parser
      // cannot read is refused in its words; a number out of range is refused by trace() itself
      const toolInt = (v: string | undefined, what: string): number | undefined => {
        if (v === undefined || /^[-+]?\d+$/.test(v.trim())) return v === undefined ? v : Number(v);
        if (proto === 'icmp') return fail(`ping: invalid argument: '${v}'`, 1);
        if (what === '--ttl') return fail('nc: ttl is invalid', 1);
        throw new UsageError(`${what}: "${v}" is not a whole number`);
      };
      const size = toolInt(values.size, '--size');
      const port = int(values.port, '--port');
      const ttl = toolInt(values.ttl, '--ttl');
      const t = trace(net, {
        from: rest[0]!,
        dst: rest[1],
        protocol: proto,
        ...(size !== undefined ? { size } : {}),
        ...(port !== undefined ? { dport: port } : {}),
        ...(ttl !== undefined ? { ttl } : {}),
      });
      if (!t.ok) return fail(t.error.text, 2);
      if (command === 'ping') {
        process.stdout.write(t.value.verdict.ok ? 'ok\n' : `FAIL: ${t.value.verdict.text}\n`);
        process.exitCode = t.value.verdict.ok ? 0 : 1;
      } else if (command === 'tcpdump') {
        const frames = underlayCapture(t.value, net);
        process.stdout.write(frames.length ? `${frames.join('\n')}\n` : '');
      } else if (values.json) {
        process.stdout.write(`${JSON.stringify(t.value, jsonReplacer, 2)}\n`);
      } else {
        process.stdout.write(`${printTrace(t.value)}\n`);
      }
      return;
    }
    case 'traceroute': {
      const net = networkFrom(values);
      namespaceOf(net, rest[0]);
      const r = traceroute(net, rest[0]!, rest[1] ?? '');
      if (!r.ok) return fail(r.error.text, 2);
      const [header, ...lines] = printTraceroute(r.value).split('\n');
      // traceroute writes its banner to stderr, the hops to stdout
      process.stderr.write(`${header}\n`);
      process.stdout.write(`${lines.join('\n')}\n`);
      return;
    }
    case 'exec': {
      // a command in a namespace's terminal: `podhop exec --example seed pod1a ip route`
      const net = networkFrom(values);
      namespaceOf(net, rest[0]);
      const r = runShell({ net, session: newShellSession(rest[0]!) }, rest.slice(1).join(' '));
      if (r.output) process.stdout.write(`${r.output}\n`);
      // the command's own exit status, as `kubectl exec` and `ip netns exec` pass it on
      if (r.status) process.exitCode = r.status;
      return;
    }
    case 'events': {
      const net = networkFrom(values);
      process.stdout.write(`${printEvents(net)}\n`);
      return;
    }
    case 'reach': {
      // test/e2e/network/netpol/truthtable.go's matrix: `.` connected, `X` blocked, source per line
      const net = networkFrom(values);
      const proto = (values.proto ?? 'TCP').toUpperCase();
      if (proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP')
        throw new UsageError(`--proto: "${values.proto}" is not TCP, UDP or SCTP`);
      const port = int(values.port, '--port') ?? 80;
      if (port < 1 || port > 65535)
        throw new UsageError(`--port: ${port} is not between 1 and 65535`);
      const cp = clusterPolicies(net.scenario);
      // a policy the API server would refuse is said in its words and not applied
      for (const r of cp.refused) process.stderr.write(`${r.object}: ${r.text}\n`);
      const table = reachabilityTable(cp.engine, { protocol: proto, port });
      if (table.froms.length === 0)
        return fail('podhop: reach: no pod has an IP: nothing to evaluate');
      process.stdout.write(`${printTruthTable(table)}\n`);
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

try {
  main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
    fail(`podhop: ${(e as Error).message}\n${USAGE}`, 2);
  throw e;
}
