import type { YamlFile, YamlPath } from '../project/yaml-file.js';

/** Values a `${{ context.name }}` reference may take: inputs, matrix entries. */
export type Lookup = (reference: string) => string[] | undefined;

/** Where a value is written: a `with:` entry, an input's default, a matrix entry... */
export interface Origin {
  file: YamlFile;
  path: YamlPath;
}

/** A value a reference may take, with where it is written. */
export interface Sourced {
  value: string;
  origin: Origin | undefined;
}

/** A Lookup that also says where each value comes from. */
export type SourcedLookup = (reference: string) => Sourced[] | undefined;

const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;
const SIMPLE_REFERENCE = /^(?:inputs|github\.event\.inputs|matrix)\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

/**
 * Every string `template` can become when each `${{ inputs.x }}` / `${{ matrix.x }}` is replaced by
 * one of its values; undefined when an expression is anything else (a function, an operator...).
 */
export function expandTemplate(template: string, lookup: Lookup): string[] | undefined {
  const sourced: SourcedLookup = (reference) => lookup(reference)?.map((value) => ({ value, origin: undefined }));
  return expandSourced(template, sourced, undefined)?.map((result) => result.value);
}

/**
 * expandTemplate with provenance: each result's origin is that of the last value substituted into
 * it (the most specific place to point at), or `own` (where the template itself is written) when
 * the template holds no expression.
 */
export function expandSourced(template: string, lookup: SourcedLookup, own: Origin | undefined): Sourced[] | undefined {
  let results: Sourced[] = [{ value: '', origin: own }];
  let last = 0;
  for (const match of template.matchAll(EXPRESSION)) {
    const reference = match[1]!.replace(/^github\.event\.inputs\./, 'inputs.');
    const values = SIMPLE_REFERENCE.test(match[1]!) ? lookup(reference) : undefined;
    if (!values || values.length === 0) return undefined;
    const literal = template.slice(last, match.index);
    results = results.flatMap((prefix) => values.map((value) => ({ value: prefix.value + literal + value.value, origin: value.origin ?? prefix.origin })));
    last = match.index! + match[0].length;
  }
  const tail = template.slice(last);
  return results.map((prefix) => ({ value: prefix.value + tail, origin: prefix.origin }));
}

/** The single secret a value like `${{ secrets.PYPI_TOKEN }}` reads, if that is all it is. */
export function secretReference(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^\$\{\{\s*secrets\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(value.trim())?.[1];
}
