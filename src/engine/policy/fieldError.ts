/**
 * Validation errors as the API server words them: apimachinery's field.Error
 * (staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go, Error()
 * and ErrorBody()), gathered the way kubectl prints an Invalid status
 * (kubectl/pkg/cmd/util/helpers.go checkErr: `The NetworkPolicy "x" is invalid: …`,
 * one cause on the line, several as a `* ` list).
 */
import { visible } from '../quote';

/** field.ErrorType's String(): what follows `<field>: ` */
export const FIELD_ERROR_TYPES = {
  invalid: 'Invalid value',
  required: 'Required value',
  forbidden: 'Forbidden',
  notSupported: 'Unsupported value',
  duplicate: 'Duplicate value',
} as const;
export type FieldErrorType = keyof typeof FIELD_ERROR_TYPES;

export interface FieldError {
  readonly type: FieldErrorType;
  /** the field path as field.Path prints it: `spec.ingress[0].from[0].ipBlock.cidr` */
  readonly field: string;
  /** the whole line, `<field>: <body>` */
  readonly text: string;
}

/**
 * A bad value as ErrorBody renders it: strings (and named string types such as
 * api.Protocol, which %#v prints the same) quoted as Go's %q, integers bare,
 * anything else already in Go's %#v form.
 */
export type GoValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'raw'; readonly text: string };

export const goString = (value: string): GoValue => ({ kind: 'string', value });
export const goInt = (value: number): GoValue => ({ kind: 'int', value });

/** Go's strconv.Quote: backslash and double quote escaped, invisible runes as escapes. */
export function goQuote(s: string): string {
  return `"${visible(s.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"`;
}

function valueText(v: GoValue): string {
  switch (v.kind) {
    case 'string':
      return goQuote(v.value);
    case 'int':
      return String(v.value);
    case 'raw':
      return v.text;
  }
}

function make(type: FieldErrorType, field: string, value: GoValue | undefined, detail: string) {
  // Required and Forbidden print no value (ErrorBody's first cases)
  const head =
    value === undefined
      ? FIELD_ERROR_TYPES[type]
      : `${FIELD_ERROR_TYPES[type]}: ${valueText(value)}`;
  const body = detail ? `${head}: ${detail}` : head;
  return { type, field, text: `${field}: ${body}` };
}

export const invalid = (field: string, value: GoValue, detail: string): FieldError =>
  make('invalid', field, value, detail);
export const required = (field: string, detail = ''): FieldError =>
  make('required', field, undefined, detail);
export const forbidden = (field: string, detail: string): FieldError =>
  make('forbidden', field, undefined, detail);
export const duplicate = (field: string, value: GoValue): FieldError =>
  make('duplicate', field, value, '');
/** field.NotSupported: `supported values: "TCP", "UDP", "SCTP"` */
export const notSupported = (field: string, value: GoValue, valid: readonly string[]): FieldError =>
  make('notSupported', field, value, `supported values: ${valid.map(goQuote).join(', ')}`);

/**
 * kubectl's words for an Invalid status: the kind and name, then the causes
 * (ErrorList.ToAggregate drops a repeated message).
 */
export function invalidObjectText(
  kind: string,
  name: string,
  errors: readonly FieldError[],
): string {
  const lines = [...new Set(errors.map((e) => e.text))];
  const head = `The ${kind} ${goQuote(name)} is invalid: `;
  return lines.length === 1
    ? `${head}${lines[0]}`
    : `${head}\n${lines.map((l) => `* ${l}`).join('\n')}`;
}
