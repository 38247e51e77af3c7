/**
 * `kubectl describe networkpolicy`, line for line as kubectl prints it
 * (staging/src/k8s.io/kubectl/pkg/describe/describe.go: describeNetworkPolicy,
 * describeNetworkPolicySpec, printNetworkPolicySpecIngressFrom / EgressTo,
 * printLabelsMultiline, printAnnotationsMultiline, through tabbedString's
 * tabwriter). The object is the one the API server holds: defaulted
 * (a port's protocol, policyTypes).
 */
import { visible } from '../quote';
import { formatSelector, isEmptySelector } from './selector';
import { tabwrite } from './tabwriter';
import type { Labels, NetworkPolicy, PolicyPeer, PolicyRule } from './types';

/** kubectl leaves this one out of Annotations (skipAnnotations) */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_ANNOTATION_LEN = 140;

/** Go's sort.Strings order: byte-wise */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * metav1.Time's String(), time.Time's default layout
 * (`2006-01-02 15:04:05.999999999 -0700 MST`) in UTC, as the API server's
 * RFC 3339 timestamps decode; the zero time when the object carried none.
 */
export function goTimeString(rfc3339: string | undefined): string {
  const t = rfc3339 === undefined ? NaN : Date.parse(rfc3339);
  if (Number.isNaN(t)) return '0001-01-01 00:00:00 +0000 UTC';
  const iso = new Date(t).toISOString(); // 2024-05-01T10:20:30.000Z
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`;
}

function labelsLines(title: string, labels: Labels): string[] {
  const keys = Object.keys(labels).sort(byteOrder);
  if (keys.length === 0) return [`${title}:\t<none>`];
  return keys.map((k, i) => `${i === 0 ? `${title}:` : ''}\t${k}=${labels[k]}`);
}

function annotationLines(annotations: Labels): string[] {
  const keys = Object.keys(annotations)
    .filter((k) => k !== LAST_APPLIED)
    .sort(byteOrder);
  if (keys.length === 0) return ['Annotations:\t<none>'];
  const out: string[] = [];
  keys.forEach((k, i) => {
    const lead = i === 0 ? 'Annotations:\t' : '\t';
    // printers.WriteEscaped: an annotation is the one free text here (names, labels and
    // selectors passed validation); its control characters never reach the screen raw
    const key = visible(k);
    const value = annotations[k]!.replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      out.push(`${lead}${key}:`);
      for (const s of value.split('\n'))
        out.push(
          `\t  ${visible(s.length > MAX_ANNOTATION_LEN - 2 ? `${s.slice(0, MAX_ANNOTATION_LEN - 2)}...` : s)}`,
        );
    } else out.push(`${lead}${key}: ${visible(value)}`);
  });
  return out;
}

const INDENT = '    ';

function peerLines(word: 'From' | 'To', peers: readonly PolicyPeer[], none: string): string[] {
  if (peers.length === 0) return [`${INDENT}${word}: <any> (${none})`];
  return peers.flatMap((p) => {
    const lines = [`${INDENT}${word}:`];
    const sub = `  ${INDENT}`;
    if (p.podSelector && p.namespaceSelector) {
      lines.push(`${sub}NamespaceSelector: ${formatSelector(p.namespaceSelector)}`);
      lines.push(`${sub}PodSelector: ${formatSelector(p.podSelector)}`);
    } else if (p.podSelector) lines.push(`${sub}PodSelector: ${formatSelector(p.podSelector)}`);
    else if (p.namespaceSelector)
      lines.push(`${sub}NamespaceSelector: ${formatSelector(p.namespaceSelector)}`);
    else if (p.ipBlock) {
      lines.push(`${sub}IPBlock:`);
      lines.push(`    ${INDENT}CIDR: ${p.ipBlock.cidr.text}`);
      lines.push(`    ${INDENT}Except: ${p.ipBlock.except.map((e) => e.text).join(', ')}`);
    }
    return lines;
  });
}

function ruleLines(direction: 'ingress' | 'egress', rules: readonly PolicyRule[]): string[] {
  if (rules.length === 0)
    return [`${INDENT}<none> (Selected pods are isolated for ${direction} connectivity)`];
  return rules.flatMap((r, i) => {
    const lines =
      r.ports.length === 0
        ? [`${INDENT}To Port: <any> (traffic allowed to all ports)`]
        : r.ports.map((p) => {
            // %s of a nil *intstr.IntOrString prints <nil>
            const port = p.port === undefined ? '<nil>' : String(p.port);
            return p.endPort === undefined
              ? `${INDENT}To Port: ${port}/${p.protocol}`
              : `${INDENT}To Port Range: ${port}-${p.endPort}/${p.protocol}`;
          });
    lines.push(
      ...(direction === 'ingress'
        ? peerLines('From', r.peers, 'traffic not restricted by source')
        : peerLines('To', r.peers, 'traffic not restricted by destination')),
    );
    if (i !== rules.length - 1) lines.push(`${INDENT}----------`);
    return lines;
  });
}

export interface DescribeOptions {
  /** metadata.creationTimestamp (RFC 3339) when the object itself carries none */
  readonly creationTimestamp?: string;
}

/** The text `kubectl describe networkpolicy NAME -n NAMESPACE` prints, with its final newline. */
export function describeNetworkPolicy(np: NetworkPolicy, options: DescribeOptions = {}): string {
  const lines = [
    `Name:\t${np.name}`,
    `Namespace:\t${np.namespace}`,
    `Created on:\t${goTimeString(np.creationTimestamp ?? options.creationTimestamp)}`,
    ...labelsLines('Labels', np.labels),
    ...annotationLines(np.annotations),
    'Spec:',
    `  PodSelector:     ${
      isEmptySelector(np.podSelector)
        ? '<none> (Allowing the specific traffic to all pods in this namespace)'
        : formatSelector(np.podSelector)
    }`,
  ];
  if (np.policyTypes.includes('Ingress'))
    lines.push('  Allowing ingress traffic:', ...ruleLines('ingress', np.ingress));
  else lines.push('  Not affecting ingress traffic');
  if (np.policyTypes.includes('Egress'))
    lines.push('  Allowing egress traffic:', ...ruleLines('egress', np.egress));
  else lines.push('  Not affecting egress traffic');
  lines.push(`  Policy Types: ${np.policyTypes.length ? np.policyTypes.join(', ') : '<none>'}`);
  return `${tabwrite(lines.join('\n'))}\n`;
}
