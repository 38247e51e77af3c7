/**
 * Reads the lab's Calico captures (`fixtures/calico-seed-*.txt`, copied from
 * shared/reference): sections (`-- header`, then what Linux printed), the ping verdicts,
 * and inside a section the commands run in a namespace (`# (ns) command`, its output, then
 * `(exit N)` when the lab kept the status).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './reference';

export interface Command {
  readonly ns: string;
  readonly command: string;
  readonly output: string[];
}

export interface Section {
  readonly header: string;
  readonly body: string[];
  /** the `# (ns) command` blocks of the section, in order */
  readonly commands: Command[];
}

export interface CalicoPing {
  readonly from: string;
  readonly dst: string;
  readonly ok: boolean;
}

export interface CalicoBlock {
  readonly file: string;
  /** bgp, ipip, vxlan: the CNI calico-<mode> */
  readonly mode: string;
  readonly sections: Section[];
  readonly pings: CalicoPing[];
}

const PING = /^ping (\S+) -> (\S+) \(.*\): (ok|FAIL)$/;
const COMMAND = /^# \((\S+)\) (.*)$/;

export const calicoFiles = (): string[] =>
  readdirSync(FIXTURES).filter((f) => f.startsWith('calico-seed-'));

export function readCalicoBlocks(file: string): CalicoBlock[] {
  const blocks: CalicoBlock[] = [];
  let section: Section | undefined;
  for (const line of readFileSync(join(FIXTURES, file), 'utf8').split('\n')) {
    const block = blocks.at(-1);
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^== mode=(\S+)/))) {
      blocks.push({ file, mode: m[1]!, sections: [], pings: [] });
      section = undefined;
    } else if (!block || line === '') continue;
    else if (line.startsWith('-- ')) {
      section = { header: line.slice(3).trimEnd(), body: [], commands: [] };
      block.sections.push(section);
    } else if ((m = line.match(PING))) {
      block.pings.push({ from: m[1]!, dst: m[2]!, ok: m[3] === 'ok' });
      section = undefined;
    } else if (!section)
      continue; // the file's own notes (`# tunl0: EMULATED …`)
    else if ((m = line.match(COMMAND)))
      section.commands.push({ ns: m[1]!, command: m[2]!, output: [] });
    else if (section.commands.length) section.commands.at(-1)!.output.push(line);
    else section.body.push(line);
  }
  return blocks;
}

/** The lab named the router's bridge `fabric`; SPEC §4b: read it as the router's eth0. */
export const fromLab = (line: string) => line.replace(/ dev fabric /g, ' dev eth0 ').trimEnd();

/** What the lab masked in a ping's or tcpdump's output. */
export function maskTimes(line: string): string {
  return line
    .replace(/time=[\d.]+ ms/, 'time=<t> ms')
    .replace(/, time \d+ms$/, ', time <t>ms')
    .replace(/^rtt .*/, 'rtt <…>')
    .replace(/, id \d+, offset/g, ', id <n>, offset')
    .replace(/ICMP echo (request|reply), id \d+,/g, 'ICMP echo $1, id <id>,')
    .replace(/(\d+\.\d+\.\d+\.\d+)\.\d+ > (\d+\.\d+\.\d+\.\d+)\.4789:/g, '$1.<port> > $2.4789:')
    .replace(/fe80::[0-9a-f:]+\/64/g, 'fe80::…/64')
    .trimEnd();
}
