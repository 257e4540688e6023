import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIdentifier } from '../src/pyproject/contents.js';
import { ASCII_IDENTIFIER, identifierMatcher, UNICODE_IDENTIFIER } from '../src/pyproject/identifier.js';
import { SCHEMA_FORMATS } from '../src/pyproject/schema-formats.js';

const unicodeOnly = (pattern: (identifier: string) => string) => new RegExp(pattern(UNICODE_IDENTIFIER), 'u');
const dottedReference = (id: string) => String.raw`^${id}(?:\.${id})*(?::${id}(?:\.${id})*)?$`;

describe('identifier patterns: the ASCII class for ASCII text, the Unicode one otherwise', () => {
  it('answers every ASCII text as the Unicode pattern does', () => {
    const matcher = identifierMatcher((id) => new RegExp(dottedReference(id), 'u'));
    const reference = unicodeOnly(dottedReference);
    const pieces = fc.constantFrom('a', 'Z', '_', '0', '9', '.', ':', '-', ' ', 'x1', '\t', '$');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: pieces, maxLength: 12 }), fc.string({ maxLength: 12 })), (text) => {
        expect(matcher(text)).toBe(reference.test(text));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['caf\u00e9', true],
    ['\u03bb_x', true],
    ['a\u00b5b', true],
    ['a\u2014b', false],
    ['open_ticket_ai', true],
    ['1st', false],
  ])('uses the Unicode class for text beyond ASCII: isIdentifier(%j) is %s', (name, expected) => {
    expect(ASCII_IDENTIFIER).not.toBe(UNICODE_IDENTIFIER);
    expect(isIdentifier(name)).toBe(expected);
  });

  it('the schema formats built on it accept and reject as before', () => {
    const format = (name: string, text: string) => SCHEMA_FORMATS[name]!.validate(text);
    expect(format('python-object-reference', 'hatchling.build')).toBe(true);
    expect(format('python-object-reference', 'pkg.mod:attr.sub')).toBe(true);
    expect(format('python-object-reference', 'pkg.mod:')).toBe(false);
    expect(format('python-object-reference', 'pkg-name.build')).toBe(false);
    expect(format('python-object-reference', 'p\u00e4ckchen.build')).toBe(true);
    expect(format('python-entry-point-reference', ' pkg.cli : main [extra] ')).toBe(true);
    expect(format('python-entry-point-reference', 'pkg.cli:main[')).toBe(false);
    expect(format('python-import-name', 'pkg.sub; private')).toBe(true);
    expect(format('python-import-name', 'pkg.sub;public')).toBe(false);
    expect(format('pep639-glob', 'LICEN[CS]E*')).toBe(true);
    expect(format('pep639-glob', 'LIZENZ-\u00dc.txt')).toBe(true);
    expect(format('pep639-glob', 'LICENSE$')).toBe(false);
  });
});
