/**
 * Strings a workflow value may become, each with the place it is written: the vocabulary of the
 * release plan's evidence. `interpolate` expands the `${{ }}` parts of a YAML string over every
 * value their expressions may take.
 */
import type { YamlFile, YamlPath } from '../project/yaml-file.js';
import { coerceString, evaluate, parseExpression, type Candidate, type ContextLookup } from './expression.js';

/** Where a value is written: a `with:` entry, an input's option, a matrix entry, a step's `run:`. */
export interface Origin {
  file: YamlFile;
  path: YamlPath;
}

/** One string a value may take, with where it is written (the most specific place known). */
export interface Sourced {
  value: string;
  origin: Origin | undefined;
}

/** More results than this are not enumerated: the value is unknown. */
const MAX_VALUES = 512;

const INTERPOLATION = /\$\{\{([\s\S]*?)\}\}/g;

/**
 * Every string `template` becomes when each `${{ expression }}` in it is replaced by one of its
 * values; undefined when an expression's values are unknown. Each result's origin is that of the
 * last value substituted into it, or `own` (where the template is written) when none has one.
 */
export function interpolate(template: string, lookup: ContextLookup, own: Origin | undefined): Sourced[] | undefined {
  let results: Sourced[] = [{ value: '', origin: own }];
  let last = 0;
  for (const match of template.matchAll(INTERPOLATION)) {
    const parsed = parseExpression(match[1]!);
    const values: Candidate[] | undefined = parsed && evaluate(parsed, lookup);
    if (!values || values.length === 0) return undefined;
    if (results.length * values.length > MAX_VALUES) return undefined;
    const literal = template.slice(last, match.index);
    results = results.flatMap((prefix) => values.map((value) => ({ value: prefix.value + literal + coerceString(value.value), origin: value.origin ?? prefix.origin })));
    last = match.index! + match[0].length;
  }
  const tail = template.slice(last);
  return unique(results.map((prefix) => ({ value: prefix.value + tail, origin: prefix.origin })));
}

/** Whether a string holds a `${{ }}` expression. */
export function hasInterpolation(text: string): boolean {
  return text.includes('${{');
}

/** Drops repeated values, keeping the first one's origin. */
export function unique(values: Sourced[]): Sourced[] {
  const seen = new Set<string>();
  return values.filter((entry) => (seen.has(entry.value) ? false : (seen.add(entry.value), true)));
}

/** The single secret a value like `${{ secrets.PYPI_TOKEN }}` reads, if that is all it is. */
export function secretReference(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^\$\{\{\s*secrets\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(value.trim())?.[1];
}

/**
 * `template` with every `${{ }}` whose value is known substituted and every other one replaced by
 * `*`: a glob of what the text can be (an artifact name with a run-time hash in it).
 */
export function interpolateAsGlob(template: string, lookup: ContextLookup): string {
  return template.replace(INTERPOLATION, (_, source: string) => {
    const parsed = parseExpression(source);
    const values = parsed && evaluate(parsed, lookup);
    return values && values.length === 1 ? coerceString(values[0]!.value) : '*';
  });
}
