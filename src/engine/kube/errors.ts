/**
 * What an import can refuse, as values (DESIGN.md: errors a user sees are values). Every
 * refusal says what was wrong with the text in words a user can act on.
 */
export type KubeError =
  | { readonly kind: 'tooLarge'; readonly text: string }
  | { readonly kind: 'tooDeep'; readonly text: string }
  | { readonly kind: 'tooManyAliases'; readonly text: string }
  | { readonly kind: 'badJson'; readonly text: string }
  | { readonly kind: 'badYaml'; readonly text: string }
  | { readonly kind: 'nothingToImport'; readonly text: string };

/**
 * Limits that keep a hostile file (or a paste) from freezing the page or the CLI. All are
 * checked before the expensive step they guard.
 */
export interface KubeLimits {
  /**
   * Characters of JSON text. JSON.parse is native and linear, and a real
   * `kubectl get … -A -o json` of 500 nodes and 15,000 pods is some 50 MB, so this is high.
   */
  readonly jsonChars: number;
  /**
   * Characters of YAML text. The yaml package parses in JavaScript, about ten times slower
   * than JSON.parse (measured: 6.7 MB of kubectl-like YAML in 5.8 s), with a syntax tree per
   * value: a cluster that large belongs in `-o json`.
   */
  readonly yamlChars: number;
  /** nesting of maps and lists; kubectl's deepest objects (a NetworkPolicy, a Pod) are ~12 */
  readonly depth: number;
  /**
   * YAML aliases (`*name`) resolved per document: the yaml package's own guard against
   * "billion laughs" (its `maxAliasCount`; kubectl output never uses anchors).
   */
  readonly aliases: number;
  /** indentation in columns; deeper is not kubectl output and only slows the YAML parser */
  readonly yamlIndent: number;
}

export const KUBE_LIMITS: KubeLimits = {
  jsonChars: 128 * 1024 * 1024,
  yamlChars: 4 * 1024 * 1024,
  depth: 64,
  aliases: 100,
  yamlIndent: 1024,
};

export const megabytes = (chars: number): string => `${(chars / (1024 * 1024)).toFixed(0)} MiB`;
