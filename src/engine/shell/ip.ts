import { parseIp, type IpAddr } from '../addr/ip';
import {
  printAddr,
  printAddrBrief,
  printLink,
  printLinkBrief,
  type AddrFilter,
} from '../print/addr';
import { printFdb } from '../print/fdb';
import { printLocalTable } from '../print/localTable';
import { printNeigh } from '../print/neigh';
import { printRoutes } from '../print/route';
import { routeGetAnswer } from '../print/routeGet';
import type { Namespace } from '../network/types';
import type { ShellResult } from './session';

/**
 * iproute2's `matches()`: a word selects a keyword when it is a prefix of it,
 * and the first keyword in iproute2's own order wins (`ip a` is address,
 * `ip r` route, `ip n` neighbour, `ip l` link; ip/ip.c `cmds[]`).
 */
const matches = (word: string, keyword: string) => word.length > 0 && keyword.startsWith(word);

const OBJECTS: readonly [string, 'addr' | 'route' | 'neigh' | 'link' | undefined][] = [
  ['address', 'addr'],
  ['addrlabel', undefined],
  ['maddress', undefined],
  ['route', 'route'],
  ['rule', undefined],
  ['neighbour', 'neigh'],
  ['neighbor', 'neigh'],
  ['ntable', undefined],
  ['ntbl', undefined],
  ['link', 'link'],
];

const SHOW = ['list', 'show', 'lst'];
const CHANGE = ['add', 'change', 'chg', 'replace', 'delete', 'flush', 'append', 'prepend'];

/**
 * ip's exit statuses (ip/ip.c, lib/utils.c): `main` returns `-(cmd())`, so a
 * command that fails returning -1 exits 1 (`Device "x" does not exist.`,
 * `Cannot find device`), one whose netlink request the kernel refuses returns
 * -2 and exits 2 (every `RTNETLINK answers: …`), and `usage()`, `invarg()`
 * and `incomplete_command()` call `exit(-1)`: 255.
 */
const EXIT_FAILURE = 1;
const EXIT_RTNETLINK = 2;
const EXIT_USAGE = 255;

const fail = (output: string, status: number): ShellResult => ({ output, status });
const shown = (output: string): ShellResult => ({ output, status: 0 });

/** `ip [-4|-6] [-br] OBJECT [show [dev] NAME | get …]`, as iproute2 answers. */
export function ipCommand(ns: Namespace, args: readonly string[]): ShellResult {
  let brief = false;
  let family: 4 | 6 | undefined;
  let i = 0;
  while (args[i]?.startsWith('-')) {
    const opt = args[i]!.replace(/^--?/, '-');
    if (opt === '-4') family = 4;
    else if (opt === '-6') family = 6;
    else if (opt.length > 2 && matches(opt.slice(1), 'brief')) brief = true;
    // colour, details and statistics change nothing this shell prints
    else if (!['-c', '-color', '-d', '-details', '-s', '-stats', '-n'].includes(opt))
      return fail(`Option "${args[i]}" is unknown, try "ip -help".`, EXIT_USAGE);
    i++;
  }
  const objWord = args[i];
  if (!objWord)
    return fail(
      'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { address | addrlabel | fou | help | ila | ioam | l2tp | link |\n                   macsec | maddress | monitor | mptcp | mroute | mrule |\n                   neighbor | neighbour | netconf | netns | nexthop | ntable |\n                   ntbl | route | rule | sr | tap | tcpmetrics |\n                   token | tunnel | tuntap | vrf | xfrm }',
      EXIT_USAGE,
    );
  const known = OBJECTS.find(([k]) => matches(objWord, k));
  if (!known) return fail(`Object "${objWord}" is unknown, try "ip help".`, EXIT_FAILURE);
  const obj = known[1];
  if (!obj) return fail('RTNETLINK answers: Operation not supported', EXIT_RTNETLINK);
  const cmd = args[i + 1] ?? 'show';
  const rest = args.slice(i + 2);
  if (obj === 'route' && matches(cmd, 'get') && !SHOW.some((k) => matches(cmd, k)))
    return routeGet(ns, rest);
  if (!SHOW.some((k) => matches(cmd, k))) {
    // a container has no CAP_NET_ADMIN: the kernel refuses the change (EPERM)
    if (CHANGE.some((k) => matches(cmd, k)))
      return fail('RTNETLINK answers: Operation not permitted', EXIT_RTNETLINK);
    return fail(`Command "${cmd}" is unknown, try "ip ${known[0]} help".`, EXIT_USAGE);
  }
  if (obj === 'route') return showRoutes(ns, rest);
  if (obj === 'neigh') return shown(printNeigh(ns));
  // `show [dev] NAME`: one device, or iproute2's complaint about a missing one
  const devWord = rest[0] === 'dev' ? rest[1] : rest[0];
  if (devWord !== undefined && !ns.devices.some((d) => d.name === devWord))
    return fail(`Device "${devWord}" does not exist.`, EXIT_FAILURE);
  const filter: AddrFilter = {
    ...(devWord !== undefined ? { dev: devWord } : {}),
    ...(family ? { family } : {}),
  };
  if (obj === 'link') return shown(brief ? printLinkBrief(ns, filter) : printLink(ns, filter));
  return shown(brief ? printAddrBrief(ns, filter) : printAddr(ns, filter));
}

/** `ip route show [table main|local]`; the routes of table local omit `table local` there. */
function showRoutes(ns: Namespace, rest: readonly string[]): ShellResult {
  const at = rest.indexOf('table');
  if (at < 0) return shown(printRoutes(ns));
  const table = rest[at + 1];
  switch (table) {
    case 'main':
    case '254':
      return shown(printRoutes(ns));
    case 'local':
    case '255':
      return shown(printLocalTable(ns));
    case undefined:
      return fail('Command line is not complete. Try option "help"', EXIT_USAGE);
    default:
      return /^\d+$/.test(table)
        ? shown('')
        : fail(`Error: argument "${table}" is wrong: "table" value is invalid`, EXIT_USAGE);
  }
}

/** `ip route get ADDR [from ADDR] [iif DEV]`. */
function routeGet(ns: Namespace, rest: readonly string[]): ShellResult {
  if (rest.length === 0) return fail('need at least a destination address', EXIT_FAILURE);
  const dst = parseIp(rest[0]!);
  // before a destination is parsed the family is unspecified (get_prefix with AF_UNSPEC): exit(1)
  if (!dst.ok)
    return fail(`Error: any valid prefix is expected rather than "${rest[0]}".`, EXIT_FAILURE);
  const opts: { from?: IpAddr; iif?: string } = {};
  for (let k = 1; k < rest.length; k += 2) {
    const key = rest[k];
    const val = rest[k + 1];
    if (val === undefined)
      return fail('Command line is not complete. Try option "help"', EXIT_USAGE);
    if (key === 'from') {
      const f = parseIp(val);
      if (!f.ok) return fail(`Error: inet prefix is expected rather than "${val}".`, EXIT_FAILURE);
      opts.from = f.value;
    } else if (key === 'iif') {
      if (!ns.devices.some((d) => d.name === val))
        return fail(`Cannot find device "${val}"`, EXIT_FAILURE);
      opts.iif = val;
    } else return fail(`Error: argument "${key}" is wrong: unknown option`, EXIT_USAGE);
  }
  const answer = routeGetAnswer(ns, dst.value, opts);
  return answer.ok ? shown(answer.text) : fail(answer.text, EXIT_RTNETLINK);
}

/** bridge(8): its `do_cmd` returns -1 and its usage and unknown commands `exit(-1)`, all 255. */
export function bridgeCommand(ns: Namespace, args: readonly string[]): ShellResult {
  if (args[0] === undefined)
    return fail(
      'Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { link | fdb | mdb | vlan | vni | monitor }',
      EXIT_USAGE,
    );
  if (matches(args[0], 'fdb') && (args[1] === undefined || SHOW.some((k) => matches(args[1]!, k))))
    return shown(printFdb(ns));
  if (matches(args[0], 'fdb'))
    return fail(`Command "${args[1]}" is unknown, try "bridge fdb help".`, EXIT_USAGE);
  return fail(`Object "${args[0]}" is unknown, try "bridge help".`, EXIT_USAGE);
}
