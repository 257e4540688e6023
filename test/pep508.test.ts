import { validRange } from '@renovatebot/pep440';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clauseError,
  isValidName,
  normalizeName,
  parseMarker,
  parseRequirement,
  parseSpecifier,
  specifierError,
  specifierIsValid,
  type Requirement,
} from '../src/pyproject/pep508.js';

/** Valid requirements (PEP 508's own examples, then real-world ones) and what they parse to. */
const VALID: [string, Partial<Requirement>][] = [
  ['A', { name: 'A', extras: [], specifier: '' }],
  ['A.B-C_D', { name: 'A.B-C_D', specifier: '' }],
  ['aa', { name: 'aa' }],
  ['name', { name: 'name', url: undefined, marker: undefined }],
  ['name<=1', { name: 'name', specifier: '<=1' }],
  ['name>=3', { specifier: '>=3' }],
  ['name>=3,<2', { specifier: '>=3,<2' }],
  ['name@http://foo.com', { name: 'name', url: 'http://foo.com', specifier: '' }],
  [
    "name [fred,bar] @ http://foo.com ; python_version=='2.7'",
    { name: 'name', extras: ['fred', 'bar'], url: 'http://foo.com', marker: "python_version=='2.7'" },
  ],
  [
    "name[quux, strange];python_version<'2.7' and platform_version=='2'",
    { extras: ['quux', 'strange'], marker: "python_version<'2.7' and platform_version=='2'" },
  ],
  ["name; os_name=='a' or os_name=='b'", { marker: "os_name=='a' or os_name=='b'" }],
  ["name; os_name=='a' and os_name=='b' or os_name=='c'", { marker: "os_name=='a' and os_name=='b' or os_name=='c'" }],
  ["name; os_name=='a' and (os_name=='b' or os_name=='c')", { marker: "os_name=='a' and (os_name=='b' or os_name=='c')" }],
  ["name; (os_name=='a' or os_name=='b') and os_name=='c'", { marker: "(os_name=='a' or os_name=='b') and os_name=='c'" }],
  [
    'requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"',
    { name: 'requests', extras: ['security', 'tests'], specifier: '>=2.8.1,==2.8.*', marker: 'python_version < "2.7"' },
  ],
  [
    'pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686',
    { name: 'pip', url: 'https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686' },
  ],
  ['transformers[torch]>=4.40', { name: 'transformers', extras: ['torch'], specifier: '>=4.40' }],
  ['name @ git+https://github.com/x/y@main', { name: 'name', url: 'git+https://github.com/x/y@main', specifier: '' }],
  ["pydantic>=2,<3; python_version>='3.10'", { name: 'pydantic', specifier: '>=2,<3', marker: "python_version>='3.10'" }],
  ['open-ticket-ai (>=1.4.0,<2)', { name: 'open-ticket-ai', specifier: '>=1.4.0,<2' }],
  ['Foo (== 1.0) ; os_name == "nt"', { name: 'Foo', specifier: '==1.0', marker: 'os_name == "nt"' }],
  ['foo==1.*', { specifier: '==1.*' }],
  ['foo>=1.0.dev0', { specifier: '>=1.0.dev0' }],
  ['foo===foo', { specifier: '===foo' }],
  ['foo ~= 1.4.2', { specifier: '~=1.4.2' }],
  ['foo!=1.5.*,>=1.4', { specifier: '!=1.5.*,>=1.4' }],
  ['foo==1.0+local', { specifier: '==1.0+local' }],
  ['foo[]', { name: 'foo', extras: [] }],
  ['  requests  ', { name: 'requests', specifier: '' }],
  ["tomli>=1.1.0; python_version < '3.11'", { name: 'tomli', specifier: '>=1.1.0', marker: "python_version < '3.11'" }],
  ["foo; 'linux' in sys_platform", { marker: "'linux' in sys_platform" }],
  ["foo; platform_machine not in 'x86_64 aarch64'", { marker: "platform_machine not in 'x86_64 aarch64'" }],
  [
    'numpy>=1.26; python_full_version >= "3.12.0" and implementation_name == "cpython"',
    { specifier: '>=1.26', marker: 'python_full_version >= "3.12.0" and implementation_name == "cpython"' },
  ],
  ['pytest; extra == "test"', { name: 'pytest', marker: 'extra == "test"' }],
  ["foo @ file:///tmp/foo-1.0.tar.gz ; sys_platform == 'linux'", { url: 'file:///tmp/foo-1.0.tar.gz', marker: "sys_platform == 'linux'" }],
  ['uvloop; platform_python_implementation!="PyPy" and sys_platform!="win32"', { name: 'uvloop' }],
  ['foo; os.name == "nt"', { marker: 'os.name == "nt"' }],
];

/** Invalid requirements: the offset of the problem and a part of the reason. */
const INVALID: [string, number, string][] = [
  ['requests >>= 2', 10, 'expected a version after ">"'],
  ['foo==1.0 ; os_name=="nt" and', 28, 'expected a marker variable'],
  ['foo~=1', 3, '~= needs at least two release segments'],
  ['', 0, 'expected a package name'],
  ['foo-', 3, 'must end with a letter or digit'],
  ['-foo', 0, 'must start with a letter or digit'],
  ['foo bar', 4, 'expected a version specifier'],
  ['foo>=1,', 7, 'expected a comparison operator'],
  ['foo>=1.0.*', 3, 'wildcard is only allowed with == and !='],
  ['foo==1.0.dev1.*', 3, 'may only follow release segments'],
  ['foo==1.0rc1.*', 3, 'may only follow release segments'],
  ['foo>=1.0+local', 3, 'local version label'],
  ['foo>=1.0-foo-bar', 3, 'is not a valid PEP 440 version'],
  ['foo=1.0', 3, 'expected a comparison operator'],
  ['foo===', 6, 'expected a version after "==="'],
  ['foo[bar', 7, "expected ',' or ']'"],
  ['foo[bar,]', 8, 'expected an extra name'],
  ['foo (>=1.0', 10, "expected ',' or ')'"],
  ['foo==1.0 bar', 9, 'after the version specifier'],
  ['foo>=1.0 and <2', 9, 'after the version specifier'],
  ['foo==1.0;', 9, "expected a marker after ';'"],
  ['foo; python_version >= 3.8', 23, 'marker values must be quoted'],
  ['foo; unknown_var == "x"', 5, 'unknown marker variable "unknown_var"'],
  ['foo; python_version', 19, 'expected a marker operator'],
  ['foo; os_name = "nt"', 13, 'expected a marker operator'],
  ['foo; python_version == "3.8', 23, 'unterminated string'],
  ['foo; (os_name == "nt"', 21, "expected ')'"],
  ['foo; os_name == "nt" or or', 24, 'expected a marker variable'],
  ['foo @ https://x.y/z.whl; python_version<"3"', 25, 'put a space before'],
  ['foo @', 5, 'expected a URL'],
  ['foo @ not-a-url', 6, 'is not a URL'],
  ['foo\n', 3, 'found a line break'],
];

describe('parseRequirement', () => {
  it.each(VALID)('parses %j', (text, expected) => {
    const result = parseRequirement(text);
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    for (const [key, value] of Object.entries(expected)) {
      expect(result.value[key as keyof Requirement], key).toEqual(value);
    }
  });

  it.each(INVALID)('rejects %j at offset %i', (text, offset, reason) => {
    const result = parseRequirement(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain(reason);
    expect(result.offset).toBe(offset);
  });

  it('leaves url and marker off when absent', () => {
    const result = parseRequirement('requests>=2');
    expect(result).toEqual({ ok: true, value: { name: 'requests', extras: [], specifier: '>=2' } });
  });
});

describe('parseSpecifier / specifierIsValid / specifierError', () => {
  it.each([
    ['==1.*', true],
    ['~=1', false],
    ['~=1.0', true],
    ['>=1.0.dev0', true],
    ['===foo', true],
    ['>=1.0.*', false],
    ['!=1.*', true],
    ['==1.0rc1.*', false],
    ['>=3.8, <4', true],
    ['>= 3.8 , < 4', true],
    ['', true],
    ['3.10', false],
    ['>=3.8 and <4', false],
    ['>=3.8,', false],
    ['=>3.8', false],
    ['>=3.8;', false],
  ])('%j is valid: %s', (spec, valid) => {
    expect(specifierIsValid(spec)).toBe(valid);
    expect(specifierError(spec) === undefined).toBe(valid);
  });

  it('returns the clauses with their offsets', () => {
    expect(parseSpecifier('>=3.8, <4')).toEqual({
      ok: true,
      value: [
        { operator: '>=', version: '3.8', offset: 0 },
        { operator: '<', version: '4', offset: 7 },
      ],
    });
  });

  it('explains a bare version and a prose specifier', () => {
    expect(specifierError('3.10')).toBe('expected a comparison operator before "3.10" (e.g. ">=3.10" or "==3.10") (at character 1)');
    expect(parseSpecifier('>=3.8 and <4')).toMatchObject({ ok: false, offset: 6 });
  });

  it('clauseError gives the PEP 440 reason', () => {
    expect(clauseError('~=', '1')).toContain('two release segments');
    expect(clauseError('<', '1.0+abc')).toContain('local version label');
    expect(clauseError('==', 'one')).toBe('"one" is not a valid PEP 440 version');
    expect(clauseError('===', 'anything-goes')).toBeUndefined();
    expect(clauseError('>=', '1!2.0.post1.dev3')).toBeUndefined();
  });

  it('clauseError judges plain release clauses as the PEP 440 library does', () => {
    const operators = ['==', '!=', '<=', '>=', '<', '>', '~='] as const;
    fc.assert(
      fc.property(fc.constantFrom(...operators), fc.array(fc.nat(30), { minLength: 1, maxLength: 4 }), fc.boolean(), (operator, release, wildcard) => {
        const version = release.join('.') + (wildcard ? '.*' : '');
        expect(clauseError(operator, version) === undefined).toBe(validRange(operator + version));
      }),
    );
    expect(clauseError('>=', '3.*')).toContain('only allowed with == and !=');
    expect(clauseError('~=', '3.*')).toContain('only allowed with == and !=');
    expect(clauseError('==', '3.10.*')).toBeUndefined();
  });
});

describe('parseMarker', () => {
  it('binds and tighter than or', () => {
    const result = parseMarker(`os_name == "a" and os_name == "b" or os_name == "c"`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.type).toBe('or');
    if (result.value.type !== 'or') return;
    expect(result.value.left.type).toBe('and');
    expect(result.value.right).toEqual({
      type: 'compare',
      left: { type: 'variable', name: 'os_name' },
      operator: '==',
      right: { type: 'string', value: 'c' },
    });
  });

  it('honours parentheses and not in', () => {
    const result = parseMarker(`(python_version < "3.11" or "arm" not in platform_machine) and extra == 'x'`);
    expect(result.ok && result.value.type).toBe('and');
  });

  it('rejects trailing garbage with its offset', () => {
    expect(parseMarker('python_version < "3" xor')).toMatchObject({ ok: false, offset: 21 });
  });
});

describe('names', () => {
  it('normalizes per PEP 503', () => {
    expect(normalizeName('Foo.Bar__baz--Qux')).toBe('foo-bar-baz-qux');
    expect(normalizeName('open_ticket_AI')).toBe('open-ticket-ai');
    expect(normalizeName('a-_.b')).toBe('a-b');
  });

  it('validates PEP 508 names', () => {
    expect(isValidName('A')).toBe(true);
    expect(isValidName('open-ticket-ai')).toBe(true);
    expect(isValidName('my package')).toBe(false);
    expect(isValidName('-foo')).toBe(false);
    expect(isValidName('foo.')).toBe(false);
    expect(isValidName('')).toBe(false);
  });
});
