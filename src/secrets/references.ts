import { isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Range } from '../project/source-file.js';
import type { YamlFile, YamlPath } from '../project/yaml-file.js';
import { expressionSpans } from '../workflow/expression-spans.js';

/** One `secrets.NAME` read in a workflow, where it is written. */
export interface SecretRead {
  name: string;
  /** The `secrets.NAME` text (or `secrets['NAME']`) in the file. */
  range: Range;
  /** The YAML path of the value that reads it, e.g. ['jobs', 'publish', 'secrets', 'pypi-token']. */
  path: YamlPath;
}

/** A scalar value of a workflow with its path and range: what the secrets rules scan. */
export interface ScalarValue {
  path: YamlPath;
  value: string;
  range: Range;
}

const SECRET = /\bsecrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\[\s*'([^']+)'\s*\]|\[\s*"([^"]+)"\s*\])/g;

const scalarCache = new WeakMap<YamlFile, ScalarValue[]>();
const readCache = new WeakMap<YamlFile, SecretRead[]>();

/** Every string (and number) value of a YAML file, keys excluded, in document order. */
export function scalarValues(file: YamlFile): ScalarValue[] {
  let found = scalarCache.get(file);
  if (found) return found;
  found = [];
  const values = found;
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isAlias(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined) walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    } else if (isScalar(node) && node.range && (typeof node.value === 'string' || typeof node.value === 'number')) {
      values.push({ path, value: String(node.value), range: { start: node.range[0], end: node.range[1] } });
    }
  };
  walk(file.document?.contents as Node | undefined, []);
  scalarCache.set(file, values);
  return values;
}

/**
 * Every secret a workflow reads: `secrets.X` inside `${{ }}` expressions, and in `if:` conditions
 * (which are expressions without the braces). Positions are read from the file's text, so they
 * are exact in plain, quoted and block scalars alike.
 */
export function secretReads(file: YamlFile): SecretRead[] {
  let found = readCache.get(file);
  if (found) return found;
  found = [];
  for (const scalar of scalarValues(file)) {
    const source = file.text.slice(scalar.range.start, scalar.range.end);
    const spans: Range[] = [];
    if (scalar.path[scalar.path.length - 1] === 'if') spans.push({ start: 0, end: source.length });
    else for (const expression of expressionSpans(source)) spans.push({ start: expression.start, end: expression.end });
    for (const span of spans) {
      const text = source.slice(span.start, span.end);
      for (const match of text.matchAll(SECRET)) {
        const start = scalar.range.start + span.start + match.index;
        found.push({ name: match[1] ?? match[2] ?? match[3]!, range: { start, end: start + match[0].length }, path: scalar.path });
      }
    }
  }
  readCache.set(file, found);
  return found;
}

/** Secret names in a string value (an env value, a `with:` value): every `secrets.X` inside its expressions. */
export function secretsInValue(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  const names: string[] = [];
  for (const expression of expressionSpans(value)) {
    for (const match of expression.body.matchAll(SECRET)) names.push(match[1] ?? match[2] ?? match[3]!);
  }
  return names;
}

/** True when `path` starts with `prefix`. */
export function startsWithPath(path: YamlPath, prefix: YamlPath): boolean {
  return prefix.length <= path.length && prefix.every((key, index) => String(key) === String(path[index]));
}

/** GitHub creates this one for every run; it is never a repository secret to declare or document. */
export function isGithubToken(name: string): boolean {
  return name.toUpperCase() === 'GITHUB_TOKEN';
}

export function sameSecret(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}
