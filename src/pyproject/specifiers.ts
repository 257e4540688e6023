/**
 * PEP 440 questions the pyproject rules ask of a specifier set, answered by @renovatebot/pep440 (not
 * by regexes): does it admit a version (pre-releases, local versions, `~=`, `!=`, `===` included),
 * does it have a lower or an upper bound, which Python versions does a requires-python admit. Also
 * Poetry's constraint syntax (`^1.2`, `~1.2`, `1.2.*`, `||`) translated to PEP 440.
 */
import { compare, explain, satisfies } from '@renovatebot/pep440';
import { parseSpecifier, type SpecifierClause } from './pep508.js';

/** The clauses of a specifier set, or undefined when it does not parse. */
export function clausesOf(specifier: string): SpecifierClause[] | undefined {
  const parsed = parseSpecifier(specifier);
  return parsed.ok ? parsed.value : undefined;
}

/** admits() answers, remembered: rules ask about the same few specifiers over and over. */
const admitted = new Map<string, boolean>();
const ADMITTED_LIMIT = 10_000;

/**
 * Whether `version` satisfies `specifier` by PEP 440's ordering, pre-releases included: `>=2.0`
 * excludes `2.0.0rc1` (it sorts before 2.0), `>=1.4` admits `2.0.0rc1`, `<2` excludes `2.0.0rc1`
 * (an exclusive bound excludes the pre-releases of its own version), `==1.4.0` admits `1.4.0+local`.
 * An empty specifier admits everything; an invalid one nothing.
 */
export function admits(version: string, specifier: string): boolean {
  const key = `${version}\u0000${specifier}`;
  let answer = admitted.get(key);
  if (answer === undefined) {
    if (admitted.size >= ADMITTED_LIMIT) admitted.clear();
    answer = computeAdmits(version, specifier);
    admitted.set(key, answer);
  }
  return answer;
}

function computeAdmits(version: string, specifier: string): boolean {
  const clauses = clausesOf(specifier);
  if (!clauses) return false;
  // A string that is no PEP 440 version can only match `===` (arbitrary equality).
  if (explain(version) === null) return clauses.length > 0 && clauses.every((clause) => clause.operator === '===' && clause.version === version);
  if (clauses.length === 0) return true;
  try {
    return satisfies(version, joinClauses(clauses), { prereleases: true });
  } catch {
    return false;
  }
}

/** A clause as written in a specifier set (`>=3.10`). */
function clauseText(clause: SpecifierClause): string {
  return `${clause.operator}${clause.version}`;
}

export function joinClauses(clauses: readonly SpecifierClause[]): string {
  return clauses.map(clauseText).join(',');
}

/** Some clause puts a floor under the versions: >=, >, ==, ===, ~= (== 1.* too). */
export function hasLowerBound(clauses: readonly SpecifierClause[]): boolean {
  return clauses.some((clause) => ['>=', '>', '==', '===', '~='].includes(clause.operator));
}

/** Some clause caps the versions: <, <=, ==, ===, ~= (which means `< next release segment`). */
export function hasUpperBound(clauses: readonly SpecifierClause[]): boolean {
  return clauses.some((clause) => ['<', '<=', '==', '===', '~='].includes(clause.operator));
}

/** An exact pin: `==1.2.3` or `===1.2.3` (not `==1.2.*`). */
export function exactPin(clauses: readonly SpecifierClause[]): SpecifierClause | undefined {
  return clauses.find((clause) => (clause.operator === '==' && !clause.version.endsWith('.*')) || clause.operator === '===');
}

/** The release segments of a version (`2!1.4.0rc1` → [1, 4, 0]), or undefined when it is invalid. */
export function releaseOf(version: string): number[] | undefined {
  return explain(version)?.release;
}

/**
 * The first version that may break users of `version`, for an upper bound: the next major
 * (`1.4.0` → `2`), or, before 1.0, the next minor (`0.7.5` → `0.8`), since a 0.x series breaks
 * with each minor release by convention (SemVer's, and Cargo's reading of it).
 */
export function nextBreaking(version: string): string | undefined {
  const release = releaseOf(version);
  if (!release) return undefined;
  const [major = 0, minor = 0] = release;
  return major === 0 ? `0.${minor + 1}` : String(major + 1);
}

/**
 * `>=CURRENT,<NEXT_BREAKING` for a version, e.g. `>=1.4.0,<2` or `>=0.7.5,<0.8`. A local version
 * label is dropped (`1.4.0+abc` → `>=1.4.0`): PEP 440 allows local labels only after `==`.
 */
export function compatibleRange(version: string): string | undefined {
  const major = nextBreaking(version);
  const current = explain(version)?.public;
  return major === undefined || current === undefined ? undefined : `>=${current},<${major}`;
}

// ---------------------------------------------------------------------------------------------
// Python versions

const PYTHON_MINORS: Record<number, number> = { 2: 7, 3: 30 };

/**
 * Python versions worth testing against requires-python specifiers: every X.Y.0 of Python 2 and 3,
 * plus each version the specifiers name and its neighbours (so `>=3.10.4` is told from `>=3.10`).
 */
function pythonCandidates(specifiers: readonly string[]): string[] {
  const candidates = new Set<string>();
  for (const [major, lastMinor] of Object.entries(PYTHON_MINORS)) {
    for (let minor = 0; minor <= lastMinor; minor++) candidates.add(`${major}.${minor}.0`);
  }
  for (const specifier of specifiers) {
    for (const clause of clausesOf(specifier) ?? []) {
      const release = releaseOf(clause.version.replace(/\.\*$/, ''));
      if (!release) continue;
      const [major = 3, minor = 0, patch = 0] = release;
      for (const [m, n, p] of [
        [major, minor, patch],
        [major, minor, patch + 1],
        [major, minor, Math.max(0, patch - 1)],
        [major, minor + 1, 0],
        [major, Math.max(0, minor - 1), 0],
      ] as const) {
        candidates.add(`${m}.${n}.${p}`);
      }
    }
  }
  // All plain major.minor.patch: sorting by number is PEP 440 order, and far cheaper than its compare.
  const release = (version: string): number[] => version.split('.').map(Number);
  return [...candidates].sort((a, b) => {
    const [x, y] = [release(a), release(b)];
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
  });
}

/** The lowest Python version `wide` admits and `narrow` does not, if there is one. */
export function pythonWitness(wide: string, narrow: string, within: (python: string) => boolean = () => true): string | undefined {
  if (narrowsNothing(wide, narrow)) return undefined;
  return pythonCandidates([wide, narrow]).find((python) => within(python) && admits(python, wide) && !admits(python, narrow));
}

/**
 * Every clause of `narrow` is also a clause of `wide` (the same requires-python in both packages, as
 * usual in a monorepo): whatever `wide` admits, `narrow` admits. Answered without trying the ~50
 * candidate versions, each a PEP 440 comparison of ~0.1 ms.
 */
function narrowsNothing(wide: string, narrow: string): boolean {
  const [wideClauses, narrowClauses] = [clausesOf(wide), clausesOf(narrow)];
  if (!wideClauses || !narrowClauses) return false;
  const inWide = new Set(wideClauses.map(clauseText));
  return narrowClauses.every((clause) => inWide.has(clauseText(clause)));
}

/**
 * The specifier set that admits only what `base` and every one of `others` admit, written as an
 * edit of `base` (its clauses in its order, separated as it separates them): the highest lower bound
 * and the lowest upper bound win, other clauses (`!=`, `==`, `~=`) are added. For a fix suggestion:
 * `>=3.9, <3.15` with `>=3.10, <3.15` → `>=3.10, <3.15`. Undefined when one does not parse.
 */
export function intersection(base: string, others: readonly string[]): string | undefined {
  const clauses = clausesOf(base)?.map((clause) => ({ ...clause }));
  if (!clauses) return undefined;
  for (const other of others) {
    const extra = clausesOf(other);
    if (!extra) return undefined;
    for (const clause of extra) {
      const side = BOUND_SIDE[clause.operator];
      const rival = side && clauses.find((existing) => BOUND_SIDE[existing.operator] === side);
      if (rival) {
        if (stricter(clause, rival, side)) Object.assign(rival, clause);
      } else if (!clauses.some((existing) => clauseText(existing) === clauseText(clause))) {
        clauses.push(clause);
      }
    }
  }
  return clauses.map(clauseText).join(/,\s/.test(base) ? ', ' : ',');
}

const BOUND_SIDE: Partial<Record<string, 'lower' | 'upper'>> = { '>=': 'lower', '>': 'lower', '<': 'upper', '<=': 'upper' };

/** Whether bound `a` excludes more than bound `b` on the same side: `>=3.10` over `>=3.9`, `>3.9` over `>=3.9`. */
function stricter(a: SpecifierClause, b: SpecifierClause, side: 'lower' | 'upper'): boolean {
  let order: number;
  try {
    order = compare(a.version, b.version);
  } catch {
    return false;
  }
  if (order === 0) return a.operator.length < b.operator.length;
  return side === 'lower' ? order > 0 : order < 0;
}

/** Whether a requires-python admits some release of a Python line (`3.9` → any 3.9.x; `3` → any 3.x). */
export function admitsPythonLine(requiresPython: string, line: string): boolean {
  const parts = line.split('.').map(Number);
  const candidates = pythonCandidates([requiresPython]).filter((python) => {
    const release = python.split('.').map(Number);
    return parts.every((part, index) => release[index] === part);
  });
  if (parts.length === 2) for (let patch = 0; patch <= 30; patch++) candidates.push(`${parts[0]}.${parts[1]}.${patch}`);
  return candidates.some((python) => admits(python, requiresPython));
}

/** A clause that caps requires-python (`<3.13`, `<=3.12`, `~=3.10`, `==3.11.*`), if any. */
export function pythonCap(requiresPython: string): SpecifierClause | undefined {
  return clausesOf(requiresPython)?.find((clause) => ['<', '<=', '~='].includes(clause.operator) || (clause.operator === '==' && clause.version.endsWith('.*')));
}

// ---------------------------------------------------------------------------------------------
// Poetry constraints

/**
 * A Poetry version constraint as PEP 440 specifier sets, one per `||` alternative: `^1.2.3` →
 * `>=1.2.3,<2.0.0`, `^0.2.3` → `>=0.2.3,<0.3.0`, `~1.2` → `>=1.2,<1.3`, `1.2.*` → `==1.2.*`,
 * `1.2.3` → `==1.2.3`, `*` → ''. Undefined when a part cannot be read.
 */
export function poetryToPep440(constraint: string): string[] | undefined {
  const alternatives = constraint.split(/\|\|?/).map((part) => part.trim());
  const converted: string[] = [];
  for (const alternative of alternatives) {
    const clauses: string[] = [];
    // Clauses are separated by ',' or whitespace; an operator may be followed by spaces (">= 1.2").
    const tokens = alternative.replace(/(===|~=|==|!=|<=|>=|<|>|=|\^|~)\s+/g, '$1').split(/[\s,]+/).filter(Boolean);
    for (const token of tokens) {
      const clause = poetryClause(token);
      if (clause === undefined) return undefined;
      clauses.push(...clause);
    }
    converted.push(clauses.join(','));
  }
  return converted;
}

function poetryClause(token: string): string[] | undefined {
  if (token === '' || token === '*') return [];
  const caret = /^\^\s*(.+)$/.exec(token);
  if (caret) {
    const release = releaseOf(caret[1]!);
    if (!release) return undefined;
    const index = release.findIndex((segment, position) => segment !== 0 || position === release.length - 1);
    const upper = release.slice(0, index + 1).map((segment, position) => (position === index ? segment + 1 : segment));
    while (upper.length < release.length) upper.push(0);
    return [`>=${caret[1]}`, `<${upper.join('.')}`];
  }
  const tilde = /^~(?!=)\s*(.+)$/.exec(token);
  if (tilde) {
    const release = releaseOf(tilde[1]!);
    if (!release) return undefined;
    const upper = release.length >= 2 ? [release[0]!, release[1]! + 1] : [release[0]! + 1];
    return [`>=${tilde[1]}`, `<${upper.join('.')}`];
  }
  const operator = /^(===|~=|==|!=|<=|>=|<|>|=)?\s*(.+)$/.exec(token);
  if (!operator) return undefined;
  const op = operator[1] === '=' || operator[1] === undefined ? '==' : operator[1];
  const version = operator[2]!;
  const clause = `${op}${version}`;
  return clausesOf(clause) ? [clause] : undefined;
}

/** Whether a version is a development release (`0.5b0.dev`, `1.2.dev3`): one no PyPI release carries between releases. */
export function isDevelopmentRelease(version: string): boolean {
  return explain(version)?.is_devrelease === true;
}
