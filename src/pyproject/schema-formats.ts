/**
 * The custom JSON Schema formats of schemas/project.schema.json and schemas/build-system.schema.json:
 * pep440, pep440-specifier, pep508, python-object-reference, python-entry-point-reference,
 * python-import-name, pep639-glob. The precompiled validators (src/generated/) call these by name;
 * scripts/generate-validators.mjs reads the names from here.
 *
 * This module must not import the generated validators: they import it.
 */
import { parseRequirement, specifierIsValid, versionIsValid } from '../pep508.js';

export interface SchemaFormat {
  type: 'string';
  validate: (text: string) => boolean;
}

const IDENTIFIER = String.raw`[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*`;
const DOTTED = String.raw`${IDENTIFIER}(?:\.${IDENTIFIER})*`;
const OBJECT_REFERENCE_RE = new RegExp(String.raw`^${DOTTED}(?::${DOTTED})?$`, 'u');
const ENTRY_POINT_RE = new RegExp(String.raw`^\s*${DOTTED}\s*(?::\s*${DOTTED}\s*)?(?:\[[^\]]*\]\s*)?$`, 'u');
const IMPORT_NAME_RE = new RegExp(String.raw`^${DOTTED}(?:\s*;\s*private)?$`, 'u');

function matching(pattern: RegExp): SchemaFormat {
  return { type: 'string', validate: (text) => pattern.test(text) };
}

export const SCHEMA_FORMATS: Readonly<Record<string, SchemaFormat>> = {
  pep440: { type: 'string', validate: versionIsValid },
  'pep440-specifier': { type: 'string', validate: specifierIsValid },
  pep508: { type: 'string', validate: (text) => parseRequirement(text).ok },
  'python-object-reference': matching(OBJECT_REFERENCE_RE),
  'python-entry-point-reference': matching(ENTRY_POINT_RE),
  'python-import-name': matching(IMPORT_NAME_RE),
  'pep639-glob': { type: 'string', validate: (glob) => licenseGlobError(glob) === undefined },
};

/** Why a PEP 639 license-files glob is invalid, or undefined when it is valid. */
export function licenseGlobError(glob: string): string | undefined {
  if (glob === '') return 'it is empty';
  if (glob.startsWith('/')) return 'it must be relative to pyproject.toml (no leading "/")';
  if (glob.includes('\\')) return 'use "/" as the path separator, not "\\"';
  if (glob.split('/').includes('..')) return 'it must not use ".." (parent directory)';
  const verbatim = /^[\p{L}\p{N} _.-]$/u;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (verbatim.test(c) || c === '/' || c === '*' || c === '?') continue;
    if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) return `the "[" at character ${i + 1} is never closed`;
      const inside = glob.slice(i + 1, close);
      if (inside === '') return `the range "[]" at character ${i + 1} is empty`;
      for (const d of inside) {
        if (!verbatim.test(d)) return `the character ${JSON.stringify(d)} is not allowed inside a [...] range`;
      }
      i = close;
      continue;
    }
    return (
      `the character ${JSON.stringify(c)} is not allowed (PEP 639 globs use letters, digits, space, ` +
      `'_', '-', '.', '/', '*', '?' and [...] ranges)`
    );
  }
  return undefined;
}
