/**
 * metav1.LabelSelector: matching with the semantics of apimachinery's labels
 * package (pkg/labels/selector.go Requirement.Matches), validation with
 * ValidateLabelSelector's messages (pkg/apis/meta/v1/validation/validation.go)
 * and kubectl's rendering (metav1.FormatLabelSelector, Requirement.String).
 */
import { labelKeyError, labelValueError } from '../scenario/k8sNames';
import { forbidden, goString, invalid, required, type FieldError } from './fieldError';
import type { LabelSelector, Labels, SelectorRequirement } from './types';

export const EMPTY_SELECTOR: LabelSelector = { matchLabels: {}, matchExpressions: [] };

const has = (labels: Labels, key: string) => Object.prototype.hasOwnProperty.call(labels, key);

/** NotIn matches a missing key too, as the labels package defines it */
function requirementMatches(r: SelectorRequirement, labels: Labels): boolean {
  switch (r.operator) {
    case 'In':
      return has(labels, r.key) && r.values.includes(labels[r.key]!);
    case 'NotIn':
      return !has(labels, r.key) || !r.values.includes(labels[r.key]!);
    case 'Exists':
      return has(labels, r.key);
    case 'DoesNotExist':
      return !has(labels, r.key);
  }
}

/** An empty selector selects everything (LabelSelectorAsSelector returns labels.Everything()). */
export function selectorMatches(s: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(s.matchLabels))
    if (!has(labels, k) || labels[k] !== v) return false;
  return s.matchExpressions.every((r) => requirementMatches(r, labels));
}

export const isEmptySelector = (s: LabelSelector): boolean =>
  Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;

/** ValidateLabelSelector with AllowInvalidLabelValueInSelector off, as for a new object */
export function validateSelector(s: LabelSelector, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const labelsPath = `${path}.matchLabels`;
  for (const [k, v] of Object.entries(s.matchLabels)) {
    const keyErr = labelKeyError(k);
    if (keyErr) errs.push(invalid(labelsPath, goString(k), keyErr));
    const valueErr = labelValueError(v);
    if (valueErr) errs.push(invalid(labelsPath, goString(v), valueErr));
  }
  s.matchExpressions.forEach((r, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    switch (r.operator as string) {
      case 'In':
      case 'NotIn':
        if (r.values.length === 0)
          errs.push(
            required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"),
          );
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (r.values.length > 0)
          errs.push(
            forbidden(
              `${at}.values`,
              "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            ),
          );
        break;
      default:
        errs.push(invalid(`${at}.operator`, goString(r.operator), 'not a valid selector operator'));
    }
    const keyErr = labelKeyError(r.key);
    if (keyErr) errs.push(invalid(`${at}.key`, goString(r.key), keyErr));
    r.values.forEach((v, j) => {
      const valueErr = labelValueError(v);
      if (valueErr) errs.push(invalid(`${at}.values[${j}]`, goString(v), valueErr));
    });
  });
  return errs;
}

/** Requirement.String(): `k=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`; values sorted */
function requirementText(
  key: string,
  op: 'Equals' | SelectorRequirement['operator'],
  values: readonly string[],
) {
  const list = [...values].sort().join(',');
  switch (op) {
    case 'Equals':
      return `${key}=${list}`;
    case 'In':
      return `${key} in (${list})`;
    case 'NotIn':
      return `${key} notin (${list})`;
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
  }
}

/**
 * metav1.FormatLabelSelector: the requirements sorted by key (internalSelector.Add
 * sorts them; Go's sort of so few is an insertion sort, so equal keys keep their
 * order), `<none>` for the empty selector.
 */
export function formatSelector(s: LabelSelector): string {
  const reqs = [
    ...Object.entries(s.matchLabels).map(([k, v]) => ({
      key: k,
      text: requirementText(k, 'Equals', [v]),
    })),
    ...s.matchExpressions.map((r) => ({
      key: r.key,
      text: requirementText(r.key, r.operator, r.values),
    })),
  ];
  const sorted = reqs
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
  return sorted.length === 0 ? '<none>' : sorted.map((r) => r.text).join(',');
}
