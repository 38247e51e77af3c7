import { parseIp, type IpAddr } from '../addr/ip';
import { printAddr, printAddrBrief } from '../print/addr';
import { printFdb } from '../print/fdb';
import { printNeigh } from '../print/neigh';
import { printRoutes } from '../print/route';
import { printRouteGet } from '../print/routeGet';
import type { Namespace } from '../network/types';

const OBJECTS: Record<string, string> = {
  a: 'addr',
  addr: 'addr',
  address: 'addr',
  r: 'route',
  ro: 'route',
  route: 'route',
  n: 'neigh',
  neigh: 'neigh',
  neighbor: 'neigh',
  neighbour: 'neigh',
};

/** `ip [-br] addr|route|neigh [show|get …]`, as iproute2 answers. */
export function ipCommand(ns: Namespace, args: readonly string[]): string {
  let brief = false;
  let i = 0;
  while (args[i]?.startsWith('-')) {
    const opt = args[i]!;
    if (opt === '-br' || opt === '-brief') brief = true;
    else if (opt !== '-4' && opt !== '-c' && opt !== '-color')
      return `Option "${opt}" is unknown, try "ip -help".`;
    i++;
  }
  const objWord = args[i];
  if (!objWord)
    return 'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { address | link | neighbour | route | ... }';
  const obj = OBJECTS[objWord];
  if (!obj) return `Object "${objWord}" is unknown, try "ip help".`;
  const cmd = args[i + 1] ?? 'show';
  const rest = args.slice(i + 2);
  if (obj === 'route' && cmd === 'get') {
    const dst = parseIp(rest[0] ?? '');
    if (!dst.ok)
      return rest[0]
        ? `Error: inet prefix is expected rather than "${rest[0]}".`
        : 'Error: argument "get" is wrong: need at least a destination address';
    const opts: { from?: IpAddr; iif?: string } = {};
    for (let k = 1; k < rest.length; k += 2) {
      const key = rest[k];
      const val = rest[k + 1] ?? '';
      if (key === 'from') {
        const f = parseIp(val);
        if (!f.ok) return `Error: inet prefix is expected rather than "${val}".`;
        opts.from = f.value;
      } else if (key === 'iif') opts.iif = val;
      else return `Error: argument "${key}" is wrong: unknown option`;
    }
    return printRouteGet(ns, dst.value, opts);
  }
  if (cmd !== 'show' && cmd !== 'list' && cmd !== 'ls') {
    if (['add', 'del', 'delete', 'replace', 'change', 'flush'].includes(cmd))
      return 'RTNETLINK answers: Operation not permitted';
    return `Command "${cmd}" is unknown, try "ip ${obj} help".`;
  }
  switch (obj) {
    case 'addr':
      return brief ? printAddrBrief(ns) : printAddr(ns);
    case 'route':
      return printRoutes(ns);
    default:
      return printNeigh(ns);
  }
}

export function bridgeCommand(ns: Namespace, args: readonly string[]): string {
  if (args[0] === 'fdb' && (args[1] === undefined || args[1] === 'show')) return printFdb(ns);
  if (args[0] === undefined)
    return 'Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { link | fdb | mdb | vlan | vni | monitor }';
  return `Object "${args[0]}" is unknown, try "bridge help".`;
}
