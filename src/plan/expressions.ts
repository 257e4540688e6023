/** Values a `${{ context.name }}` reference may take: inputs, matrix entries. */
export type Lookup = (reference: string) => string[] | undefined;

const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;
const SIMPLE_REFERENCE = /^(?:inputs|github\.event\.inputs|matrix)\.[A-Za-z0-9_-]+$/;

/**
 * Every string `template` can become when each `${{ inputs.x }}` / `${{ matrix.x }}` is replaced by
 * one of its values; undefined when an expression is anything else (a function, an operator...).
 */
export function expandTemplate(template: string, lookup: Lookup): string[] | undefined {
  let results = [''];
  let last = 0;
  for (const match of template.matchAll(EXPRESSION)) {
    const reference = match[1]!.replace(/^github\.event\.inputs\./, 'inputs.');
    const values = SIMPLE_REFERENCE.test(match[1]!) ? lookup(reference) : undefined;
    if (!values || values.length === 0) return undefined;
    const literal = template.slice(last, match.index);
    results = results.flatMap((prefix) => values.map((value) => prefix + literal + value));
    last = match.index! + match[0].length;
  }
  const tail = template.slice(last);
  return results.map((prefix) => prefix + tail);
}

/** The single secret a value like `${{ secrets.PYPI_TOKEN }}` reads, if that is all it is. */
export function secretReference(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^\$\{\{\s*secrets\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(value.trim())?.[1];
}

/** Every `secrets.X` a string reads. */
export function secretsRead(value: string): string[] {
  return [...value.matchAll(/\bsecrets\.([A-Za-z0-9_-]+)/g)].map((match) => match[1]!);
}
