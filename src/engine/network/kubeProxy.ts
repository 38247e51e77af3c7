import { sha256 } from '@noble/hashes/sha2.js';
import { base32 } from '@scure/base';
import { prefixFromBits, type Prefix } from '../addr/ip';
import type { ServicePortInfo } from './endpoints';
import {
  KUBE_MARK_MASQ_BIT,
  type IptRule,
  type IptTable,
  type RuleMatch,
  type RuleTarget,
} from './iptables';

/** kube-proxy pkg/proxy/iptables/proxier.go: portProtoHash / servicePortEndpointChainName */
function hash16(text: string): string {
  return base32.encode(sha256(new TextEncoder().encode(text))).slice(0, 16);
}
export const svcChain = (sp: ServicePortInfo) => `KUBE-SVC-${hash16(sp.portName + sp.protocol)}`;
export const sepChain = (sp: ServicePortInfo, endpoint: string) =>
  `KUBE-SEP-${hash16(sp.portName + sp.protocol + endpoint)}`;

/**
 * xt_statistic stores the probability as a u32 fraction of 2^31 and iptables
 * prints it back with %.11f, so 1/3 shows as 0.33333333349.
 */
export function statisticProbability(p: number): number {
  return Math.round(0x80000000 * p) / 0x80000000;
}

const NAT_BUILTINS = ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'];
const FILTER_BUILTINS = ['INPUT', 'FORWARD', 'OUTPUT'];
const hex = (n: number) => `0x${n.toString(16)}`;

function rule(chain: string, match: RuleMatch, target: RuleTarget, text: string): IptRule {
  return { chain, match, target, line: `-A ${chain} ${text}` };
}

const host = (sp: ServicePortInfo): Prefix => prefixFromBits(4, sp.clusterIP.bits, 32);

/** kube-proxy's nat table on every node (iptables mode), printed as `iptables -t nat -S` prints it. */
export function natTable(
  ports: readonly ServicePortInfo[],
  clusterCidr: Prefix | undefined,
): IptTable {
  const rules: IptRule[] = [];
  const chains = new Set(['KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-SERVICES']);
  rules.push(
    rule(
      'PREROUTING',
      {},
      { kind: 'jump', chain: 'KUBE-SERVICES' },
      '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    ),
  );
  rules.push(
    rule(
      'OUTPUT',
      {},
      { kind: 'jump', chain: 'KUBE-SERVICES' },
      '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    ),
  );
  rules.push(
    rule(
      'POSTROUTING',
      {},
      { kind: 'jump', chain: 'KUBE-POSTROUTING' },
      '-m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    ),
  );
  rules.push(
    rule(
      'KUBE-MARK-MASQ',
      {},
      { kind: 'mark', set: KUBE_MARK_MASQ_BIT },
      `-j MARK --set-xmark ${hex(KUBE_MARK_MASQ_BIT)}/${hex(KUBE_MARK_MASQ_BIT)}`,
    ),
  );
  rules.push(
    rule(
      'KUBE-POSTROUTING',
      { notMarked: KUBE_MARK_MASQ_BIT },
      { kind: 'return' },
      `-m mark ! --mark ${hex(KUBE_MARK_MASQ_BIT)}/${hex(KUBE_MARK_MASQ_BIT)} -j RETURN`,
    ),
  );
  // kube-proxy clears the bit with --xor-mark, which iptables prints as --set-xmark 0x4000/0x0
  rules.push(
    rule(
      'KUBE-POSTROUTING',
      {},
      { kind: 'clearMark' },
      `-j MARK --set-xmark ${hex(KUBE_MARK_MASQ_BIT)}/0x0`,
    ),
  );
  rules.push(
    rule(
      'KUBE-POSTROUTING',
      {},
      { kind: 'masquerade' },
      '-m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ),
  );

  const services: IptRule[] = [];
  const svcRules: IptRule[] = [];
  const sepRules: IptRule[] = [];
  for (const sp of ports) {
    if (sp.endpoints.length === 0) continue;
    const svc = svcChain(sp);
    chains.add(svc);
    const portMatch = { dst: host(sp), proto: sp.protocol, dport: sp.port.port };
    services.push(
      rule(
        'KUBE-SERVICES',
        portMatch,
        { kind: 'jump', chain: svc },
        `-d ${sp.clusterIP.text}/32 -p ${sp.protocol} -m comment --comment "${sp.portName} cluster IP" -m ${sp.protocol} --dport ${sp.port.port} -j ${svc}`,
      ),
    );
    if (clusterCidr) {
      svcRules.push(
        rule(
          svc,
          { ...portMatch, src: { prefix: clusterCidr, negate: true } },
          { kind: 'jump', chain: 'KUBE-MARK-MASQ' },
          `! -s ${clusterCidr.text} -d ${sp.clusterIP.text}/32 -p ${sp.protocol} -m comment --comment "${sp.portName} cluster IP" -m ${sp.protocol} --dport ${sp.port.port} -j KUBE-MARK-MASQ`,
        ),
      );
    }
    const n = sp.endpoints.length;
    sp.endpoints.forEach((ep, i) => {
      const endpoint = `${ep.ip.text}:${ep.port}`;
      const sep = sepChain(sp, endpoint);
      chains.add(sep);
      const last = i === n - 1;
      const p = statisticProbability(1 / (n - i));
      svcRules.push(
        rule(
          svc,
          last ? {} : { probability: p },
          { kind: 'jump', chain: sep },
          `-m comment --comment "${sp.portName} -> ${endpoint}"${last ? '' : ` -m statistic --mode random --probability ${p.toFixed(11)}`} -j ${sep}`,
        ),
      );
      sepRules.push(
        rule(
          sep,
          { src: { prefix: prefixFromBits(4, ep.ip.bits, 32) } },
          { kind: 'jump', chain: 'KUBE-MARK-MASQ' },
          `-s ${ep.ip.text}/32 -m comment --comment "${sp.portName}" -j KUBE-MARK-MASQ`,
        ),
      );
      sepRules.push(
        rule(
          sep,
          { proto: sp.protocol },
          { kind: 'dnat', to: ep.ip, port: ep.port },
          `-p ${sp.protocol} -m comment --comment "${sp.portName}" -m ${sp.protocol} -j DNAT --to-destination ${endpoint}`,
        ),
      );
    });
  }
  services.push(
    rule(
      'KUBE-SERVICES',
      { dstLocal: true },
      { kind: 'jump', chain: 'KUBE-NODEPORTS' },
      '-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    ),
  );
  return {
    name: 'nat',
    builtins: NAT_BUILTINS,
    chains: [...chains].sort(),
    rules: [...rules, ...sepRules, ...services, ...svcRules],
  };
}

/** kube-proxy's filter table: a Service with no endpoints is rejected (icmp-port-unreachable). */
export function filterTable(ports: readonly ServicePortInfo[]): IptTable {
  const rules: IptRule[] = [
    rule(
      'INPUT',
      { ctNew: true },
      { kind: 'jump', chain: 'KUBE-EXTERNAL-SERVICES' },
      '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    ),
    rule(
      'FORWARD',
      { ctNew: true },
      { kind: 'jump', chain: 'KUBE-SERVICES' },
      '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    ),
    rule(
      'OUTPUT',
      { ctNew: true },
      { kind: 'jump', chain: 'KUBE-SERVICES' },
      '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    ),
  ];
  for (const sp of ports) {
    if (sp.endpoints.length > 0) continue;
    rules.push(
      rule(
        'KUBE-SERVICES',
        { dst: host(sp), proto: sp.protocol, dport: sp.port.port },
        { kind: 'reject' },
        `-d ${sp.clusterIP.text}/32 -p ${sp.protocol} -m comment --comment "${sp.portName} has no endpoints" -m ${sp.protocol} --dport ${sp.port.port} -j REJECT --reject-with icmp-port-unreachable`,
      ),
    );
  }
  return {
    name: 'filter',
    builtins: FILTER_BUILTINS,
    chains: ['KUBE-EXTERNAL-SERVICES', 'KUBE-SERVICES'],
    rules,
  };
}
