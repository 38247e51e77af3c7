/**
 * YAML text to JavaScript values with the guards a hostile file needs. The yaml package's
 * lexer and parser are iterative, but its composer (syntax tree → document) recurses once per
 * level, and a few megabytes of `[` exhaust the process's memory there (measured: 100,000
 * levels abort Node with "process out of memory"). So the depth is measured on the syntax tree
 * before anything is composed, and the syntax tree is built only for text that cannot be
 * pathologically deep.
 */
import { Composer, LineCounter, Lexer, Parser, type CST } from 'yaml';
import { err, ok, type Result } from '../result';
import type { KubeError, KubeLimits } from './errors';

const tooDeep = (limits: KubeLimits, why: string): KubeError => ({
  kind: 'tooDeep',
  text: `the YAML is nested deeper than podhop reads (${why}; the limit is ${limits.depth} levels)`,
});

/**
 * A cheap upper bound, in one pass over the characters: flow brackets counted without regard
 * to quoting (so brackets inside strings can only over-count), the widest indentation, and
 * compact `- - -` items at a line's start. Only when the bracket count is suspicious does the
 * exact lexer run (with an early stop), so ordinary files pay for one character loop.
 */
function prescan(text: string, limits: KubeLimits): KubeError | undefined {
  let flow = 0;
  let maxFlow = 0;
  let lineStart = true;
  let indent = 0;
  let compact = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      lineStart = true;
      indent = 0;
      compact = 0;
      continue;
    }
    if (lineStart) {
      if (c === 0x20) {
        if (++indent > limits.yamlIndent)
          return tooDeep(limits, `a line is indented more than ${limits.yamlIndent} columns`);
        continue;
      }
      // `- ` (0x2d) or `? ` (0x3f) opening a nested block collection on the same line
      if ((c === 0x2d || c === 0x3f) && text.charCodeAt(i + 1) === 0x20) {
        if (++compact > limits.depth) return tooDeep(limits, 'items nested on one line');
        i++;
        continue;
      }
      lineStart = false;
    }
    if (c === 0x5b || c === 0x7b) {
      if (++flow > maxFlow) maxFlow = flow;
    } else if ((c === 0x5d || c === 0x7d) && flow > 0) flow--;
  }
  if (maxFlow > limits.depth && exactFlowDepthExceeds(text, limits.depth))
    return tooDeep(limits, 'brackets inside brackets');
  return undefined;
}

/** The lexer knows quoting and block scalars; it stops at the first level past the limit. */
function exactFlowDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > limit) return true;
    } else if (token === ']' || token === '}') depth = Math.max(0, depth - 1);
  }
  return false;
}

/** Collections below `token`, measured with an explicit stack (no recursion). */
function cstDepth(tokens: readonly CST.Token[], limit: number): boolean {
  const stack: Array<[CST.Token, number]> = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [t, d] = stack.pop()!;
    switch (t.type) {
      case 'document':
        if (t.value) stack.push([t.value, d]);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        if (d + 1 > limit) return true;
        for (const item of t.items) {
          if ('key' in item && item.key) stack.push([item.key, d + 1]);
          if (item.value) stack.push([item.value, d + 1]);
        }
        break;
      }
      default:
        break;
    }
  }
  return false;
}

/** Every document of a YAML stream as plain JavaScript values (null for an empty one). */
export function parseYamlDocuments(text: string, limits: KubeLimits): Result<unknown[], KubeError> {
  const refused = prescan(text, limits);
  if (refused) return err(refused);
  const lines = new LineCounter();
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  if (cstDepth(tokens, limits.depth)) return err(tooDeep(limits, 'maps and lists inside others'));
  // YAML 1.2 core schema: `on`/`yes` stay strings and no timestamps become Dates, as
  // sigs.k8s.io/yaml (which kubectl uses) reads them; no `<<` merge keys.
  const composer = new Composer({ version: '1.2', schema: 'core', merge: false });
  const values: unknown[] = [];
  for (const doc of composer.compose(tokens)) {
    const first = doc.errors[0];
    if (first) {
      const at = lines.linePos(first.pos[0]);
      return err({
        kind: 'badYaml',
        text: `not valid YAML (line ${at.line}, column ${at.col}): ${first.message.split('\n')[0]}`,
      });
    }
    try {
      values.push(doc.toJS({ maxAliasCount: limits.aliases }));
    } catch (e) {
      // yaml throws a ReferenceError once aliases expand past maxAliasCount
      if (e instanceof ReferenceError)
        return err({
          kind: 'tooManyAliases',
          text: `the YAML's aliases (*name) expand past ${limits.aliases} copies ("billion laughs"); podhop does not expand them`,
        });
      if (e instanceof RangeError)
        return err(tooDeep(limits, 'aliases nest collections inside each other'));
      throw e;
    }
  }
  return ok(values);
}
