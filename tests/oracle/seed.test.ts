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
import {
  LAB_TCPDUMP_FRAMES,
  maskLikeLab,
  readModeBlocks,
  twoNodeFiles,
  type Check,
  type ModeBlock,
} from './reference';

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
      // tcpdump -c N stops after N frames: cut the engine's capture there, then compare every
      // line, so a frame too many, too few or out of order fails
      return underlayCapture(t.value, net)
        .slice(0, LAB_TCPDUMP_FRAMES)
        .flatMap((f) => f.split('\n'))
        .map(maskLikeLab);
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

describe('the lab’s captures', () => {
  it(`hold ${LAB_TCPDUMP_FRAMES} frames each, as tcpdump -c ${LAB_TCPDUMP_FRAMES} stops`, () => {
    for (const b of blocks)
      for (const c of b.checks) {
        if (c.kind !== 'tcpdump') continue;
        const t = trace(seedNetwork(b), { from: c.from, dst: c.dst, protocol: 'icmp' });
        if (!t.ok) throw new Error(t.error.text);
        // the engine sees at least as many frames as the lab kept (gateway mode: four, of which two)
        expect(underlayCapture(t.value, seedNetwork(b)).length).toBeGreaterThanOrEqual(
          LAB_TCPDUMP_FRAMES,
        );
        // a frame header line starts at column 0; VXLAN adds the inner frame's, indented like it
        const headers = c.expected.filter((l) => l.startsWith('<mac> > <mac>, ethertype IPv4'));
        const vxlan = c.expected.filter((l) => l.includes('.8472: ')).length;
        expect(headers.length - vxlan, `${b.file} ${c.from} -> ${c.dst}`).toBe(LAB_TCPDUMP_FRAMES);
      }
  });
});

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
