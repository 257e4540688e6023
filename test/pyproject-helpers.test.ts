import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnmatchToRegExp, isIdentifier } from '../src/pyproject/contents.js';
import { isWithin, joinPath, leavesRoot } from '../src/pyproject/fs.js';
import {
  admits,
  admitsPythonLine,
  clausesOf,
  compatibleRange,
  exactPin,
  hasLowerBound,
  hasUpperBound,
  poetryToPep440,
  pythonCap,
  pythonWitness,
} from '../src/pyproject/specifiers.js';

describe('PEP 440 helpers', () => {
  it.each([
    ['1.0.0rc1', '>=1.0', false],
    ['1.0.0rc1', '>=1.0.0rc1', true],
    ['1.0.0rc1', '>=0.9', true],
    ['2.0.0rc1', '<2', false],
    ['2.0.0.dev3', '<2.0', false],
    ['1.4.0+abc', '==1.4.0', true],
    ['1.4.0+abc', '>1.4.0', false],
    ['1.4.0.post1', '>1.4.0', false],
    ['1.4.1', '>1.4.0', true],
    ['1.4.0', '~=1.4', true],
    ['1.9.3', '~=1.4', true],
    ['2.0', '~=1.4', false],
    ['1.4.9', '~=1.4.2', true],
    ['1.5.0', '~=1.4.2', false],
    ['1.4.0', '!=1.4.0', false],
    ['1.4.1', '!=1.4.*', false],
    ['1.5.0', '!=1.4.*', true],
    ['1.4.0', '===1.4.0', true],
    ['1.4', '===1.4.0', false],
    ['1!1.0', '>=2.0', true],
    ['1.0', '', true],
    ['1.0', '>=1,,<2', false],
    ['dev', '>=1.0', false],
    ['dev', '==1.*', false],
    ['dev', '===dev', true],
    ['1.0', '===foo', false],
  ])('%s satisfies %j: %s', (version, specifier, expected) => {
    expect(admits(version, specifier)).toBe(expected);
  });

  it('tells lower and upper bounds and exact pins apart', () => {
    const bounds = (specifier: string) => {
      const clauses = clausesOf(specifier)!;
      return [hasLowerBound(clauses), hasUpperBound(clauses), exactPin(clauses)?.version];
    };
    expect(bounds('>=1.4,<2')).toEqual([true, true, undefined]);
    expect(bounds('!=1.4.0')).toEqual([false, false, undefined]);
    expect(bounds('<2')).toEqual([false, true, undefined]);
    expect(bounds('~=1.4')).toEqual([true, true, undefined]);
    expect(bounds('==1.4.*')).toEqual([true, true, undefined]);
    expect(bounds('==1.4.0')).toEqual([true, true, '1.4.0']);
    expect(bounds('===1.4.0')).toEqual([true, true, '1.4.0']);
    expect(bounds('')).toEqual([false, false, undefined]);
  });

  it('builds >=CURRENT,<NEXT_BREAKING (the next major, or the next minor before 1.0), and the current version always satisfies it', () => {
    expect(compatibleRange('1.4.0')).toBe('>=1.4.0,<2');
    expect(compatibleRange('0.4.2')).toBe('>=0.4.2,<0.5');
    expect(compatibleRange('0.7')).toBe('>=0.7,<0.8');
    expect(compatibleRange('2.0.0rc1')).toBe('>=2.0.0rc1,<3');
    expect(compatibleRange('1.4.0+ubuntu.1')).toBe('>=1.4.0,<2');
    expect(compatibleRange('not a version')).toBeUndefined();
    fc.assert(
      fc.property(fc.array(fc.nat(40), { minLength: 1, maxLength: 4 }), fc.option(fc.constantFrom('a1', 'b2', 'rc1', '.post1', '.dev1', '+local')), (release, suffix) => {
        const version = release.join('.') + (suffix ?? '');
        expect(admits(version, compatibleRange(version)!)).toBe(true);
      }),
    );
  });

  it('finds no witness when the narrow clauses are a subset of the wide ones, and every Python the wide set admits the narrow one does', () => {
    const clause = fc.tuple(fc.constantFrom('>=', '>', '<', '<=', '!=', '~=', '=='), fc.integer({ min: 6, max: 14 }), fc.constantFrom('', '.*', '.1'));
    fc.assert(
      fc.property(fc.uniqueArray(clause, { minLength: 1, maxLength: 4, selector: (parts) => parts.join('') }), fc.nat(), (parts, seed) => {
        const written = parts.map(([operator, minor, tail]) => `${operator}3.${minor}${operator === '==' || operator === '!=' ? tail : tail === '.*' ? '' : tail}`);
        const narrow = written.filter((_, index) => (seed >> index) & 1);
        const [wideSpec, narrowSpec] = [written.join(','), [...narrow].reverse().join(', ')];
        expect(pythonWitness(wideSpec, narrowSpec)).toBeUndefined();
        for (let minor = 0; minor <= 16; minor++) {
          for (const python of [`3.${minor}.0`, `3.${minor}.1`]) if (admits(python, wideSpec)) expect(admits(python, narrowSpec)).toBe(true);
        }
      }),
    );
  });

  it('reads requires-python: witnesses, lines and caps', () => {
    expect(pythonWitness('>=3.9', '>=3.10')).toBe('3.9.0');
    expect(pythonWitness('>=3.10', '>=3.9')).toBeUndefined();
    expect(pythonWitness('>=3.10', '>=3.10.4')).toBe('3.10.0');
    expect(pythonWitness('>=3.10', '>=3.10,<3.13')).toBe('3.13.0');
    expect(pythonWitness('>=3.9', '>=3.10', (python) => !python.startsWith('3.9'))).toBeUndefined();
    // The same clauses in both, in any order and spacing, or fewer in the narrow one: nothing to find.
    expect(pythonWitness('>=3.10', '>=3.10')).toBeUndefined();
    expect(pythonWitness('<3.13, >=3.10', '>=3.10,<3.13')).toBeUndefined();
    expect(pythonWitness('>=3.10,<3.13', '>=3.10')).toBeUndefined();
    expect(pythonWitness('>=3.10', '>=3.10,<3.13')).toBe('3.13.0');
    expect(admitsPythonLine('>=3.10', '3.9')).toBe(false);
    expect(admitsPythonLine('>=3.9.2', '3.9')).toBe(true);
    expect(admitsPythonLine('>=3.10,<3.13', '3.13')).toBe(false);
    expect(admitsPythonLine('>=3.10', '3')).toBe(true);
    expect(admitsPythonLine('>=3.10', '2')).toBe(false);
    expect(pythonCap('>=3.10')).toBeUndefined();
    expect(pythonCap('>=3.10,!=3.11.*')).toBeUndefined();
    expect(pythonCap('>=3.10,<4')?.version).toBe('4');
    expect(pythonCap('==3.11.*')?.version).toBe('3.11.*');
  });
});

describe('Poetry constraints', () => {
  it.each([
    ['^1.2.3', ['>=1.2.3,<2.0.0']],
    ['^0.2.3', ['>=0.2.3,<0.3.0']],
    ['^0.0.3', ['>=0.0.3,<0.0.4']],
    ['^0', ['>=0,<1']],
    ['^3.10', ['>=3.10,<4.0']],
    ['~1.2.3', ['>=1.2.3,<1.3']],
    ['~1.2', ['>=1.2,<1.3']],
    ['~1', ['>=1,<2']],
    ['~=1.2', ['~=1.2']],
    ['1.2.*', ['==1.2.*']],
    ['1.2.3', ['==1.2.3']],
    ['*', ['']],
    ['>= 1.2, < 2.0', ['>=1.2,<2.0']],
    ['>=1.2 <2.0', ['>=1.2,<2.0']],
    ['^1.0 || ^2.0', ['>=1.0,<2.0', '>=2.0,<3.0']],
    ['=1.0', ['==1.0']],
  ])('%j is %j', (constraint, expected) => {
    expect(poetryToPep440(constraint)).toEqual(expected);
  });

  it('gives up on what it cannot read', () => {
    expect(poetryToPep440('^banana')).toBeUndefined();
  });

  it('admits the version a caret names, and nothing from the next breaking release', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.nat(20), fc.nat(20), (major, minor, patch) => {
        const [range] = poetryToPep440(`^${major}.${minor}.${patch}`)!;
        expect(admits(`${major}.${minor}.${patch}`, range!)).toBe(true);
        const breaking = major > 0 ? `${major + 1}.0.0` : minor > 0 ? `0.${minor + 1}.0` : `0.0.${patch + 1}`;
        expect(admits(breaking, range!)).toBe(false);
      }),
    );
  });
});

describe('paths and patterns', () => {
  it('joins and contains repo paths', () => {
    expect(joinPath('src/a', '../b')).toBe('src/b');
    expect(joinPath('.', 'README.md')).toBe('README.md');
    expect(joinPath('src', '.')).toBe('src');
    expect(joinPath('a', '../../x')).toBe('../x');
    expect(leavesRoot('../x')).toBe(true);
    expect(leavesRoot('..x')).toBe(false);
    expect(isWithin('src/a/b', 'src/a')).toBe(true);
    expect(isWithin('src/ab', 'src/a')).toBe(false);
    expect(isWithin('anything', '.')).toBe(true);
    expect(isWithin('../out', '.')).toBe(false);
  });

  it('translates fnmatch patterns as setuptools matches them', () => {
    expect(fnmatchToRegExp('open_ticket_ai*').test('open_ticket_ai_hf_local')).toBe(true);
    expect(fnmatchToRegExp('open_ticket_ai*').test('open_ticket_ai.core')).toBe(true);
    expect(fnmatchToRegExp('open_ticket_ai').test('open_ticket_ai_hf_local')).toBe(false);
    expect(fnmatchToRegExp('open_ticket_ai.*').test('open_ticket_ai.core')).toBe(true);
    expect(fnmatchToRegExp('[._]*').test('_private')).toBe(true);
    expect(fnmatchToRegExp('[!._]*').test('_private')).toBe(false);
    expect(fnmatchToRegExp('pkg?').test('pkg1')).toBe(true);
    expect(fnmatchToRegExp('a+b').test('a+b')).toBe(true);
    expect(isIdentifier('open_ticket_ai')).toBe(true);
    expect(isIdentifier('acme-hf')).toBe(false);
    expect(isIdentifier('2fa')).toBe(false);
  });
});

describe('robustness', () => {
  const WEIRD = [
    '[project]\nname = 1\nversion = 2\ndependencies = "requests"\noptional-dependencies = ["x"]\nclassifiers = [1, true]\nreadme = 3\nlicense = ["MIT"]\nlicense-files = "LICENSE"\nurls = "https://x"\nrequires-python = 3.1\ndynamic = "version"\n',
    '[build-system]\nrequires = "setuptools"\nbuild-backend = 1\n[project]\nname = "w"\nversion = "x.y"\n[tool.setuptools]\npackages = "w"\npackage-dir = ["src"]\npy-modules = 1\n[tool.setuptools.dynamic]\nversion = "1.0"\n',
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n[project]\nname = "w"\ndynamic = ["version"]\n[tool.hatch.version]\npath = 1\npattern = "(unclosed"\n[tool.hatch.build.targets.wheel]\npackages = "src/w"\nonly-include = [1]\nforce-include = "x"\nexclude = 3\n',
    '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n[tool.poetry]\nname = "w"\nversion = 1\npackages = "w"\n[tool.poetry.dependencies]\npython = 3\nx = 1\ny = [{ version = "^1" }, "bad ^^ constraint"]\nz = { git = 1 }\n',
    '[build-system]\nrequires = ["flit_core"]\nbuild-backend = "flit_core.buildapi"\n[project]\nname = "w"\ndynamic = ["version"]\n[tool.flit.module]\nname = 1\n',
    '[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n[project]\nname = "w"\nversion = "1"\n[tool.pdm.build]\nincludes = "x"\npackage-dir = 1\n[tool.pdm.version]\nsource = "file"\n',
    '[build-system]\nrequires = ["maturin"]\nbuild-backend = "maturin"\n[project]\nname = "w"\ndynamic = ["version"]\n[tool.maturin]\nmanifest-path = 1\npython-source = 2\n',
  ];
  it.each(WEIRD.map((text, index) => [index, text] as const))('no rule throws on wrongly typed pyproject #%i', async (_index, text) => {
    const { writeRepo } = await import('./helpers/repo.js');
    const { lintRepo } = await import('./helpers/pyproject.js');
    const root = writeRepo({ 'pyproject.toml': text, 'plugin/pyproject.toml': '[project]\nname = "w-plugin"\nversion = "1.0"\ndependencies = ["w>=2"]\n', 'Cargo.toml': '[package\n' });
    await expect(lintRepo(root)).resolves.toBeDefined();
  });
});
