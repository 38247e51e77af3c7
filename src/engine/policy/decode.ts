/**
 * The API server's decoding of a NetworkPolicy body, before any validation:
 * a value of the wrong JSON type fails as encoding/json's UnmarshalTypeError
 * (`json: cannot unmarshal string into Go struct field NetworkPolicySpec.spec.podSelector
 * of type v1.LabelSelector`: Struct is the innermost Go struct, Field the dotted
 * JSON path without indices, the first such error wins), and with kubectl's
 * default `--validate=strict` an unknown field fails as sigs.k8s.io/json's
 * strict decoding error (`unknown field "spec.ingress[0].form"`, path with
 * indices, all of them listed). Both come back as a 400 BadRequest:
 * `NetworkPolicy in version "v1" cannot be handled as a NetworkPolicy: …`
 * (apimachinery runtime/serializer versioning + k8s.io/apiserver handlers).
 */

type Shape =
  | { readonly kind: 'string'; readonly go: string }
  | { readonly kind: 'int32' }
  | { readonly kind: 'intOrString' }
  | { readonly kind: 'stringMap' }
  | { readonly kind: 'any' }
  | { readonly kind: 'list'; readonly of: Shape; readonly go: string }
  | {
      readonly kind: 'struct';
      readonly name: string;
      readonly go: string;
      readonly fields: () => Fields;
    };
type Fields = Readonly<Record<string, Shape>>;

const str = (go = 'string'): Shape => ({ kind: 'string', go });
const list = (of: Shape, go: string): Shape => ({ kind: 'list', of, go });
const struct = (name: string, fields: () => Fields): Shape => ({
  kind: 'struct',
  name,
  go: `v1.${name}`,
  fields,
});

const REQUIREMENT = struct('LabelSelectorRequirement', () => ({
  key: str(),
  operator: str('v1.LabelSelectorOperator'),
  values: list(str(), '[]string'),
}));
const SELECTOR = struct('LabelSelector', () => ({
  matchLabels: { kind: 'stringMap' },
  matchExpressions: list(REQUIREMENT, '[]v1.LabelSelectorRequirement'),
}));
const IP_BLOCK = struct('IPBlock', () => ({ cidr: str(), except: list(str(), '[]string') }));
const PEER = struct('NetworkPolicyPeer', () => ({
  podSelector: SELECTOR,
  namespaceSelector: SELECTOR,
  ipBlock: IP_BLOCK,
}));
const PORT = struct('NetworkPolicyPort', () => ({
  protocol: str('v1.Protocol'),
  port: { kind: 'intOrString' },
  endPort: { kind: 'int32' },
}));
const PORTS = list(PORT, '[]v1.NetworkPolicyPort');
const PEERS = list(PEER, '[]v1.NetworkPolicyPeer');
const INGRESS = struct('NetworkPolicyIngressRule', () => ({ from: PEERS, ports: PORTS }));
const EGRESS = struct('NetworkPolicyEgressRule', () => ({ to: PEERS, ports: PORTS }));
const SPEC = struct('NetworkPolicySpec', () => ({
  podSelector: SELECTOR,
  ingress: list(INGRESS, '[]v1.NetworkPolicyIngressRule'),
  egress: list(EGRESS, '[]v1.NetworkPolicyEgressRule'),
  policyTypes: list(str('v1.PolicyType'), '[]v1.PolicyType'),
}));
const ANY: Shape = { kind: 'any' };
const METADATA = struct('ObjectMeta', () => ({
  name: str(),
  generateName: str(),
  namespace: str(),
  selfLink: str(),
  uid: str('types.UID'),
  resourceVersion: str(),
  generation: ANY,
  creationTimestamp: ANY,
  deletionTimestamp: ANY,
  deletionGracePeriodSeconds: ANY,
  labels: { kind: 'stringMap' },
  annotations: { kind: 'stringMap' },
  ownerReferences: ANY,
  finalizers: ANY,
  managedFields: ANY,
}));
const POLICY = struct('NetworkPolicy', () => ({
  apiVersion: str(),
  kind: str(),
  metadata: METADATA,
  spec: SPEC,
  // kubectl get -o json of clusters before 1.28 printed an empty status
  status: ANY,
}));

/** encoding/json's UnmarshalTypeError.Value: the JSON kind, numbers with their text */
function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

interface Ctx {
  /** strict decoding's path, with indices */
  readonly path: string;
  /** encoding/json's error context: the field stack and the innermost struct */
  readonly stack: readonly string[];
  readonly struct: string;
}

class Decoder {
  typeError: string | undefined;
  readonly unknown: string[] = [];

  private fail(ctx: Ctx, value: string, go: string) {
    this.typeError ??=
      ctx.stack.length > 0
        ? `json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.stack.join('.')} of type ${go}`
        : `json: cannot unmarshal ${value} into Go value of type ${go}`;
  }

  /** the value with nulls dropped (a JSON null leaves a Go field at its zero value) */
  decode(v: unknown, shape: Shape, ctx: Ctx): unknown {
    if (v === null || v === undefined) return undefined;
    switch (shape.kind) {
      case 'any':
        return v;
      case 'string':
        if (typeof v !== 'string') return this.fail(ctx, jsonKind(v), shape.go);
        return v;
      case 'int32':
      case 'intOrString': {
        if (shape.kind === 'intOrString' && typeof v === 'string') return v;
        if (typeof v !== 'number') return this.fail(ctx, jsonKind(v), 'int32');
        if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)
          return this.fail(ctx, `number ${v}`, 'int32');
        return v;
      }
      case 'stringMap': {
        if (!isObject(v)) return this.fail(ctx, jsonKind(v), 'map[string]string');
        const out: Record<string, string> = {};
        for (const [k, x] of Object.entries(v)) {
          if (typeof x === 'string') out[k] = x;
          else if (x !== null) this.fail(ctx, jsonKind(x), 'string');
        }
        return out;
      }
      case 'list': {
        if (!Array.isArray(v)) return this.fail(ctx, jsonKind(v), shape.go);
        return v.map((x, i) => this.decode(x, shape.of, { ...ctx, path: `${ctx.path}[${i}]` }));
      }
      case 'struct': {
        if (!isObject(v)) return this.fail(ctx, jsonKind(v), shape.go);
        const fields = shape.fields();
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
          const path = ctx.path ? `${ctx.path}.${k}` : k;
          const f = fields[k];
          if (!f) {
            this.unknown.push(path);
            continue;
          }
          const d = this.decode(x, f, { path, stack: [...ctx.stack, k], struct: shape.name });
          if (d !== undefined) out[k] = d;
        }
        return out;
      }
    }
  }
}

/** the body as the API server holds it after decoding, or its BadRequest text */
export function decodePolicyObject(
  obj: unknown,
): { ok: true; value: Record<string, unknown> } | { ok: false; text: string } {
  const d = new Decoder();
  const value = d.decode(obj, POLICY, { path: '', stack: [], struct: 'NetworkPolicy' });
  const head = 'NetworkPolicy in version "v1" cannot be handled as a NetworkPolicy: ';
  if (d.typeError) return { ok: false, text: `${head}${d.typeError}` };
  if (value === undefined) return { ok: false, text: `${head}Object 'Kind' is missing in 'null'` };
  if (d.unknown.length > 0)
    return {
      ok: false,
      text: `${head}strict decoding error: ${d.unknown.map((p) => `unknown field "${p}"`).join(', ')}`,
    };
  return { ok: true, value: value as Record<string, unknown> };
}
