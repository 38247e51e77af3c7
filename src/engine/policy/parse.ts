/**
 * A NetworkPolicy object, kept verbatim in the scenario, read as the API server
 * would accept it: decoded (decode.ts), defaulted (pkg/apis/networking/v1/defaults.go:
 * a port's protocol is TCP when left out; policyTypes is [Ingress] when left out, plus
 * Egress when spec.egress has rules) and validated with ValidateNetworkPolicy's own
 * messages (pkg/apis/networking/validation/validation.go). An object the API server
 * would refuse comes back as a refusal in kubectl's words and is never applied.
 */
import { DEFAULT_NAMESPACE } from '../scenario/ids';
import { labelKeyError, labelValueError } from '../scenario/k8sNames';
import { err, ok, type Result } from '../result';
import { parsePolicyCidr, strictSubset } from './cidr';
import { decodePolicyObject } from './decode';
import {
  forbidden,
  goInt,
  goQuote,
  goString,
  invalid,
  invalidObjectText,
  notSupported,
  required,
  type FieldError,
} from './fieldError';
import { validateSelector } from './selector';
import {
  POLICY_PROTOCOLS,
  POLICY_TYPES,
  type IpBlock,
  type LabelSelector,
  type Labels,
  type NetworkPolicy,
  type PolicyCidr,
  type PolicyPeer,
  type PolicyPort,
  type PolicyProtocol,
  type PolicyRule,
  type PolicyType,
  type SelectorOperator,
} from './types';

export const NETWORK_POLICY_API_VERSION = 'networking.k8s.io/v1';

export type RefusalKind = 'decode' | 'invalid' | 'apiVersion' | 'namespace' | 'duplicate';

/** A policy the API server would not store, and why, as kubectl prints it. */
export interface PolicyRefusal {
  readonly kind: RefusalKind;
  /** `networkpolicy/x/deny-all`, or `networkPolicies[3]` for an object without a usable name */
  readonly object: string;
  readonly text: string;
  /** the field errors behind an `invalid` refusal */
  readonly errors: readonly FieldError[];
}

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v ?? {}) as Raw;
const arr = (v: unknown): Raw[] => (v ?? []) as Raw[];
const strs = (v: unknown): string[] => (v ?? []) as string[];
const has = (o: Raw, k: string) => o[k] !== undefined;

function selector(raw: unknown): LabelSelector {
  const o = obj(raw);
  return {
    matchLabels: obj(o['matchLabels']) as Labels,
    matchExpressions: arr(o['matchExpressions']).map((r) => ({
      key: (r['key'] as string | undefined) ?? '',
      operator: ((r['operator'] as string | undefined) ?? '') as SelectorOperator,
      values: strs(r['values']),
    })),
  };
}

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** apimachinery NameIsDNSSubdomain (validation.IsDNS1123Subdomain's messages) */
function nameErrors(name: string): string[] {
  const out: string[] = [];
  if (name.length > 253) out.push('must be no more than 253 characters');
  if (!SUBDOMAIN.test(name))
    out.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  return out;
}

/** ValidateObjectMeta's part a NetworkPolicy meets: the name, the labels */
function validateMetadata(meta: Raw): FieldError[] {
  const errs: FieldError[] = [];
  const name = (meta['name'] as string | undefined) ?? '';
  if (name === '') errs.push(required('metadata.name', 'name or generateName is required'));
  else for (const m of nameErrors(name)) errs.push(invalid('metadata.name', goString(name), m));
  for (const [k, v] of Object.entries(obj(meta['labels']) as Labels)) {
    const ke = labelKeyError(k);
    if (ke) errs.push(invalid('metadata.labels', goString(k), ke));
    const ve = labelValueError(v);
    if (ve) errs.push(invalid('metadata.labels', goString(v), ve));
  }
  return errs;
}

/** the port name rules of validation.IsValidPortName, every one that fails */
function portNameErrors(name: string): string[] {
  const out: string[] = [];
  if (name.length > 15) out.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name))
    out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) out.push('must contain at least one letter (a-z)');
  if (name.includes('--')) out.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) out.push('must not begin or end with a hyphen');
  return out;
}

const PORT_RANGE = 'must be between 1 and 65535, inclusive';
const validPort = (n: number) => n >= 1 && n <= 65535;

/** ValidateNetworkPolicyPort */
function validatePort(p: Raw, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const protocol = p['protocol'] as string | undefined;
  if (protocol !== undefined && !(POLICY_PROTOCOLS as readonly string[]).includes(protocol))
    errs.push(notSupported(`${at}.protocol`, goString(protocol), POLICY_PROTOCOLS));
  const port = p['port'] as number | string | undefined;
  const endPort = p['endPort'] as number | undefined;
  if (port === undefined) {
    if (endPort !== undefined)
      errs.push(
        invalid(
          `${at}.endPort`,
          goInt(endPort),
          'may not be specified when `port` is not specified',
        ),
      );
  } else if (typeof port === 'number') {
    if (!validPort(port)) errs.push(invalid(`${at}.port`, goInt(port), PORT_RANGE));
    if (endPort !== undefined) {
      if (endPort < port)
        errs.push(
          invalid(`${at}.endPort`, goInt(endPort), 'must be greater than or equal to `port`'),
        );
      if (!validPort(endPort)) errs.push(invalid(`${at}.endPort`, goInt(endPort), PORT_RANGE));
    }
  } else {
    if (endPort !== undefined)
      errs.push(
        invalid(`${at}.endPort`, goInt(endPort), 'may not be specified when `port` is non-numeric'),
      );
    for (const m of portNameErrors(port)) errs.push(invalid(`${at}.port`, goString(port), m));
  }
  return errs;
}

/** ValidateIPBlock: the cidr, then each except inside it */
function ipBlock(raw: Raw, at: string, errs: FieldError[]): IpBlock | undefined {
  const text = (raw['cidr'] as string | undefined) ?? '';
  if (text === '') {
    errs.push(required(`${at}.cidr`));
    return undefined;
  }
  const c = parsePolicyCidr(`${at}.cidr`, text);
  errs.push(...c.errors);
  if (!c.cidr) return undefined;
  const except: PolicyCidr[] = [];
  strs(raw['except']).forEach((t, i) => {
    const path = `${at}.except[${i}]`;
    const e = parsePolicyCidr(path, t);
    errs.push(...e.errors);
    if (!e.cidr) return;
    if (!strictSubset(c.cidr!, e.cidr))
      errs.push(invalid(path, goString(t), 'must be a strict subset of `cidr`'));
    except.push(e.cidr);
  });
  return { cidr: c.cidr, except };
}

/** ValidateNetworkPolicyPeer */
function peer(raw: Raw, at: string, errs: FieldError[]): PolicyPeer {
  const out: { podSelector?: LabelSelector; namespaceSelector?: LabelSelector; ipBlock?: IpBlock } =
    {};
  let n = 0;
  if (has(raw, 'podSelector')) {
    n++;
    out.podSelector = selector(raw['podSelector']);
    errs.push(...validateSelector(out.podSelector, `${at}.podSelector`));
  }
  if (has(raw, 'namespaceSelector')) {
    n++;
    out.namespaceSelector = selector(raw['namespaceSelector']);
    errs.push(...validateSelector(out.namespaceSelector, `${at}.namespaceSelector`));
  }
  if (has(raw, 'ipBlock')) {
    n++;
    const b = ipBlock(obj(raw['ipBlock']), `${at}.ipBlock`, errs);
    if (b) out.ipBlock = b;
  }
  if (n === 0) errs.push(required(at, 'must specify a peer'));
  else if (n > 1 && has(raw, 'ipBlock'))
    errs.push(forbidden(at, 'may not specify both ipBlock and another peer'));
  return out;
}

function rules(
  raw: Raw[],
  path: string,
  peersKey: 'from' | 'to',
  errs: FieldError[],
): PolicyRule[] {
  return raw.map((r, i) => {
    const at = `${path}[${i}]`;
    const ports = arr(r['ports']).map((p, j): PolicyPort => {
      errs.push(...validatePort(p, `${at}.ports[${j}]`));
      const port = p['port'] as number | string | undefined;
      const endPort = p['endPort'] as number | undefined;
      return {
        protocol: ((p['protocol'] as string | undefined) ?? 'TCP') as PolicyProtocol,
        ...(port !== undefined ? { port } : {}),
        ...(endPort !== undefined ? { endPort } : {}),
      };
    });
    const peers = arr(r[peersKey]).map((p, j) => peer(p, `${at}.${peersKey}[${j}]`, errs));
    return { ports, peers };
  });
}

/** the Go %#v of the internal []networking.PolicyType ValidateNetworkPolicySpec reports */
const policyTypesValue = (types: readonly string[]) =>
  ({ kind: 'raw', text: `[]networking.PolicyType{${types.map(goQuote).join(', ')}}` }) as const;

function policyTypes(
  raw: readonly string[],
  egressRules: number,
  errs: FieldError[],
): PolicyType[] {
  if (raw.length > POLICY_TYPES.length) {
    errs.push(
      invalid(
        'spec.policyTypes',
        policyTypesValue(raw),
        'may not specify more than two policyTypes',
      ),
    );
    return [];
  }
  raw.forEach((t, i) => {
    if (!(POLICY_TYPES as readonly string[]).includes(t))
      errs.push(notSupported(`spec.policyTypes[${i}]`, goString(t), POLICY_TYPES));
  });
  // SetDefaults_NetworkPolicy: `len(obj.Spec.Egress) != 0`, so `egress: []` adds nothing
  if (raw.length === 0) return egressRules > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  return raw as PolicyType[];
}

function refusal(
  kind: RefusalKind,
  object: string,
  text: string,
  errors: readonly FieldError[] = [],
): PolicyRefusal {
  return { kind, object, text, errors };
}

/**
 * One policy object as the API server would take it. `index` names an object
 * whose metadata cannot be read; a missing namespace is `default`, as kubectl
 * apply fills in the context's namespace.
 */
export function parseNetworkPolicy(
  input: unknown,
  index = 0,
): Result<NetworkPolicy, PolicyRefusal> {
  const decoded = decodePolicyObject(input);
  const fallback = `networkPolicies[${index}]`;
  if (!decoded.ok)
    return err(refusal('decode', fallback, `Error from server (BadRequest): ${decoded.text}`));
  const o = decoded.value;
  const apiVersion = (o['apiVersion'] as string | undefined) ?? NETWORK_POLICY_API_VERSION;
  const kind = (o['kind'] as string | undefined) ?? 'NetworkPolicy';
  if (apiVersion !== NETWORK_POLICY_API_VERSION || kind !== 'NetworkPolicy')
    return err(
      refusal(
        'apiVersion',
        fallback,
        `no matches for kind ${goQuote(kind)} in version ${goQuote(apiVersion)}`,
      ),
    );
  const meta = obj(o['metadata']);
  const spec = obj(o['spec']);
  const name = (meta['name'] as string | undefined) ?? '';
  const namespace = (meta['namespace'] as string | undefined) || DEFAULT_NAMESPACE;
  const errs = validateMetadata(meta);
  const podSelector = selector(spec['podSelector']);
  errs.push(...validateSelector(podSelector, 'spec.podSelector'));
  const rawEgress = arr(spec['egress']);
  const ingress = rules(arr(spec['ingress']), 'spec.ingress', 'from', errs);
  const egress = rules(rawEgress, 'spec.egress', 'to', errs);
  const types = policyTypes(strs(spec['policyTypes']), rawEgress.length, errs);
  const object = name ? `networkpolicy/${namespace}/${name}` : fallback;
  if (errs.length > 0)
    return err(refusal('invalid', object, invalidObjectText('NetworkPolicy', name, errs), errs));
  const created = meta['creationTimestamp'];
  return ok({
    name,
    namespace,
    labels: obj(meta['labels']) as Labels,
    annotations: obj(meta['annotations']) as Labels,
    ...(typeof created === 'string' ? { creationTimestamp: created } : {}),
    podSelector,
    policyTypes: types,
    ingress,
    egress,
  });
}

/** One object of the list as given, at its index: stored, or refused and why. */
export type PolicyEntry =
  | { readonly index: number; readonly ok: true; readonly policy: NetworkPolicy }
  | { readonly index: number; readonly ok: false; readonly refusal: PolicyRefusal };

export interface LoadedPolicies {
  /** what the API server stores, in the order given */
  readonly policies: readonly NetworkPolicy[];
  readonly refused: readonly PolicyRefusal[];
  /** every object given, in its order, with what became of it */
  readonly entries: readonly PolicyEntry[];
}

/**
 * Every policy of a scenario, as `kubectl apply` of them one by one would end:
 * a refused one is left out and the rest is applied; one in a namespace that
 * does not exist is refused as the API server refuses it (NotFound), and a
 * second object of the same namespace/name is refused as create refuses it.
 */
export function loadNetworkPolicies(
  objects: readonly unknown[],
  namespaces: ReadonlySet<string>,
): LoadedPolicies {
  const policies: NetworkPolicy[] = [];
  const refused: PolicyRefusal[] = [];
  const entries: PolicyEntry[] = [];
  const seen = new Set<string>();
  const refuse = (index: number, refusal: PolicyRefusal) => {
    refused.push(refusal);
    entries.push({ index, ok: false, refusal });
  };
  objects.forEach((o, i) => {
    const r = parseNetworkPolicy(o, i);
    if (!r.ok) {
      refuse(i, r.error);
      return;
    }
    const p = r.value;
    const object = `networkpolicy/${p.namespace}/${p.name}`;
    if (!namespaces.has(p.namespace)) {
      refuse(
        i,
        refusal(
          'namespace',
          object,
          `Error from server (NotFound): namespaces ${goQuote(p.namespace)} not found`,
        ),
      );
      return;
    }
    if (seen.has(object)) {
      refuse(
        i,
        refusal(
          'duplicate',
          object,
          `Error from server (AlreadyExists): networkpolicies.networking.k8s.io ${goQuote(p.name)} already exists`,
        ),
      );
      return;
    }
    seen.add(object);
    policies.push(p);
    entries.push({ index: i, ok: true, policy: p });
  });
  return { policies, refused, entries };
}
