/**
 * kube-system/kube-proxy: the ConfigMap kubeadm writes, whose `config.conf` is kube-proxy's
 * KubeProxyConfiguration (kubeproxy.config.k8s.io/v1alpha1). podhop keeps the fields that
 * shape kube-proxy's iptables rules; anything unset takes kube-proxy's default.
 */
import { parse } from 'yaml';
import type { KubeProxyConfig } from '../scenario/types';
import { isObj, nameOf, namespaceOf, objAt, type Obj } from './fields';

export const isKubeProxyConfigMap = (o: Obj): boolean =>
  nameOf(o) === 'kube-proxy' && namespaceOf(o) === 'kube-system';

export function readKubeProxyConfig(cm: Obj, notes: string[]): KubeProxyConfig | undefined {
  const text = objAt(cm, 'data')?.['config.conf'];
  if (typeof text !== 'string') {
    notes.push('the kube-proxy ConfigMap has no data.config.conf: kube-proxy’s defaults are used');
    return undefined;
  }
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 16 });
  } catch (e) {
    notes.push(
      `the kube-proxy ConfigMap's config.conf is not YAML (${e instanceof Error ? e.message.split('\n')[0] : String(e)}): kube-proxy’s defaults are used`,
    );
    return undefined;
  }
  if (!isObj(doc)) return undefined;
  const iptables = objAt(doc, 'iptables');
  const out: { -readonly [K in keyof KubeProxyConfig]: KubeProxyConfig[K] } = {};
  // a dual-stack cluster lists both families; podhop's cluster is IPv4
  const cidr = typeof doc['clusterCIDR'] === 'string' ? doc['clusterCIDR'].split(',')[0] : '';
  if (cidr) out.clusterCIDR = cidr.trim();
  const bit = iptables?.['masqueradeBit'];
  if (typeof bit === 'number' && bit !== 14) out.masqueradeBit = bit;
  if (iptables?.['masqueradeAll'] === true) out.masqueradeAll = true;
  if (iptables?.['localhostNodePorts'] === false) out.localhostNodePorts = false;
  const addresses = doc['nodePortAddresses'];
  if (Array.isArray(addresses) && addresses.length > 0)
    out.nodePortAddresses = addresses.filter((a): a is string => typeof a === 'string');
  const mode = typeof doc['mode'] === 'string' ? doc['mode'] : '';
  if (mode !== '' && mode !== 'iptables')
    notes.push(
      `kube-proxy runs in ${mode} mode in this cluster; podhop writes the rules of its iptables mode`,
    );
  const detect = typeof doc['detectLocalMode'] === 'string' ? doc['detectLocalMode'] : '';
  if (detect !== '' && detect !== 'ClusterCIDR')
    notes.push(
      `kube-proxy's detectLocalMode is ${detect}; podhop tells pod traffic from the rest by the cluster CIDR`,
    );
  notes.push(
    `kube-proxy's settings from the kube-system/kube-proxy ConfigMap${Object.keys(out).length ? ` (${Object.keys(out).join(', ')})` : ': all defaults'}`,
  );
  return Object.keys(out).length ? out : undefined;
}
