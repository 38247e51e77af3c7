import { broadcastAddress, prefixFromBits } from '../addr/ip';
import { hasLinkAddress, ipv6Addresses } from '../network/devices';
import type { Device, InterfaceAddress, Namespace } from '../network/types';

/**
 * `ip addr` and `ip -br addr` as iproute2 prints them (ip/ipaddress.c
 * print_linkinfo, print_addrinfo), devices in ifindex order.
 */

const byIndex = (ns: Namespace): Device[] => [...ns.devices].sort((a, b) => a.index - b.index);

/** What `ip [-4|-6] addr show [dev NAME]` narrows the listing to. */
export interface AddrFilter {
  readonly dev?: string;
  /** `-4` / `-6`: only that family's addresses, and only devices holding one */
  readonly family?: 4 | 6;
}

interface Listed {
  readonly d: Device;
  readonly v4: readonly InterfaceAddress[];
  readonly v6: readonly string[];
}

function listed(ns: Namespace, f: AddrFilter = {}): Listed[] {
  return byIndex(ns)
    .filter((d) => f.dev === undefined || d.name === f.dev)
    .map((d) => ({
      d,
      v4: f.family === 6 ? [] : d.addresses,
      v6: f.family === 4 ? [] : ipv6Addresses(d),
    }))
    .filter((x) => f.family === undefined || x.v4.length + x.v6.length > 0);
}

/** `eth0@if4`: a device whose link lives in another namespace prints the peer's ifindex. */
function linkName(d: Device): string {
  return d.peer ? `${d.name}@if${d.peer.index}` : d.name;
}

const v4Text = (a: InterfaceAddress): string => `${a.ip.text}/${a.len}`;

/** `ip -br addr`: `%-16s ` name, `%-14s ` operstate, then every address followed by a space. */
export function printAddrBrief(ns: Namespace, f: AddrFilter = {}): string {
  return listed(ns, f)
    .map(({ d, v4, v6 }) => {
      const addrs = [...v4.map(v4Text), ...v6];
      return `${linkName(d).padEnd(16)} ${d.state.padEnd(14)} ${addrs.map((a) => `${a} `).join('')}`;
    })
    .join('\n');
}

/** `ip -br link`: name, operstate, the link-layer address (when there is one), then the flags. */
export function printLinkBrief(ns: Namespace, f: AddrFilter = {}): string {
  return listed(ns, { ...(f.dev ? { dev: f.dev } : {}) })
    .map(
      ({ d }) =>
        `${linkName(d).padEnd(16)} ${d.state.padEnd(14)} ${hasLinkAddress(d) ? `${d.mac} ` : ''}${linkFlags(d)} `,
    )
    .join('\n');
}

/** IFF_* as iproute2 prints them; tunl0 as calico-seed-ipip.txt shows it (point-to-point, no ARP). */
function baseFlags(d: Device): string[] {
  switch (d.kind) {
    case 'loopback':
      return ['LOOPBACK'];
    case 'ipip':
      return ['POINTOPOINT', 'MULTICAST', 'NOARP'];
    default:
      return ['BROADCAST', 'MULTICAST'];
  }
}

function linkFlags(d: Device): string {
  const up = d.state !== 'DOWN';
  const base = baseFlags(d);
  return `<${[...base, ...(up ? ['UP', 'LOWER_UP'] : [])].join(',')}>`;
}

/**
 * The queueing discipline the kernel attaches: virtual devices are
 * IFF_NO_QUEUE (noqueue); a NIC gets the default qdisc, fq_codel on a
 * systemd host (net.core.default_qdisc); a device that is down has noop.
 */
function qdisc(d: Device): string {
  if (d.state === 'DOWN') return 'noop';
  // tunl0 as calico-seed-ipip.txt's `ip -d link show tunl0` prints it
  if (d.kind === 'ipip') return 'pfifo_fast';
  return d.kind === 'ethernet' ? 'fq_codel' : 'noqueue';
}

/**
 * txqueuelen: 1000 (DEFAULT_TX_QUEUE_LEN) for lo, NICs and the cni0 bridge
 * (the bridge plugin asks for the kernel default, TxQLen -1); 0 for the
 * veths the CNI creates and flannel's vxlan device (vishvananda/netlink sends
 * IFLA_TXQLEN 0 from a zero LinkAttrs), and iproute2 omits a zero qlen.
 */
function qlen(d: Device): number {
  if (d.kind === 'ipip') return 500;
  return d.kind === 'veth' || d.kind === 'vxlan' ? 0 : 1000;
}

/** The namespace id the peer's namespace has here: the host is 0 for a pod; pods are numbered in the order their veths were made. */
function netnsid(ns: Namespace, d: Device): number {
  if (ns.kind === 'pod') return 0;
  return byIndex(ns)
    .filter((x) => x.kind === 'veth' && x.peer)
    .indexOf(d);
}

/** `ip link` adds the link mode (`mode DEFAULT`) that `ip addr` leaves out. */
function linkLines(ns: Namespace, d: Device, withMode = false): string[] {
  const q = qlen(d);
  let head = `${d.index}: ${linkName(d)}: ${linkFlags(d)} mtu ${d.mtu} qdisc ${qdisc(d)} `;
  if (d.master) head += `master ${d.master} `;
  head += `state ${d.state} ${withMode ? 'mode DEFAULT ' : ''}group default `;
  if (q) head += `qlen ${q}`;
  const link =
    d.kind === 'loopback'
      ? `    link/loopback ${d.mac} brd 00:00:00:00:00:00`
      : !hasLinkAddress(d)
        ? '    link/none '
        : `    link/ether ${d.mac} brd ff:ff:ff:ff:ff:ff${d.peer ? ` link-netnsid ${netnsid(ns, d)}` : ''}`;
  return [head, link];
}

const LIFETIME = '       valid_lft forever preferred_lft forever';

function inetLines(d: Device, a: InterfaceAddress): string[] {
  // an address added with a broadcast (the CNI's netlink.AddrAdd computes one below /31); lo has none
  const brd =
    d.kind !== 'loopback' && a.len < 31
      ? `brd ${broadcastAddress(prefixFromBits(a.ip.family, a.ip.bits, a.len)).text} `
      : '';
  return [`    inet ${v4Text(a)} ${brd}scope ${a.scope} ${d.name}`, LIFETIME];
}

function inet6Lines(text: string): string[] {
  // ::1 carries IFA_F_NOPREFIXROUTE on current kernels; a link-local is plain `scope link`
  const scope =
    text === '::1/128' ? 'host noprefixroute' : text.startsWith('fe80:') ? 'link' : 'global';
  return [`    inet6 ${text} scope ${scope} `, LIFETIME];
}

/** `ip addr`: per device the link line, the link-layer line, then inet and inet6 addresses. */
export function printAddr(ns: Namespace, f: AddrFilter = {}): string {
  return listed(ns, f)
    .flatMap(({ d, v4, v6 }) => [
      ...linkLines(ns, d),
      ...v4.flatMap((a) => inetLines(d, a)),
      ...v6.flatMap(inet6Lines),
    ])
    .join('\n');
}

/** `ip link`: the link line and the link-layer line of every device. */
export function printLink(ns: Namespace, f: AddrFilter = {}): string {
  return listed(ns, { ...(f.dev ? { dev: f.dev } : {}) })
    .flatMap(({ d }) => linkLines(ns, d, true))
    .join('\n');
}
