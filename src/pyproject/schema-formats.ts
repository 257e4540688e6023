/**
 * The custom JSON Schema formats of schemas/project.schema.json and schemas/build-system.schema.json:
 * pep440, pep440-specifier, pep508, python-object-reference, python-entry-point-reference,
 * python-import-name, pep639-glob. The precompiled validators (src/generated/) call these by name;
 * scripts/generate-validators.mjs reads the names from here.
 *
 * This module must not import the generated validators: they import it.
 */
import { parseRequirement, specifierIsValid, versionIsValid } from './pep508.js';
import { identifierMatcher, isAscii } from './identifier.js';

export interface SchemaFormat {
  type: 'string';
  validate: (text: string) => boolean;
}

const dotted = (identifier: string): string => String.raw`${identifier}(?:\.${identifier})*`;
const isObjectReference = identifierMatcher((id) => new RegExp(String.raw`^${dotted(id)}(?::${dotted(id)})?$`, 'u'));
const isEntryPoint = identifierMatcher((id) => new RegExp(String.raw`^\s*${dotted(id)}\s*(?::\s*${dotted(id)}\s*)?(?:\[[^\]]*\]\s*)?$`, 'u'));
const isImportName = identifierMatcher((id) => new RegExp(String.raw`^${dotted(id)}(?:\s*;\s*private)?$`, 'u'));

function matching(test: (text: string) => boolean): SchemaFormat {
  return { type: 'string', validate: test };
}

export const SCHEMA_FORMATS: Readonly<Record<string, SchemaFormat>> = {
  pep440: { type: 'string', validate: versionIsValid },
  'pep440-specifier': { type: 'string', validate: specifierIsValid },
  pep508: { type: 'string', validate: (text) => parseRequirement(text).ok },
  'python-object-reference': matching(isObjectReference),
  'python-entry-point-reference': matching(isEntryPoint),
  'python-import-name': matching(isImportName),
  'pep639-glob': { type: 'string', validate: (glob) => licenseGlobError(glob) === undefined },
};

const VERBATIM_UNICODE = /^[\p{L}\p{N} _.-]$/u;
const VERBATIM_ASCII = /^[A-Za-z0-9 _.-]$/;

/** A letter, digit, space, '_', '.' or '-' (the ASCII class for ASCII: see identifier.ts). */
function verbatim(character: string): boolean {
  return (isAscii(character) ? VERBATIM_ASCII : VERBATIM_UNICODE).test(character);
}

/** Why a PEP 639 license-files glob is invalid, or undefined when it is valid. */
export function licenseGlobError(glob: string): string | undefined {
  if (glob === '') return 'it is empty';
  if (glob.startsWith('/')) return 'it must be relative to pyproject.toml (no leading "/")';
  if (glob.includes('\\')) return 'use "/" as the path separator, not "\\"';
  if (glob.split('/').includes('..')) return 'it must not use ".." (parent directory)';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (verbatim(c) || c === '/' || c === '*' || c === '?') continue;
    if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) return `the "[" at character ${i + 1} is never closed`;
      const inside = glob.slice(i + 1, close);
      if (inside === '') return `the range "[]" at character ${i + 1} is empty`;
      for (const d of inside) {
        if (!verbatim(d)) return `the character ${JSON.stringify(d)} is not allowed inside a [...] range`;
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
