import { describe, expect, it } from 'vitest';
import {
  buildNetwork,
  example,
  parseIp,
  printAddrBrief,
  printRouteGet,
  printRoutes,
  trace,
  traceroute,
  tracerouteHopLines,
  underlayCapture,
  type Network,
} from '../../src/engine/index';
import { maskLikeLab, readModeBlocks, twoNodeFiles, type Check, type ModeBlock } from './reference';

const blocks: ModeBlock[] = [...twoNodeFiles().flatMap(readModeBlocks)];

function seedNetwork(b: ModeBlock): Network {
  const built = buildNetwork(example('seed', { datapath: b.datapath, srcCheck: b.srcCheck }));
  if (!built.ok) throw new Error(built.problems.map((p) => p.text).join('\n'));
  return built.network;
}

const ip = (text: string) => {
  const r = parseIp(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

/** What the engine prints for the command the lab ran, masked the way the lab masked. */
function engineOutput(net: Network, c: Check): string[] {
  switch (c.kind) {
    case 'route':
      return printRoutes(net.namespace(c.ns)!).split('\n');
    case 'addrBrief':
      return printAddrBrief(net.namespace(c.ns)!).split('\n').map(maskLikeLab);
    case 'ping': {
      const t = trace(net, { from: c.from, dst: c.dst, protocol: 'icmp' });
      if (!t.ok) throw new Error(t.error.text);
      return [t.value.verdict.ok ? 'ok' : 'FAIL'];
    }
    case 'traceroute': {
      const r = traceroute(net, c.from, c.dst);
      if (!r.ok) throw new Error(r.error.text);
      return tracerouteHopLines(r.value);
    }
    case 'tcpdump': {
      const t = trace(net, { from: c.from, dst: c.dst, protocol: 'icmp' });
      if (!t.ok) throw new Error(t.error.text);
      // the lab captured the first packets with -c; the file holds those frames' lines
      return underlayCapture(t.value, net)
        .flatMap((f) => f.split('\n'))
        .map(maskLikeLab)
        .slice(0, c.expected.length);
    }
    case 'routeGet':
      return printRouteGet(net.namespace(c.ns)!, ip(c.dst), {
        from: ip(c.from),
        iif: 'cni0',
      }).split('\n');
  }
}

const expectedOf = (c: Check): string[] =>
  c.kind === 'ping' ? [c.ok ? 'ok' : 'FAIL'] : c.expected;
const label = (c: Check): string => {
  switch (c.kind) {
    case 'route':
    case 'addrBrief':
      return `${c.kind} (${c.ns})`;
    case 'routeGet':
      return `ip route get ${c.dst} from ${c.from} iif cni0 (${c.ns})`;
    default:
      return `${c.kind} ${c.from} -> ${c.dst}`;
  }
};

describe('the seed cluster prints what the lab kernel printed', () => {
  it('reads every check the reference files hold', () => {
    const count = blocks.reduce((n, b) => n + b.checks.length, 0);
    // 3 modes × (4 route tables, addr, 2 pings, 2 traceroutes, tcpdump, route get) + 3 × 2 srccheck pings
    expect(count).toBe(3 * 11 + 6);
  });
  for (const b of blocks) {
    describe(`${b.file}: datapath ${b.datapath}${b.srcCheck ? ' with the source/destination check' : ''}`, () => {
      for (const c of b.checks) {
        it(label(c), () => {
          expect(engineOutput(seedNetwork(b), c)).toEqual(expectedOf(c));
        });
      }
    });
  }
});
