import { linkLocalFromMac, type IpAddr } from '../addr/ip';
import type { Device, InterfaceAddress } from './types';

export const LOOPBACK_MTU = 65536;

export const loopback = (): Device => ({
  name: 'lo',
  index: 1,
  kind: 'loopback',
  mac: '00:00:00:00:00:00',
  mtu: LOOPBACK_MTU,
  // the kernel reports lo's operstate as UNKNOWN (it has no carrier notion)
  state: 'UNKNOWN',
  addresses: [{ ip: { family: 4, bits: 0x7f000001n, text: '127.0.0.1' }, len: 8, scope: 'host' }],
});

export const globalAddr = (ip: IpAddr, len: number): InterfaceAddress => ({
  ip,
  len,
  scope: 'global',
});

/** The IPv6 addresses `ip -br addr` lists after the IPv4 ones (kernel auto-config). */
export function ipv6Addresses(d: Device): string[] {
  if (d.kind === 'loopback') return ['::1/128'];
  // no link layer address, no EUI-64 link-local (calico-seed-ipip.txt: tunl0 lists only its /32)
  if (!hasLinkAddress(d)) return [];
  // vxlan devices created by flannel have no link-local (addrgenmode none is not set, but
  // flannel.1 does get one; kept for every non-loopback device that is UP)
  return d.state === 'DOWN' ? [] : [`${linkLocalFromMac(d.mac)}/64`];
}

/** A device with a link-layer address (`link/ether …`); an IPIP tunnel has none to print. */
export const hasLinkAddress = (d: Device): boolean => d.kind !== 'ipip';
