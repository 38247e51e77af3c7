/**
 * Text to Kubernetes objects: what `kubectl get … -o json` or `-o yaml` prints (a `List`), a
 * single object, or a multi-document YAML of manifests. Nothing here throws on bad input.
 */
import { err, ok, type Result } from '../result';
import { KUBE_LIMITS, megabytes, type KubeError, type KubeLimits } from './errors';
import { plainCopy, type PlainValue } from './plain';
import { parseYamlDocuments } from './yamlText';

const looksLikeJson = (text: string): boolean => /^\s*[[{]/.test(text.slice(0, 4096));

/**
 * `kubectl get` with several resource types prints `kind: List` (apiVersion v1, not a real
 * API kind); the API server itself answers a list call with `PodList`, `NodeList`, …
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#collections). Both hold `items`.
 */
function isList(v: PlainValue): v is { readonly kind: string; readonly items: PlainValue[] } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Readonly<Record<string, PlainValue>>;
  return typeof o['kind'] === 'string' && o['kind'].endsWith('List') && Array.isArray(o['items']);
}

function tooLarge(chars: number, limit: number, what: string): KubeError {
  return {
    kind: 'tooLarge',
    text: `the ${what} is ${megabytes(chars)}, more than podhop reads (${megabytes(limit)})${what === 'YAML' ? '; kubectl get … -o json reads up to ' + megabytes(KUBE_LIMITS.jsonChars) : ''}`,
  };
}

export function parseKubeText(
  text: string,
  limits: KubeLimits = KUBE_LIMITS,
): Result<unknown[], KubeError> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let values: unknown[] | undefined;
  let jsonError: string | undefined;
  if (looksLikeJson(body)) {
    if (body.length > limits.jsonChars) return err(tooLarge(body.length, limits.jsonChars, 'JSON'));
    try {
      values = [JSON.parse(body)];
    } catch (e) {
      // flow-style YAML (`{kind: Pod, …}`) starts like JSON too: it gets its chance below
      jsonError = (e as Error).message;
    }
  }
  if (values === undefined) {
    if (body.length > limits.yamlChars) {
      if (jsonError !== undefined)
        return err({ kind: 'badJson', text: `not valid JSON: ${jsonError}` });
      return err(tooLarge(body.length, limits.yamlChars, 'YAML'));
    }
    const parsed = parseYamlDocuments(body, limits);
    if (!parsed.ok) {
      if (jsonError !== undefined && parsed.error.kind === 'badYaml')
        return err({ kind: 'badJson', text: `not valid JSON: ${jsonError}` });
      return parsed;
    }
    values = parsed.value;
  }
  const objects: unknown[] = [];
  for (const value of values) {
    const copied = plainCopy(value, limits.depth);
    if (!copied.ok) return copied;
    const v = copied.value;
    // an empty document (a trailing `---`) is no object at all
    if (v === null) continue;
    if (isList(v)) objects.push(...v.items);
    else if (Array.isArray(v)) objects.push(...(v as PlainValue[]));
    else objects.push(v);
  }
  return ok(objects);
}
