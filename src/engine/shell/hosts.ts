import { parseIp, type IpAddr } from '../addr/ip';
import { podAddress } from '../network/podAddress';
import type { ShellContext } from './session';

/**
 * The namespace's /etc/hosts, and the lookups glibc's `files` source answers
 * from it (nsswitch `hosts: files dns`). The playground runs no DNS server, so
 * a name is an address only when this file holds it.
 */

/** The name a namespace's processes see as their hostname: a pod's own name, not its namespace/name key. */
export function hostName(ctx: ShellContext): string {
  const pod = ctx.net.pod(ctx.session.namespace);
  return pod?.name ?? ctx.session.namespace;
}

/**
 * A pod's file is the kubelet's (pkg/kubelet/kubelet_pods.go
 * managedHostsFileContent: the header, the IPv4 and IPv6 localhost lines, then
 * `<podIP>\t<hostname>` for each pod IP). A node's or a router's is what the
 * Debian installer writes (netcfg): localhost, `127.0.1.1 <hostname>`, then the
 * IPv6 lines.
 */
export function hostsFile(ctx: ShellContext): string {
  const name = hostName(ctx);
  if (ctx.net.namespace(ctx.session.namespace)?.kind === 'pod') {
    const ip = podAddress(ctx.net, ctx.session.namespace)?.ip.text;
    return [
      '# Kubernetes-managed hosts file.',
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      'fe00::0\tip6-localnet',
      'fe00::0\tip6-mcastprefix',
      'fe00::1\tip6-allnodes',
      'fe00::2\tip6-allrouters',
      ...(ip ? [`${ip}\t${name}`] : []),
    ].join('\n');
  }
  return [
    '127.0.0.1\tlocalhost',
    `127.0.1.1\t${name}`,
    '',
    '# The following lines are desirable for IPv6 capable hosts',
    '::1     localhost ip6-localhost ip6-loopback',
    'ff02::1 ip6-allnodes',
    'ff02::2 ip6-allrouters',
  ].join('\n');
}

interface HostsLine {
  readonly ip: IpAddr;
  readonly names: readonly string[];
}

function hostsLines(ctx: ShellContext): HostsLine[] {
  const out: HostsLine[] = [];
  for (const raw of hostsFile(ctx).split('\n')) {
    const [addr, ...names] = raw.replace(/#.*/, '').trim().split(/\s+/);
    const ip = addr ? parseIp(addr) : undefined;
    if (ip?.ok && names.length) out.push({ ip: ip.value, names });
  }
  return out;
}

/** What a client connects to: the address as typed, or the first IPv4 line that names it. */
export interface Resolved {
  readonly ip: IpAddr;
  /** the canonical name (the first on its line) when the target was a name, as AI_CANONNAME gives it */
  readonly name?: string;
}

/**
 * getaddrinfo over /etc/hosts, IPv4 only: the walk carries IPv4, so `localhost`
 * is 127.0.0.1 here (a dual-stack glibc sorts ::1 first; `ping -4` and
 * traceroute, whose default family is IPv4, take 127.0.0.1 as this does).
 */
export function resolveHost(ctx: ShellContext, host: string): Resolved | undefined {
  const numeric = parseIp(host);
  if (numeric.ok) return { ip: numeric.value };
  for (const line of hostsLines(ctx))
    if (line.ip.family === 4 && line.names.includes(host))
      return { ip: line.ip, name: line.names[0]! };
  return undefined;
}

/** getnameinfo over /etc/hosts: the first name of the address's line, if any. */
export function nameOf(ctx: ShellContext, ip: IpAddr): string | undefined {
  return hostsLines(ctx).find((l) => l.ip.family === ip.family && l.ip.bits === ip.bits)?.names[0];
}
