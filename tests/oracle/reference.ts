/**
 * Reads the lab's kernel output (`fixtures/*.txt`, copied from shared/reference)
 * into checks: which command ran where, and what Linux printed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type Check =
  | { readonly kind: 'route'; readonly ns: string; readonly expected: string[] }
  | { readonly kind: 'addrBrief'; readonly ns: string; readonly expected: string[] }
  | { readonly kind: 'ping'; readonly from: string; readonly dst: string; readonly ok: boolean }
  | {
      readonly kind: 'traceroute';
      readonly from: string;
      readonly dst: string;
      readonly expected: string[];
    }
  | {
      readonly kind: 'tcpdump';
      readonly from: string;
      readonly dst: string;
      readonly expected: string[];
    }
  | {
      readonly kind: 'routeGet';
      readonly ns: string;
      readonly dst: string;
      readonly from: string;
      readonly expected: string[];
    };

export interface ModeBlock {
  readonly file: string;
  readonly datapath: 'overlay' | 'direct' | 'gateway';
  readonly srcCheck: boolean;
  readonly checks: readonly Check[];
}

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/**
 * The lab's underlay captures stop after two frames: `tcpdump -c 2`. The
 * files do not record the command; the frames say it — direct and overlay
 * hold the request and the reply, gateway only the request's two hops
 * (node1 → router → node2) of the four frames the exchange puts on the wire.
 */
export const LAB_TCPDUMP_FRAMES = 2;

const PING = /^ping (\S+) -> (\S+): (ok|FAIL)$/;

/** The lab named the router's bridge `fabric`; SPEC §4b: read it as the router's eth0. */
const fromLab = (line: string) => line.replace(/ dev fabric /g, ' dev eth0 ');

export function readModeBlocks(file: string): ModeBlock[] {
  const lines = readFileSync(join(FIXTURES, file), 'utf8').split('\n');
  const blocks: { datapath: ModeBlock['datapath']; srcCheck: boolean; checks: Check[] }[] = [];
  let section: { header: string; body: string[] } | undefined;
  const flush = () => {
    const block = blocks.at(-1);
    if (!section || !block) return;
    const h = section.header;
    const body = section.body.map(fromLab);
    let m: RegExpMatchArray | null;
    if ((m = h.match(/^ip route \((\S+)\)$/)))
      block.checks.push({ kind: 'route', ns: m[1]!, expected: body });
    else if ((m = h.match(/^ip -br addr \((\S+)\)$/)))
      block.checks.push({ kind: 'addrBrief', ns: m[1]!, expected: body });
    else if ((m = h.match(/^traceroute (\S+) -> (\S+)$/)))
      block.checks.push({ kind: 'traceroute', from: m[1]!, dst: m[2]!, expected: body });
    else if ((m = h.match(/^tcpdump on the underlay while (\S+) pings (\S+)$/)))
      block.checks.push({ kind: 'tcpdump', from: m[1]!, dst: m[2]!, expected: body });
    else if ((m = h.match(/^(\S+): ip route get (\S+) from pod$/))) {
      // "from pod": the lab asked `ip route get <dst> from <pod1a> iif cni0`
      const from = body[0]?.match(/ from (\S+) /)?.[1] ?? '';
      block.checks.push({ kind: 'routeGet', ns: m[1]!, dst: m[2]!, from, expected: body });
    } else throw new Error(`${file}: unknown section "${h}"`);
    section = undefined;
  };
  for (const line of lines) {
    if (line.startsWith('== ')) {
      flush();
      const m = line.match(/^== mode=(\S+)\s*(srccheck)?/);
      if (!m) throw new Error(`${file}: bad mode line "${line}"`);
      blocks.push({
        datapath: m[1] as ModeBlock['datapath'],
        srcCheck: m[2] === 'srccheck',
        checks: [],
      });
    } else if (line.startsWith('-- ')) {
      flush();
      section = { header: line.slice(3), body: [] };
    } else if (PING.test(line)) {
      flush();
      const m = line.match(PING)!;
      blocks.at(-1)?.checks.push({ kind: 'ping', from: m[1]!, dst: m[2]!, ok: m[3] === 'ok' });
    } else if (line !== '' && section) {
      section.body.push(line);
    }
  }
  flush();
  return blocks.map((b) => ({ file, ...b }));
}

export const twoNodeFiles = (): string[] =>
  readdirSync(FIXTURES).filter((f) => f.startsWith('seed-two-nodes-'));

/** Masks what the lab masked: MACs, IP ids, ICMP ids, UDP source ports, checksums, link-locals. */
export function maskLikeLab(line: string): string {
  return line
    .replace(/\b([0-9a-f]{2}:){5}[0-9a-f]{2}\b/g, '<mac>')
    .replace(/, id \d+, offset/g, ', id <n>, offset')
    .replace(/ICMP echo (request|reply), id \d+,/g, 'ICMP echo $1, id <id>,')
    .replace(/(\d+\.\d+\.\d+\.\d+)\.\d+ > (\d+\.\d+\.\d+\.\d+)\.8472:/g, '$1.<sport> > $2.8472:')
    .replace(/\[bad udp cksum [^\]]*\]/g, '[bad udp cksum …]')
    .replace(/fe80::[0-9a-f:]+\/64/g, 'fe80::…/64');
}
