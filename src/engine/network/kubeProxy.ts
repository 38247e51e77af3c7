import { sha256 } from '@noble/hashes/sha2.js';
import { base32 } from '@scure/base';
import { parsePrefix, prefixContains, type IpAddr, type Prefix } from '../addr/ip';
import type { Service } from '../scenario/types';
import type { Endpoint, ServicePortInfo } from './endpoints';
import type { IptRule, IptTable } from './iptables';
import { restoreRule } from './iptablesRule';

export { statisticProbability } from './iptablesRule';

/**
 * kube-proxy's iptables mode (kubernetes pkg/proxy/iptables/proxier.go, syncProxyRules),
 * node by node: each rule is written with the words kube-proxy writes, in its order, and
 * iptablesRule.ts turns it into what the kernel holds and iptables-save prints. The
 * specification it is held to is kube-proxy's own TestOverallIPTablesRules
 * (tests/engine/kubeProxy.test.ts).
 */

/** proxier.go portProtoHash: sha256 of "ns/svc:port" + protocol, base32, 16 characters */
function hash16(text: string): string {
  return base32.encode(sha256(new TextEncoder().encode(text))).slice(0, 16);
}
const portProto = (sp: ServicePortInfo) => hash16(sp.portName + sp.protocol);
export const svcChain = (sp: ServicePortInfo) => `KUBE-SVC-${portProto(sp)}`;
const svlChain = (sp: ServicePortInfo) => `KUBE-SVL-${portProto(sp)}`;
const extChain = (sp: ServicePortInfo) => `KUBE-EXT-${portProto(sp)}`;
const fwChain = (sp: ServicePortInfo) => `KUBE-FW-${portProto(sp)}`;
const endpointText = (ep: Endpoint) => `${ep.ip.text}:${ep.port}`;
export const sepChain = (sp: ServicePortInfo, endpoint: string) =>
  `KUBE-SEP-${hash16(sp.portName + sp.protocol + endpoint)}`;

/** What kube-proxy is told (its KubeProxyConfiguration) and what it finds on the node. */
export interface KubeProxySettings {
  /** the local-traffic detector's cluster CIDR (detectLocalMode ClusterCIDR); none: no detector */
  readonly clusterCidr?: Prefix;
  /** masqueradeBit 14: the mark 0x4000 */
  readonly masqueradeBit: number;
  readonly masqueradeAll: boolean;
  readonly localhostNodePorts: boolean;
  /** nodePortAddresses; none or empty: every local address */
  readonly nodePortAddresses?: readonly string[];
  /** iptables supports MASQUERADE --random-fully (kube-proxy probes it; every kernel since 5.0) */
  readonly randomFully: boolean;
  /** the kernel answers nfacct (nfnetlink_acct): kube-proxy counts a few drops and accepts with it */
  readonly nfacct: boolean;
}

export const DEFAULT_KUBE_PROXY: KubeProxySettings = {
  masqueradeBit: 14,
  masqueradeAll: false,
  localhostNodePorts: true,
  randomFully: true,
  nfacct: true,
};

/** The node kube-proxy runs on: its name (for local endpoints) and addresses. */
export interface ProxyNode {
  readonly name: string;
  readonly ips: readonly IpAddr[];
}

const NAT_BUILTINS = ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'];
const FILTER_BUILTINS = ['INPUT', 'FORWARD', 'OUTPUT'];
const q = (text: string) => `"${text}"`;

/** proxy.CategorizeEndpoints: which endpoints Cluster and Local traffic use on this node */
function categorize(sp: ServicePortInfo, node: string, externallyAccessible: boolean) {
  const svc = sp.service;
  const internalLocal = svc.internalTrafficPolicy === 'Local';
  const externalLocal = externallyAccessible && svc.externalTrafficPolicy === 'Local';
  const usesCluster = !internalLocal || (externallyAccessible && !externalLocal);
  const usesLocal = internalLocal || externalLocal;
  const all = sp.allEndpoints;
  let cluster: Endpoint[] = [];
  let hasAny = false;
  if (usesCluster) {
    cluster = all.filter((e) => e.ready);
    // no ready endpoint anywhere: serving-and-terminating ones take the traffic
    if (cluster.length === 0) cluster = all.filter((e) => e.serving && e.terminating);
    hasAny = cluster.length > 0;
  }
  let local: Endpoint[] = [];
  if (usesLocal) {
    for (const e of all) if (e.ready || (e.serving && e.terminating)) hasAny = true;
    local = all.filter((e) => e.node === node && e.ready);
    if (local.length === 0)
      local = all.filter((e) => e.node === node && e.serving && e.terminating);
  }
  const reachable = !usesLocal
    ? cluster
    : !usesCluster
      ? local
      : [...cluster, ...local.filter((e) => !cluster.includes(e))];
  return {
    cluster,
    local,
    reachable,
    hasAny,
    usesCluster,
    usesLocal,
    internalLocal,
    externalLocal,
  };
}

function nodePortAddressesMatchAll(s: KubeProxySettings): boolean {
  return !s.nodePortAddresses || s.nodePortAddresses.length === 0;
}

/** the node's addresses nodePortAddresses picks (`primary`: the node's own IPs) */
function nodePortIps(s: KubeProxySettings, node: ProxyNode): IpAddr[] {
  const cidrs = (s.nodePortAddresses ?? []).flatMap((c) => {
    const p = parsePrefix(c);
    return p.ok ? [p.value] : [];
  });
  const primary = s.nodePortAddresses?.includes('primary') ?? false;
  return node.ips.filter((ip) => primary || cidrs.some((c) => prefixContains(c, ip)));
}

/**
 * Whether two nodes can get different tables: only a Local traffic policy (which endpoints
 * are this node's), source ranges (is this node's IP in one) and node-port addresses (which
 * of its IPs) read the node. Otherwise every node shares one pair of tables.
 */
export function tablesDependOnNode(services: readonly Service[], s: KubeProxySettings): boolean {
  return (
    (s.nodePortAddresses?.length ?? 0) > 0 ||
    services.some(
      (v) =>
        v.internalTrafficPolicy === 'Local' ||
        v.externalTrafficPolicy === 'Local' ||
        (v.loadBalancerSourceRanges?.length ?? 0) > 0,
    )
  );
}

/**
 * kube-proxy's nat and filter tables on one node. Services are written sorted by their port
 * name (kube-proxy walks a Go map; its tests sort the same way to compare).
 */
export function kubeProxyTables(
  ports: readonly ServicePortInfo[],
  node: ProxyNode,
  s: KubeProxySettings = DEFAULT_KUBE_PROXY,
): { nat: IptTable; filter: IptTable } {
  const mark = `0x${(1 << s.masqueradeBit).toString(16).padStart(8, '0')}`;
  const natRules: IptRule[] = [];
  const filterRules: IptRule[] = [];
  const natChains = new Set([
    'KUBE-SERVICES',
    'KUBE-NODEPORTS',
    'KUBE-POSTROUTING',
    'KUBE-MARK-MASQ',
    'KUBE-KUBELET-CANARY',
    'KUBE-PROXY-CANARY',
  ]);
  const filterChains = new Set([
    'KUBE-SERVICES',
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FORWARD',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-FIREWALL',
    'KUBE-FIREWALL',
    'KUBE-KUBELET-CANARY',
    'KUBE-PROXY-CANARY',
  ]);
  const nat = (chain: string, ...args: string[]) => natRules.push(restoreRule(chain, args));
  const filter = (chain: string, ...args: string[]) => filterRules.push(restoreRule(chain, args));

  // The jumps from the built-in chains (proxier.go iptablesJumpChains, made with EnsureRule
  // Prepend, so the last listed ends up first; kubelet made its KUBE-FIREWALL jumps before).
  const jump = (
    put: typeof nat,
    chain: string,
    to: string,
    comment: string | undefined,
    ...extra: string[]
  ) =>
    put(chain, ...extra, ...(comment ? ['-m', 'comment', '--comment', q(comment)] : []), '-j', to);
  const ctNew = ['-m', 'conntrack', '--ctstate', 'NEW'];
  jump(filter, 'INPUT', 'KUBE-PROXY-FIREWALL', 'kubernetes load balancer firewall', ...ctNew);
  jump(filter, 'INPUT', 'KUBE-NODEPORTS', 'kubernetes health check service ports');
  jump(
    filter,
    'INPUT',
    'KUBE-EXTERNAL-SERVICES',
    'kubernetes externally-visible service portals',
    ...ctNew,
  );
  jump(filter, 'INPUT', 'KUBE-FIREWALL', undefined);
  jump(filter, 'FORWARD', 'KUBE-PROXY-FIREWALL', 'kubernetes load balancer firewall', ...ctNew);
  jump(filter, 'FORWARD', 'KUBE-FORWARD', 'kubernetes forwarding rules');
  jump(filter, 'FORWARD', 'KUBE-SERVICES', 'kubernetes service portals', ...ctNew);
  jump(
    filter,
    'FORWARD',
    'KUBE-EXTERNAL-SERVICES',
    'kubernetes externally-visible service portals',
    ...ctNew,
  );
  jump(filter, 'OUTPUT', 'KUBE-PROXY-FIREWALL', 'kubernetes load balancer firewall', ...ctNew);
  jump(filter, 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals', ...ctNew);
  jump(filter, 'OUTPUT', 'KUBE-FIREWALL', undefined);
  jump(nat, 'PREROUTING', 'KUBE-SERVICES', 'kubernetes service portals');
  jump(nat, 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals');
  jump(nat, 'POSTROUTING', 'KUBE-POSTROUTING', 'kubernetes postrouting rules');

  nat('KUBE-POSTROUTING', '-m', 'mark', '!', '--mark', `${mark}/${mark}`, '-j', 'RETURN');
  // the mark is cleared so a packet that loops through the stack again is not masqueraded twice
  nat('KUBE-POSTROUTING', '-j', 'MARK', '--xor-mark', mark);
  nat(
    'KUBE-POSTROUTING',
    '-m',
    'comment',
    '--comment',
    q('kubernetes service traffic requiring SNAT'),
    '-j',
    'MASQUERADE',
    ...(s.randomFully ? ['--random-fully'] : []),
  );
  nat('KUBE-MARK-MASQ', '-j', 'MARK', '--or-mark', mark);
  // route_localnet (localhost NodePorts) opens 127.0.0.1 to the wire (issue 90259); kubelet
  // and kube-proxy both write this one rule to close that again
  filter(
    'KUBE-FIREWALL',
    '-m',
    'comment',
    '--comment',
    q('block incoming localnet connections'),
    '-d',
    '127.0.0.0/8',
    '!',
    '-s',
    '127.0.0.0/8',
    '-m',
    'conntrack',
    '!',
    '--ctstate',
    'RELATED,ESTABLISHED,DNAT',
    '-j',
    'DROP',
  );

  const nfacct = (name: string) => (s.nfacct ? ['-m', 'nfacct', '--nfacct-name', name] : []);
  const ifNotLocal = s.clusterCidr ? ['!', '-s', s.clusterCidr.text] : undefined;
  const ifLocal = s.clusterCidr ? ['-s', s.clusterCidr.text] : undefined;
  // by port name, then protocol, byte-wise as Go compares strings
  const byte = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...ports].sort(
    (a, b) => byte(a.portName, b.portName) || byte(a.protocol, b.protocol),
  );
  for (const sp of sorted) {
    const svc = sp.service;
    const proto = sp.protocol;
    const name = sp.portName;
    const isLb = svc.type === 'LoadBalancer';
    const nodePort = (svc.type === 'NodePort' || isLb) && sp.port.nodePort ? sp.port.nodePort : 0;
    const externalIPs = svc.externalIPs ?? [];
    const lbIps = isLb ? (svc.loadBalancerIPs ?? []) : [];
    const sourceRanges = isLb
      ? (svc.loadBalancerSourceRanges ?? []).flatMap((r) => {
          const p = parsePrefix(r.trim());
          return p.ok ? [p.value] : [];
        })
      : [];
    const externallyAccessible = nodePort !== 0 || lbIps.length > 0 || externalIPs.length > 0;
    const c = categorize(sp, node.name, externallyAccessible);
    const clusterPolicy = svcChain(sp);
    const localPolicy = svlChain(sp);
    const usesClusterPolicyChain = c.cluster.length > 0 && c.usesCluster;
    const usesLocalPolicyChain = c.local.length > 0 && c.usesLocal;
    const internalChain = c.internalLocal ? localPolicy : clusterPolicy;
    const hasInternal = c.internalLocal ? c.local.length > 0 && c.hasAny : c.hasAny;
    const externalPolicy = c.externalLocal ? localPolicy : clusterPolicy;
    const hasExternal = c.externalLocal ? c.local.length > 0 && c.hasAny : c.hasAny;
    const external = extChain(sp);
    const usesExternalChain = c.hasAny && externallyAccessible;
    const usesFw = c.hasAny && lbIps.length > 0 && sourceRanges.length > 0;
    const lbChain = usesFw ? fwChain(sp) : external;
    const internalFilter = !c.hasAny
      ? { target: 'REJECT', comment: `${name} has no endpoints` }
      : { target: 'DROP', comment: `${name} has no local endpoints` };
    const externalFilter = internalFilter;
    const dport = (port: number) => ['-m', proto, '-p', proto, '--dport', String(port)];
    // what kube-proxy writes to catch the Service's port on one address (proxier.go's args)
    const vip = (comment: string, ip: string) => [
      '-m',
      'comment',
      '--comment',
      q(comment),
      '-m',
      proto,
      '-p',
      proto,
      '-d',
      ip,
      '--dport',
      String(sp.port.port),
    ];

    if (hasInternal)
      nat('KUBE-SERVICES', ...vip(`${name} cluster IP`, sp.clusterIP.text), '-j', internalChain);
    else
      filter(
        'KUBE-SERVICES',
        ...vip(internalFilter.comment, sp.clusterIP.text),
        '-j',
        internalFilter.target,
      );

    for (const ip of externalIPs) {
      if (c.hasAny) nat('KUBE-SERVICES', ...vip(`${name} external IP`, ip), '-j', external);
      if (!hasExternal)
        filter(
          'KUBE-EXTERNAL-SERVICES',
          ...vip(externalFilter.comment, ip),
          '-j',
          externalFilter.target,
        );
    }
    for (const ip of lbIps) {
      if (c.hasAny) nat('KUBE-SERVICES', ...vip(`${name} loadbalancer IP`, ip), '-j', lbChain);
      if (usesFw)
        filter(
          'KUBE-PROXY-FIREWALL',
          ...vip(`${name} traffic not accepted by ${fwChain(sp)}`, ip),
          '-j',
          'DROP',
        );
    }
    if (!hasExternal)
      for (const ip of lbIps)
        filter(
          'KUBE-EXTERNAL-SERVICES',
          ...vip(externalFilter.comment, ip),
          '-j',
          externalFilter.target,
        );

    if (nodePort !== 0) {
      if (c.hasAny) {
        // counted separately when kube-proxy can (nfacct), since route_localnet makes them work
        if (s.localhostNodePorts && s.nfacct)
          nat(
            'KUBE-NODEPORTS',
            '-m',
            'comment',
            '--comment',
            q(name),
            '-m',
            proto,
            '-p',
            proto,
            '-d',
            '127.0.0.0/8',
            '--dport',
            String(nodePort),
            ...nfacct('localhost_nps_accepted_pkts'),
            '-j',
            external,
          );
        nat(
          'KUBE-NODEPORTS',
          '-m',
          'comment',
          '--comment',
          q(name),
          ...dport(nodePort),
          '-j',
          external,
        );
      }
      if (!hasExternal)
        filter(
          'KUBE-EXTERNAL-SERVICES',
          '-m',
          'comment',
          '--comment',
          q(externalFilter.comment),
          '-m',
          'addrtype',
          '--dst-type',
          'LOCAL',
          ...dport(nodePort),
          '-j',
          externalFilter.target,
        );
    }
    // apiservice.NeedsHealthCheck: a LoadBalancer with externalTrafficPolicy Local
    if (isLb && c.externalLocal && svc.healthCheckNodePort)
      filter(
        'KUBE-NODEPORTS',
        '-m',
        'comment',
        '--comment',
        q(`${name} health check node port`),
        '-m',
        'tcp',
        '-p',
        'tcp',
        '--dport',
        String(svc.healthCheckNodePort),
        '-j',
        'ACCEPT',
      );

    if (hasInternal) {
      const args = [...vip(`${name} cluster IP`, sp.clusterIP.text)];
      // traffic to a ClusterIP from outside the pod network (a node, a routed client) is
      // masqueraded: its endpoint may be on another node, and the reply must come back here
      if (s.masqueradeAll) nat(internalChain, ...args, '-j', 'KUBE-MARK-MASQ');
      else if (ifNotLocal) nat(internalChain, ...args, ...ifNotLocal, '-j', 'KUBE-MARK-MASQ');
    }

    if (usesExternalChain) {
      natChains.add(external);
      if (!c.externalLocal) {
        nat(
          external,
          '-m',
          'comment',
          '--comment',
          q(`masquerade traffic for ${name} external destinations`),
          '-j',
          'KUBE-MARK-MASQ',
        );
      } else {
        // pods reaching an external address of their own cluster go as if they left and came
        // back: to any endpoint, without masquerade
        if (ifLocal)
          nat(
            external,
            '-m',
            'comment',
            '--comment',
            q(`pod traffic for ${name} external destinations`),
            ...ifLocal,
            '-j',
            clusterPolicy,
          );
        // the node itself: the VIP is local, so its own address would be the source; masquerade
        nat(
          external,
          '-m',
          'comment',
          '--comment',
          q(`masquerade LOCAL traffic for ${name} external destinations`),
          '-m',
          'addrtype',
          '--src-type',
          'LOCAL',
          '-j',
          'KUBE-MARK-MASQ',
        );
        nat(
          external,
          '-m',
          'comment',
          '--comment',
          q(`route LOCAL traffic for ${name} external destinations`),
          '-m',
          'addrtype',
          '--src-type',
          'LOCAL',
          '-j',
          clusterPolicy,
        );
      }
      if (hasExternal) nat(external, '-j', externalPolicy);
    }

    if (usesFw) {
      const fw = fwChain(sp);
      natChains.add(fw);
      const head = ['-m', 'comment', '--comment', q(`${name} loadbalancer IP`)];
      let allowFromNode = false;
      for (const range of sourceRanges) {
        nat(fw, ...head, '-s', range.text, '-j', external);
        if (node.ips.some((ip) => prefixContains(range, ip))) allowFromNode = true;
      }
      // a VIP the node holds itself loops a node's own request back with the VIP as source
      if (allowFromNode) for (const ip of lbIps) nat(fw, ...head, '-s', ip, '-j', external);
      nat(
        fw,
        '-m',
        'comment',
        '--comment',
        q(`other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL`),
      );
    }

    const toEndpoints = (chain: string, endpoints: readonly Endpoint[]) => {
      natChains.add(chain);
      if (svc.sessionAffinity === 'ClientIP')
        for (const ep of endpoints) {
          const sep = sepChain(sp, endpointText(ep));
          nat(
            chain,
            '-m',
            'comment',
            '--comment',
            q(`${name} -> ${endpointText(ep)}`),
            '-m',
            'recent',
            '--name',
            sep,
            '--rcheck',
            '--seconds',
            String(svc.sessionAffinityTimeout ?? 10800),
            '--reap',
            '-j',
            sep,
          );
        }
      endpoints.forEach((ep, i) => {
        const sep = sepChain(sp, endpointText(ep));
        const n = endpoints.length;
        nat(
          chain,
          '-m',
          'comment',
          '--comment',
          q(`${name} -> ${endpointText(ep)}`),
          // kube-proxy prints 1/(n-i) with %0.10f; the kernel keeps it as a fraction of 2^31
          ...(i < n - 1
            ? ['-m', 'statistic', '--mode', 'random', '--probability', (1 / (n - i)).toFixed(10)]
            : []),
          '-j',
          sep,
        );
      });
    };
    if (usesClusterPolicyChain) toEndpoints(clusterPolicy, c.cluster);
    if (usesLocalPolicyChain) toEndpoints(localPolicy, c.local);

    for (const ep of c.reachable) {
      const sep = sepChain(sp, endpointText(ep));
      natChains.add(sep);
      const head = ['-m', 'comment', '--comment', q(name)];
      // a pod reaching itself through its Service (hairpin) is masqueraded, or its own reply
      // would go straight back to it from its own address
      nat(sep, ...head, '-s', ep.ip.text, '-j', 'KUBE-MARK-MASQ');
      nat(
        sep,
        ...head,
        ...(svc.sessionAffinity === 'ClientIP' ? ['-m', 'recent', '--name', sep, '--set'] : []),
        '-m',
        proto,
        '-p',
        proto,
        '-j',
        'DNAT',
        '--to-destination',
        endpointText(ep),
      );
    }
  }

  // the tail call to the node ports: after every Service rule
  const tail = [
    '-m',
    'comment',
    '--comment',
    q('kubernetes service nodeports; NOTE: this must be the last rule in this chain'),
  ];
  if (nodePortAddressesMatchAll(s))
    nat(
      'KUBE-SERVICES',
      ...tail,
      '-m',
      'addrtype',
      '--dst-type',
      'LOCAL',
      ...(s.localhostNodePorts ? [] : ['!', '-d', '127.0.0.0/8']),
      '-j',
      'KUBE-NODEPORTS',
    );
  else
    for (const ip of nodePortIps(s, node))
      nat('KUBE-SERVICES', ...tail, '-d', ip.text, '-j', 'KUBE-NODEPORTS');

  // INVALID packets are dropped: unless nf_conntrack_tcp_be_liberal, they would reset
  // connections (kubernetes issues 74839, 117924)
  filter(
    'KUBE-FORWARD',
    '-m',
    'conntrack',
    '--ctstate',
    'INVALID',
    ...nfacct('ct_state_invalid_dropped_pkts'),
    '-j',
    'DROP',
  );
  filter(
    'KUBE-FORWARD',
    '-m',
    'comment',
    '--comment',
    q('kubernetes forwarding rules'),
    '-m',
    'mark',
    '--mark',
    `${mark}/${mark}`,
    '-j',
    'ACCEPT',
  );
  filter(
    'KUBE-FORWARD',
    '-m',
    'comment',
    '--comment',
    q('kubernetes forwarding conntrack rule'),
    '-m',
    'conntrack',
    '--ctstate',
    'RELATED,ESTABLISHED',
    '-j',
    'ACCEPT',
  );

  return {
    nat: { name: 'nat', builtins: NAT_BUILTINS, chains: [...natChains].sort(), rules: natRules },
    filter: {
      name: 'filter',
      builtins: FILTER_BUILTINS,
      chains: [...filterChains].sort(),
      rules: filterRules,
    },
  };
}
