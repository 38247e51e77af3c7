import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildNetwork,
  clientErrors,
  conntrackLine,
  example,
  interfaceCapture,
  outerIp,
  printIptables,
  trace,
  underlayCapture,
  type Network,
  type Scenario,
  type Trace,
} from '../../src/engine/index';
import type { IptTable } from '../../src/engine/network/iptables';
import { FIXTURES } from './reference';

/** The lab's Service file, cut into its `-- ` sections (header → body lines). */
function sections(): { header: string; body: string[] }[] {
  const out: { header: string; body: string[] }[] = [];
  for (const line of readFileSync(join(FIXTURES, 'seed-service-overlay.txt'), 'utf8').split('\n')) {
    if (line.startsWith('-- ')) out.push({ header: line.slice(3), body: [] });
    else if (line !== '' && !line.startsWith('#') && !line.startsWith('=='))
      out.at(-1)?.body.push(line);
    else if (line.startsWith('# ') && out.length > 0) out.at(-1)?.body.push(line);
  }
  return out;
}
const all = sections();
const section = (header: string, nth = 0) => {
  const found = all.filter((s) => s.header === header)[nth];
  if (!found) throw new Error(`no section "${header}"`);
  return found.body;
};

/**
 * The lab installed kube-proxy's Service rules by hand ("kube-proxy-shaped"), not its
 * housekeeping: podhop prints all of what kube-proxy v1.31 writes, and these are the chains
 * and jumps the lab left out. Everything the lab did install is compared line for line.
 */
const NOT_INSTALLED_BY_THE_LAB: Record<'nat' | 'filter', readonly string[]> = {
  nat: ['KUBE-KUBELET-CANARY', 'KUBE-PROXY-CANARY'],
  filter: [
    'KUBE-FIREWALL',
    'KUBE-FORWARD',
    'KUBE-KUBELET-CANARY',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-CANARY',
    'KUBE-PROXY-FIREWALL',
  ],
};
/** …and FORWARD's jump to KUBE-EXTERNAL-SERVICES (kube-proxy 1.22+; the lab jumps from INPUT only) */
const LAB_LEFT_OUT_JUMP =
  '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES';
function asTheLabInstalled(table: IptTable): string[] {
  const left = NOT_INSTALLED_BY_THE_LAB[table.name];
  return printIptables(table)
    .split('\n')
    .filter(
      (l) =>
        l !== LAB_LEFT_OUT_JUMP &&
        !left.some(
          (chain) =>
            l === `-N ${chain}` || l.startsWith(`-A ${chain} `) || l.endsWith(` -j ${chain}`),
        ),
    );
}

function net(s: Scenario): Network {
  const b = buildNetwork(s);
  if (!b.ok) throw new Error(b.problems.map((p) => p.text).join('\n'));
  return b.network;
}
const seed = () => example('seed', { datapath: 'overlay' });
const withoutEndpoints = (): Scenario => {
  const s = seed();
  return {
    ...s,
    services: s.services.map((svc) => ({ ...svc, selector: { app: 'nothing-matches' } })),
  };
};
const withoutServices = (): Scenario => ({ ...seed(), services: [] });

function curl(n: Network, extra: { endpoint?: number; sport?: number } = {}): Trace {
  const t = trace(n, { from: 'pod1a', dst: '10.96.0.10', protocol: 'tcp', dport: 80, ...extra });
  if (!t.ok) throw new Error(t.error.text);
  return t.value;
}

/** What the lab masked: client ports, sequence numbers, windows, timestamps, checksums, ids, times. */
const mask = (line: string) =>
  line
    .replace(/\.(\d{5})( >|:)/g, (m, port: string, tail: string) =>
      Number(port) >= 32768 ? `.<port>${tail}` : m,
    )
    .replace(/seq \d+/g, 'seq <n>')
    .replace(/ack \d+/g, 'ack <n>')
    .replace(/win \d+/g, 'win <n>')
    .replace(/TS val \d+ ecr \d+/g, 'TS val <n> ecr <n>')
    .replace(/cksum 0x[0-9a-f]+( \([^)]*\))?/g, 'cksum <c>')
    .replace(/, id \d+, offset/g, ', id <n>, offset')
    .replace(/after \d+ (ms|milliseconds)/g, 'after <t> $1');
const maskConntrackPorts = (line: string) =>
  line.replace(/(sport|dport)=(\d+)/g, (m, k: string, v: string) =>
    Number(v) >= 32768 ? `${k}=<p>` : m,
  );

describe('kube-proxy on the seed cluster prints and does what the lab showed (Service default/web)', () => {
  const n = net(seed());
  const node1 = n.namespace('node1')!;

  it('sets net.bridge.bridge-nf-call-iptables = 1 on both nodes', () => {
    expect(
      all.some((s) => s.header === 'sysctl net.bridge.bridge-nf-call-iptables: node1=1 node2=1'),
    ).toBe(true);
    expect([
      n.namespace('node1')?.bridgeNfCallIptables,
      n.namespace('node2')?.bridgeNfCallIptables,
    ]).toEqual([true, true]);
  });

  it('before any kube-proxy rule, curl times out (the router has no route for the ClusterIP)', () => {
    expect([clientErrors(curl(net(withoutServices())))?.curl ?? ''].map(mask)).toEqual(
      section(
        "pod1a before any kube-proxy rule: curl http://10.96.0.10/ (the SYN follows node1's default route; the vpc router has no route for it)",
      ),
    );
  });

  it('iptables -t nat -S on node1, identical on node2', () => {
    expect(asTheLabInstalled(node1.iptables!.nat)).toEqual(section('iptables -t nat -S (node1)'));
    expect(all.some((s) => s.header === 'iptables -t nat -S (node2): identical to node1')).toBe(
      true,
    );
    expect(printIptables(n.namespace('node2')!.iptables!.nat)).toBe(
      printIptables(node1.iptables!.nat),
    );
  });

  it('iptables -S (filter) on node1', () => {
    expect(asTheLabInstalled(node1.iptables!.filter)).toEqual(
      section('iptables -S (node1, filter)'),
    );
  });

  it('the KUBE-SVC chain is the one the lab counted packets on', () => {
    const lab = section(
      'KUBE-SVC packet counters (node1, iptables -t nat -S KUBE-SVC-CDGGSHYLG3RE2FKL -v)',
    ).map((l) => l.replace(/ -c \d+ \d+/, ''));
    const ours = printIptables(node1.iptables!.nat)
      .split('\n')
      .filter((l) => l.includes('KUBE-SVC-CDGGSHYLG3RE2FKL') && !l.startsWith('-A KUBE-SERVICES'));
    expect(ours).toEqual(lab);
  });

  it('every endpoint the eight curls reached answers, and sees the client’s own address', () => {
    const reached = new Set(
      section('pod1a: curl http://10.96.0.10/ eight times').map((l) => l.replace(/^try \d+: /, '')),
    );
    const ours = new Set<string>();
    for (const endpoint of [0, 1]) {
      const t = curl(n, { endpoint });
      expect(t.verdict.ok).toBe(true);
      const at = t.request.end;
      if (at.kind !== 'delivered') throw new Error('not delivered');
      ours.add(`${at.namespace} ${outerIp(at.packet).dst.text}`);
      // the access log: "pod1b: 172.17.1.2 - - … GET / …" — no SNAT for a pod client
      expect(outerIp(at.packet).src.text).toBe('172.17.1.2');
    }
    expect(ours).toEqual(reached);
    const logs = section("endpoints' access logs (the client address the server saw)").filter((l) =>
      l.includes('GET'),
    );
    expect(new Set(logs.map((l) => l.split(' ')[1]))).toEqual(new Set(['172.17.1.2']));
  });

  it('conntrack -L on node1 holds the DNAT; on node2 the forwarded flow', () => {
    // eight connections from distinct source ports, each to the endpoint the lab's try reached
    const tries = section('pod1a: curl http://10.96.0.10/ eight times').map((l, i) => ({
      endpoint: l.includes('pod1b') ? 0 : 1,
      sport: 55940 + i * 4,
    }));
    const table = { node1: [] as string[], node2: [] as string[] };
    for (const x of tries) {
      for (const e of curl(n, x).conntrack) {
        if (e.namespace === 'node1' || e.namespace === 'node2')
          table[e.namespace].push(conntrackLine(e));
      }
    }
    const node1Lab = section('conntrack -L (node1)');
    const node2Lab = section('conntrack -L (node2)');
    expect(node1Lab[0]).toBe(
      `conntrack v1.4.7 (conntrack-tools): ${table.node1.length} flow entries have been shown.`,
    );
    expect(node2Lab[0]).toBe(
      `conntrack v1.4.7 (conntrack-tools): ${table.node2.length} flow entries have been shown.`,
    );
    expect(new Set(table.node1.map(maskConntrackPorts))).toEqual(
      new Set(node1Lab.slice(1).map(maskConntrackPorts)),
    );
    expect(new Set(table.node2.map(maskConntrackPorts))).toEqual(
      new Set(node2Lab.slice(1).map(maskConntrackPorts)),
    );
  });

  for (const [endpoint, pod, header, underlay] of [
    [
      1,
      'pod2a 172.17.2.2',
      'one request answered by pod2a (other node), traced on pod1a eth0 and the underlay',
      4,
    ],
    [
      0,
      'pod1b 172.17.1.3',
      'one request answered by pod1b (same node, same bridge as the client), traced',
      0,
    ],
  ] as const) {
    it(`${header}: the client sees the ClusterIP, the underlay ${underlay ? 'carries VXLAN' : 'sees nothing'}`, () => {
      const body = section(header);
      expect(body[0]).toBe(`answer: ${pod}`);
      const eth0At = body.indexOf('(on pod1a eth0)');
      const wireAt = body.findIndex((l) => l.startsWith('(on the underlay fabric'));
      expect(body[wireAt]).toBe(`(on the underlay fabric: ${underlay} lines)`);
      const t = curl(n, { endpoint });
      // the model sends the SYN and its answer: the first two lines the lab captured
      expect(interfaceCapture(t, 'pod1a').map(mask)).toEqual(body.slice(eth0At + 1, eth0At + 3));
      expect(
        underlayCapture(t, n, false)
          .flatMap((f) => f.split('\n'))
          .map(mask),
      ).toEqual(body.slice(wireAt + 1));
    });
  }

  describe('the Service loses its endpoints', () => {
    const empty = net(withoutEndpoints());
    const n1 = empty.namespace('node1')!;
    it('kube-proxy drops the SVC/SEP chains and REJECTs in the filter table', () => {
      expect(asTheLabInstalled(n1.iptables!.nat)).toEqual(section('iptables -t nat -S (node1)', 1));
      expect(asTheLabInstalled(n1.iptables!.filter)).toEqual(
        section('iptables -S (node1, filter)', 1),
      );
    });
    it('clients print Connection refused, and tcpdump on pod1a eth0 shows the REJECT from cni0', () => {
      const body = section('pod1a -> 10.96.0.10:80 with no endpoints');
      const t = curl(empty);
      const said = clientErrors(t)!;
      expect([said.curl, said.nc, said.python].map(mask)).toEqual(
        [body[1], body[3], body[5]].map((l) => mask(l ?? '')),
      );
      const at = body.indexOf('(on pod1a eth0)');
      expect(
        interfaceCapture(t, 'pod1a', true)
          .flatMap((l) => l.split('\n'))
          .map(mask),
      ).toEqual(body.slice(at + 1));
    });
  });
});
