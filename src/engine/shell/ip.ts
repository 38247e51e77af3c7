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
import { printRouteGet } from '../print/routeGet';
import type { Namespace } from '../network/types';

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

/** `ip [-4|-6] [-br] OBJECT [show [dev] NAME | get …]`, as iproute2 answers. */
export function ipCommand(ns: Namespace, args: readonly string[]): string {
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
      return `Option "${args[i]}" is unknown, try "ip -help".`;
    i++;
  }
  const objWord = args[i];
  if (!objWord)
    return 'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { address | addrlabel | fou | help | ila | ioam | l2tp | link |\n                   macsec | maddress | monitor | mptcp | mroute | mrule |\n                   neighbor | neighbour | netconf | netns | nexthop | ntable |\n                   ntbl | route | rule | sr | tap | tcpmetrics |\n                   token | tunnel | tuntap | vrf | xfrm }';
  const known = OBJECTS.find(([k]) => matches(objWord, k));
  if (!known) return `Object "${objWord}" is unknown, try "ip help".`;
  const obj = known[1];
  if (!obj) return 'RTNETLINK answers: Operation not supported';
  const cmd = args[i + 1] ?? 'show';
  const rest = args.slice(i + 2);
  if (obj === 'route' && matches(cmd, 'get') && !SHOW.some((k) => matches(cmd, k)))
    return routeGet(ns, rest);
  if (!SHOW.some((k) => matches(cmd, k))) {
    if (CHANGE.some((k) => matches(cmd, k))) return 'RTNETLINK answers: Operation not permitted';
    return `Command "${cmd}" is unknown, try "ip ${known[0]} help".`;
  }
  if (obj === 'route') return showRoutes(ns, rest);
  if (obj === 'neigh') return printNeigh(ns);
  // `show [dev] NAME`: one device, or iproute2's complaint about a missing one
  const devWord = rest[0] === 'dev' ? rest[1] : rest[0];
  if (devWord !== undefined && !ns.devices.some((d) => d.name === devWord))
    return `Device "${devWord}" does not exist.`;
  const filter: AddrFilter = {
    ...(devWord !== undefined ? { dev: devWord } : {}),
    ...(family ? { family } : {}),
  };
  if (obj === 'link') return brief ? printLinkBrief(ns, filter) : printLink(ns, filter);
  return brief ? printAddrBrief(ns, filter) : printAddr(ns, filter);
}

/** `ip route show [table main|local]`; the routes of table local omit `table local` there. */
function showRoutes(ns: Namespace, rest: readonly string[]): string {
  const at = rest.indexOf('table');
  if (at < 0) return printRoutes(ns);
  const table = rest[at + 1];
  switch (table) {
    case 'main':
    case '254':
      return printRoutes(ns);
    case 'local':
    case '255':
      return printLocalTable(ns);
    case undefined:
      return 'Command line is not complete. Try option "help"';
    default:
      return /^\d+$/.test(table)
        ? ''
        : `Error: argument "${table}" is wrong: "table" value is invalid`;
  }
}

/** `ip route get ADDR [from ADDR] [iif DEV]`. */
function routeGet(ns: Namespace, rest: readonly string[]): string {
  if (rest.length === 0) return 'need at least a destination address';
  const dst = parseIp(rest[0]!);
  // before a destination is parsed the family is unspecified (get_prefix with AF_UNSPEC)
  if (!dst.ok) return `Error: any valid prefix is expected rather than "${rest[0]}".`;
  const opts: { from?: IpAddr; iif?: string } = {};
  for (let k = 1; k < rest.length; k += 2) {
    const key = rest[k];
    const val = rest[k + 1];
    if (val === undefined) return 'Command line is not complete. Try option "help"';
    if (key === 'from') {
      const f = parseIp(val);
      if (!f.ok) return `Error: inet prefix is expected rather than "${val}".`;
      opts.from = f.value;
    } else if (key === 'iif') {
      if (!ns.devices.some((d) => d.name === val)) return `Cannot find device "${val}"`;
      opts.iif = val;
    } else return `Error: argument "${key}" is wrong: unknown option`;
  }
  return printRouteGet(ns, dst.value, opts);
}

export function bridgeCommand(ns: Namespace, args: readonly string[]): string {
  if (args[0] === undefined)
    return 'Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { link | fdb | mdb | vlan | vni | monitor }';
  if (matches(args[0], 'fdb') && (args[1] === undefined || SHOW.some((k) => matches(args[1]!, k))))
    return printFdb(ns);
  if (matches(args[0], 'fdb')) return `Command "${args[1]}" is unknown, try "bridge fdb help".`;
  return `Object "${args[0]}" is unknown, try "bridge help".`;
}
