import type { IptTable } from '../network/iptables';
import type { Namespace } from '../network/types';
import {
  printIptables,
  printIptablesChain,
  printIptablesSave,
  type CountersOf,
} from '../print/iptables';
import { printIptablesList } from '../print/iptablesList';
import { counterKey, type ShellContext, type ShellResult } from './session';

const PROGRAM = 'iptables v1.8.9 (nf_tables)';

/**
 * The built-in chains of the tables iptables-nft knows (nft.c
 * xtables_ipv4[]): a table nobody wrote to still lists them, policy ACCEPT,
 * counters 0 (nft_xt_fake_builtin_chains) — no base chain is hooked, so
 * nothing is counted.
 */
const BUILTINS: Readonly<Record<string, readonly string[]>> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** Exit statuses of xtables_error (include/xtables.h enum xtables_exittype). */
const OTHER_PROBLEM = 1;
const PARAMETER_PROBLEM = 2;
const VERSION_PROBLEM = 3;
const RESOURCE_PROBLEM = 4;

const parameterProblem = (text: string): ShellResult => ({
  output: `${PROGRAM}: ${text}\nTry \`iptables -h' or 'iptables --help' for more information.`,
  status: PARAMETER_PROBLEM,
});

interface Command {
  readonly table: string;
  readonly command: 'S' | 'L';
  readonly chain?: string;
  readonly verbose: boolean;
  readonly numeric: boolean;
  readonly exact: boolean;
  readonly lineNumbers: boolean;
}

/** iptables' getopt: short flags group (`-nvL`), `-t` takes a value, `-S`/`-L` an optional chain. */
function parse(args: readonly string[]): Command | ShellResult {
  let table = 'filter';
  let command: 'S' | 'L' | undefined;
  let chain: string | undefined;
  let verbose = false;
  let numeric = false;
  let exact = false;
  let lineNumbers = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const long: Record<string, string> = {
      '--list-rules': 'S',
      '--list': 'L',
      '--verbose': 'v',
      '--numeric': 'n',
      '--exact': 'x',
      '--table': 't',
    };
    if (a === '--line-numbers') {
      lineNumbers = true;
      continue;
    }
    const letters = long[a] ?? (/^-[a-zA-Z]+$/.test(a) ? a.slice(1) : undefined);
    if (letters === undefined) {
      if (a.startsWith('-')) return parameterProblem(`unknown option "${a}"`);
      return parameterProblem(`Bad argument \`${a}'`);
    }
    for (let k = 0; k < letters.length; k++) {
      const c = letters[k]!;
      if (c === 't') {
        const v = k + 1 < letters.length ? letters.slice(k + 1) : args[++i];
        if (v === undefined) return parameterProblem('option "-t" requires an argument');
        table = v;
        break;
      }
      if (c === 'S' || c === 'L') {
        if (command) return parameterProblem('Illegal option `-' + c + "' with this command");
        command = c;
        // an optional chain: the next word when it is no option
        if (k === letters.length - 1 && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-'))
          chain = args[++i];
      } else if (c === 'v') verbose = true;
      else if (c === 'n') numeric = true;
      else if (c === 'x') exact = true;
      else if ('ADIRNXPEFZC'.includes(c))
        return {
          output: `podhop: this iptables lists rules (-S, -L); kube-proxy writes them on every node`,
          status: OTHER_PROBLEM,
        };
      else return parameterProblem(`unknown option "-${c}"`);
    }
  }
  if (!command) return parameterProblem('no command specified');
  return {
    table,
    command,
    ...(chain !== undefined ? { chain } : {}),
    verbose,
    numeric,
    exact,
    lineNumbers,
  };
}

/**
 * A namespace's table by name: kube-proxy's nat or filter where it wrote one, else the
 * built-in chains iptables-nft shows for a table nobody wrote to (`own` undefined).
 */
function tableOf(
  ns: Namespace | undefined,
  name: string,
): { readonly table: IptTable; readonly own?: IptTable } | undefined {
  const builtins = BUILTINS[name];
  if (!builtins) return undefined;
  const own = name === 'nat' || name === 'filter' ? ns?.iptables?.[name] : undefined;
  if (own) return { table: own, own };
  return { table: { name: name === 'nat' ? 'nat' : 'filter', builtins, chains: [], rules: [] } };
}

/** The counters this dock's probes moved in a table (all 0 in a table nobody wrote to). */
function countersOf(ctx: ShellContext, own: IptTable | undefined): CountersOf {
  return (chain, rule) =>
    (own &&
      ctx.session.kernel.counters.get(
        counterKey(ctx.session.namespace, own.name, chain, rule?.line),
      )) ?? { packets: 0, bytes: 0 };
}

/**
 * `iptables [-t TABLE] -S [CHAIN] [-v]` and `-L [CHAIN] [-n] [-v] [-x]
 * [--line-numbers]` on a node (kube-proxy's tables) or a router (empty
 * built-in chains). The counters are what the probes of this dock's
 * terminals moved through the namespace.
 */
export function iptablesCommand(ctx: ShellContext, args: readonly string[]): ShellResult {
  const cmd = parse(args);
  if ('output' in cmd) return cmd;
  const ns = ctx.net.namespace(ctx.session.namespace);
  if (ns?.kind === 'pod')
    // a container runs without CAP_NET_ADMIN, so netlink refuses nf_tables' first request
    return {
      output: `${PROGRAM}: Could not fetch rule set generation id: Permission denied (you must be root)`,
      status: RESOURCE_PROBLEM,
    };
  const found = tableOf(ns, cmd.table);
  if (!found)
    return {
      output: `${PROGRAM}: table '${cmd.table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.`,
      status: VERSION_PROBLEM,
    };
  const { table } = found;
  const counters = countersOf(ctx, found.own);
  const text =
    cmd.command === 'S'
      ? cmd.chain === undefined
        ? printIptables(table, cmd.verbose ? counters : undefined)
        : printIptablesChain(table, cmd.chain, cmd.verbose ? counters : undefined)
      : printIptablesList(
          table,
          {
            numeric: cmd.numeric,
            verbose: cmd.verbose,
            exact: cmd.exact,
            lineNumbers: cmd.lineNumbers,
            counters,
          },
          cmd.chain,
        );
  if (text === undefined)
    // iptables-nft 1.8.9 (nft.c nft_assert_table_compatible) for a chain the table lacks
    return {
      output: `${PROGRAM}: chain \`${cmd.chain ?? ''}' in table \`${cmd.table}' is incompatible, use 'nft' tool.`,
      status: OTHER_PROBLEM,
    };
  return { output: text, status: 0 };
}

/**
 * The tables a podhop node holds, in the order nft lists them: kubelet and kube-proxy
 * create nat before filter at start (the mangle table of their canaries is not modelled).
 */
const SAVED_TABLES = ['nat', 'filter'] as const;

/**
 * `iptables-save [-t TABLE] [-c]` (xtables-save.c): every table the node has, or one.
 * The header's time is the node's clock.
 */
export function iptablesSaveCommand(
  ctx: ShellContext,
  args: readonly string[],
  now: Date = new Date(),
): ShellResult {
  const SAVE = 'iptables-save v1.8.9 (nf_tables)';
  let table: string | undefined;
  let withCounters = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c' || a === '--counters') withCounters = true;
    else if (a === '-t' || a === '--table') {
      table = args[++i];
      if (table === undefined)
        return { output: `${SAVE}: option '${a}' requires an argument`, status: PARAMETER_PROBLEM };
    } else if (a.startsWith('-t') && a.length > 2) table = a.slice(2);
    else
      return {
        output: `Unknown arguments found on commandline`,
        status: PARAMETER_PROBLEM,
      };
  }
  const ns = ctx.net.namespace(ctx.session.namespace);
  if (ns?.kind === 'pod')
    return {
      output: `${SAVE}: Could not fetch rule set generation id: Permission denied (you must be root)`,
      status: RESOURCE_PROBLEM,
    };
  if (table !== undefined && !BUILTINS[table])
    return { output: `Table \`${table}' does not exist`, status: OTHER_PROBLEM };
  const text = (table ? [table] : SAVED_TABLES).flatMap((name) => {
    const found = tableOf(ns, name);
    // a table nobody wrote to is not listed when all are saved; asked for, its built-ins are
    if (!found || (!found.own && !table)) return [];
    return [printIptablesSave(name, found.table, countersOf(ctx, found.own), withCounters, now)];
  });
  return { output: text.join('\n'), status: 0 };
}
