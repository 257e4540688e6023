/**
 * PEP 508 dependency specifiers: a hand-written recursive-descent parser that reports the first
 * problem with its offset, plus the PEP 440 specifier checks (through @renovatebot/pep440) and the
 * PEP 503 name normalisation the rules share.
 *
 * Offsets are 0-based UTF-16 indices into the text that was parsed.
 */
import { explain, valid as validVersion, validRange } from '@renovatebot/pep440';

/** A parsed PEP 508 requirement. */
export interface Requirement {
  /** The distribution name as written (see normalizeName). */
  name: string;
  /** Extras as written, in order. */
  extras: string[];
  /** The version specifier clauses joined by ',' without spaces (`>=1.4,<2`); '' when none. */
  specifier: string;
  /** The direct reference after `@`, when the requirement is URL-based. */
  url?: string;
  /** The environment marker after `;`, as written (trimmed). */
  marker?: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string; offset: number };

/** One clause of a version specifier, e.g. `{ operator: '>=', version: '1.4' }`. */
export interface SpecifierClause {
  operator: VersionOperator;
  version: string;
  /** Offset of the operator in the parsed text. */
  offset: number;
}

export type VersionOperator = '===' | '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>';

/** A parsed environment marker. */
export type MarkerNode =
  | { type: 'and' | 'or'; left: MarkerNode; right: MarkerNode }
  | { type: 'compare'; left: MarkerValue; operator: MarkerOperator; right: MarkerValue };

export type MarkerValue = { type: 'variable'; name: string } | { type: 'string'; value: string };
export type MarkerOperator = VersionOperator | 'in' | 'not in';

/** The marker variables of PEP 508 plus `extras`/`dependency_groups` (lock files). */
export const MARKER_VARIABLES: readonly string[] = [
  'python_version',
  'python_full_version',
  'os_name',
  'sys_platform',
  'platform_release',
  'platform_system',
  'platform_version',
  'platform_machine',
  'platform_python_implementation',
  'implementation_name',
  'implementation_version',
  'extra',
  'extras',
  'dependency_groups',
];

/** Legacy spellings that `packaging` (and so pip and PyPI) still accept. */
const LEGACY_MARKER_VARIABLES: readonly string[] = [
  'os.name',
  'sys.platform',
  'platform.version',
  'platform.machine',
  'platform.python_implementation',
  'python_implementation',
];

/** Longest first, so `===` wins over `==` and `<=` over `<`. */
const VERSION_OPERATORS: readonly VersionOperator[] = ['===', '~=', '==', '!=', '<=', '>=', '<', '>'];

const NAME_RE = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

/** PEP 503 normalisation: lowercase, every run of `-`, `_` and `.` becomes one `-`. */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** A valid PEP 508 distribution name (also the rule for extra names, PEP 685). */
export function isValidName(name: string): boolean {
  return NAME_RE.test(name);
}

/** A valid PEP 440 version (`1.0`, `2!1.0.post1.dev2+local`, `v1.0`). */
export function versionIsValid(version: string): boolean {
  return validVersion(version) !== null;
}

/** A valid PEP 440 version specifier set (`>=3.9`, `>=1.4, <2`, `==1.*`); '' (no constraint) is valid. */
export function specifierIsValid(spec: string): boolean {
  return parseSpecifier(spec).ok;
}

/** Why a specifier set is invalid (one line), or undefined when it is valid. */
export function specifierError(spec: string): string | undefined {
  const result = parseSpecifier(spec);
  return result.ok ? undefined : `${result.error} (at character ${result.offset + 1})`;
}

/** Parses a standalone PEP 440 specifier set such as a `requires-python` value. */
export function parseSpecifier(spec: string): ParseResult<SpecifierClause[]> {
  return run(spec, (p) => {
    p.skipWs();
    if (p.atEnd()) return [];
    const clauses = p.versionMany(false);
    p.skipWs();
    if (!p.atEnd()) {
      p.fail(`expected ',' or the end of the specifier, found ${p.describeHere()}`);
    }
    return clauses;
  });
}

/** Parses a PEP 508 requirement (`name[extras] specifier ; marker` or `name[extras] @ url ; marker`). */
export function parseRequirement(text: string): ParseResult<Requirement> {
  return run(text, (p) => p.requirement());
}

/** Parses an environment marker on its own (`python_version >= "3.10" and sys_platform != "win32"`). */
export function parseMarker(text: string): ParseResult<MarkerNode> {
  return run(text, (p) => {
    p.skipWs();
    if (p.atEnd()) p.fail('expected a marker expression, found the end');
    const node = p.markerOr();
    p.skipWs();
    if (!p.atEnd()) p.fail(`expected 'and', 'or' or the end of the marker, found ${p.describeHere()}`);
    return node;
  });
}

/**
 * Why one specifier clause is invalid under PEP 440, or undefined when it is valid.
 * `===` takes any non-empty string (arbitrary equality).
 */
export function clauseError(operator: VersionOperator, version: string): string | undefined {
  if (operator === '===') return version === '' ? 'expected a version after "==="' : undefined;
  if (isPlainClause(operator, version)) return undefined;
  if (validRange(operator + version)) {
    // renovatebot allows `==1.0rc1.*`; packaging (and so PyPI) only allows `.*` after release segments.
    if (version.endsWith('.*')) {
      const base = explain(version.slice(0, -2));
      if (base && (base.is_prerelease || base.is_postrelease || base.local)) {
        return `"${operator}${version}": a ".*" wildcard may only follow release segments (e.g. ${operator}1.2.*)`;
      }
    }
    return undefined;
  }
  const wildcard = version.endsWith('.*');
  const base = wildcard ? version.slice(0, -2) : version;
  const parsed = explain(base);
  if (!parsed) return `"${version}" is not a valid PEP 440 version`;
  if (wildcard && operator !== '==' && operator !== '!=') {
    return `"${operator}${version}": a ".*" wildcard is only allowed with == and !=`;
  }
  if (wildcard) {
    return `"${operator}${version}": a ".*" wildcard may only follow release segments (e.g. ${operator}1.2.*)`;
  }
  if (operator === '~=' && parsed.release.length < 2) {
    return `"~=${version}": ~= needs at least two release segments (e.g. ~=${base}.0)`;
  }
  if (parsed.local) {
    return `"${operator}${version}": a local version label (+${parsed.local}) is only allowed with == and !=`;
  }
  return `"${operator}${version}" is not a valid PEP 440 version specifier`;
}

/** Release segments only, as most clauses are (`1.4.0`, `3.10`), optionally ending in `.*`. */
const PLAIN_RELEASE = /^\d+(?:\.\d+)*(\.\*)?$/;

/**
 * A clause valid on its face: plain release segments after any operator, `~=` with at least two of
 * them, `.*` after == and != only. Spares most clauses the PEP 440 library's regular expression
 * (its first use costs milliseconds of every run).
 */
function isPlainClause(operator: VersionOperator, version: string): boolean {
  const match = PLAIN_RELEASE.exec(version);
  if (!match) return false;
  if (match[1] !== undefined) return operator === '==' || operator === '!=';
  return operator !== '~=' || version.includes('.');
}

// ---------------------------------------------------------------------------------------------

class ParseFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function run<T>(text: string, body: (parser: Parser) => T): ParseResult<T> {
  const parser = new Parser(text);
  try {
    return { ok: true, value: body(parser) };
  } catch (error) {
    if (error instanceof ParseFailure) return { ok: false, error: error.message, offset: error.offset };
    throw error;
  }
}

const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isAlnum = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9]$/.test(c);
const isNameChar = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9._-]$/.test(c);
/** PEP 508 `version` characters. */
const isVersionChar = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9._*+!-]$/.test(c);
/** Characters that may continue a bare marker word (variables, `and`, `or`, `in`, `not`). */
const isWordChar = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9_.]$/.test(c);

class Parser {
  pos = 0;

  constructor(readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  fail(message: string, offset: number = this.pos): never {
    throw new ParseFailure(message, offset);
  }

  /** Skips spaces and tabs; returns how many were skipped. */
  skipWs(): number {
    const start = this.pos;
    while (isWs(this.peek())) this.pos++;
    return this.pos - start;
  }

  describeHere(): string {
    if (this.atEnd()) return 'the end';
    const c = this.text[this.pos]!;
    if (c === '\n' || c === '\r') return 'a line break';
    return JSON.stringify(c);
  }

  // -- requirement ---------------------------------------------------------------------------

  requirement(): Requirement {
    this.skipWs();
    const name = this.identifier('a package name');
    this.skipWs();
    const extras = this.peek() === '[' ? this.extras() : [];
    this.skipWs();
    const result: Requirement = { name, extras, specifier: '' };

    if (this.peek() === '@') {
      this.pos++;
      this.skipWs();
      result.url = this.url();
      const spaces = this.skipWs();
      if (this.atEnd()) return result;
      if (this.peek() === ';' && spaces > 0) {
        result.marker = this.quotedMarker();
        return result;
      }
      const hint = result.url.includes(';') ? ` (a ';' touching the URL is part of it: put a space before ';')` : '';
      this.fail(`expected whitespace and ';' or the end after the URL, found ${this.describeHere()}${hint}`);
    }

    let hasSpecifier = false;
    if (this.peek() === '(') {
      const open = this.pos;
      this.pos++;
      this.skipWs();
      if (this.peek() !== ')') result.specifier = joinClauses(this.versionMany(true));
      this.skipWs();
      if (this.peek() !== ')') {
        this.fail(
          `expected ',' or ')' to close the '(' at character ${open + 1}, found ${this.describeHere()}`,
        );
      }
      this.pos++;
      hasSpecifier = true;
    } else if (startsOperator(this.peek())) {
      result.specifier = joinClauses(this.versionMany(false));
      hasSpecifier = true;
    }

    this.skipWs();
    if (this.atEnd()) return result;
    if (this.peek() === ';') {
      result.marker = this.quotedMarker();
      return result;
    }
    if (hasSpecifier) {
      this.fail(`expected ',', ';' or the end after the version specifier, found ${this.describeHere()}`);
    }
    this.fail(
      `expected a version specifier (e.g. >=1.0), '[', '@', ';' or the end after the name "${name}", ` +
        `found ${this.describeHere()}`,
    );
  }

  /** A PEP 508 identifier: letters, digits, '.', '-', '_', starting and ending with a letter or digit. */
  identifier(what: string): string {
    const start = this.pos;
    while (isNameChar(this.peek())) this.pos++;
    const word = this.text.slice(start, this.pos);
    if (word === '') this.fail(`expected ${what}, found ${this.describeHere()}`, start);
    if (!isAlnum(word[0])) this.fail(`${what} must start with a letter or digit, found ${JSON.stringify(word[0])}`, start);
    if (!isAlnum(word[word.length - 1])) {
      this.fail(`${what} must end with a letter or digit, found ${JSON.stringify(word[word.length - 1])}`, this.pos - 1);
    }
    return word;
  }

  extras(): string[] {
    const open = this.pos;
    this.pos++; // '['
    this.skipWs();
    const extras: string[] = [];
    if (this.peek() === ']') {
      this.pos++;
      return extras;
    }
    for (;;) {
      extras.push(this.identifier('an extra name'));
      this.skipWs();
      if (this.peek() === ',') {
        this.pos++;
        this.skipWs();
        continue;
      }
      if (this.peek() === ']') {
        this.pos++;
        return extras;
      }
      this.fail(`expected ',' or ']' to close the extras opened at character ${open + 1}, found ${this.describeHere()}`);
    }
  }

  url(): string {
    const start = this.pos;
    while (!this.atEnd() && !isWs(this.peek())) this.pos++;
    const url = this.text.slice(start, this.pos);
    if (url === '') this.fail(`expected a URL after '@', found ${this.describeHere()}`, start);
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^:]/.test(url)) {
      this.fail(`"${url}" is not a URL (expected a scheme such as https:// or git+https://)`, start);
    }
    return url;
  }

  // -- version specifiers --------------------------------------------------------------------

  /** `version_one (wsp* ',' version_one)*`; inside parentheses a ')' also ends a clause. */
  versionMany(inParens: boolean): SpecifierClause[] {
    const clauses = [this.versionOne(inParens)];
    for (;;) {
      const save = this.pos;
      this.skipWs();
      if (this.peek() !== ',') {
        this.pos = save;
        return clauses;
      }
      this.pos++;
      this.skipWs();
      clauses.push(this.versionOne(inParens));
    }
  }

  versionOne(inParens: boolean): SpecifierClause {
    const start = this.pos;
    const operator = VERSION_OPERATORS.find((op) => this.text.startsWith(op, this.pos));
    if (!operator) {
      const found = this.describeHere();
      if (isVersionChar(this.peek())) {
        let end = this.pos;
        while (isVersionChar(this.text[end])) end++;
        const bare = this.text.slice(this.pos, end);
        this.fail(`expected a comparison operator before "${bare}" (e.g. ">=${bare}" or "==${bare}")`);
      }
      this.fail(`expected a comparison operator (==, !=, <=, >=, <, >, ~=, ===), found ${found}`);
    }
    this.pos += operator.length;
    this.skipWs();
    const versionStart = this.pos;
    if (operator === '===') {
      while (!this.atEnd() && !isWs(this.peek()) && !',;)'.includes(this.peek()!)) this.pos++;
    } else {
      while (isVersionChar(this.peek())) this.pos++;
    }
    const version = this.text.slice(versionStart, this.pos);
    if (version === '') this.fail(`expected a version after "${operator}", found ${this.describeHere()}`);
    const next = this.peek();
    if (!(next === undefined || isWs(next) || next === ',' || next === ';' || (inParens && next === ')'))) {
      this.fail(`unexpected ${JSON.stringify(next)} in the version "${version}${next}"`);
    }
    const problem = clauseError(operator, version);
    if (problem) this.fail(problem, start);
    return { operator, version, offset: start };
  }

  // -- markers -------------------------------------------------------------------------------

  quotedMarker(): string {
    const semicolon = this.pos;
    this.pos++; // ';'
    this.skipWs();
    const start = this.pos;
    if (this.atEnd()) this.fail(`expected a marker after ';', found the end`, semicolon + 1);
    this.markerOr();
    this.skipWs();
    if (!this.atEnd()) this.fail(`expected 'and', 'or' or the end of the marker, found ${this.describeHere()}`);
    return this.text.slice(start).trim();
  }

  markerOr(): MarkerNode {
    let left = this.markerAnd();
    for (;;) {
      const save = this.pos;
      this.skipWs();
      if (!this.keyword('or')) {
        this.pos = save;
        return left;
      }
      left = { type: 'or', left, right: this.markerAnd() };
    }
  }

  markerAnd(): MarkerNode {
    let left = this.markerExpr();
    for (;;) {
      const save = this.pos;
      this.skipWs();
      if (!this.keyword('and')) {
        this.pos = save;
        return left;
      }
      left = { type: 'and', left, right: this.markerExpr() };
    }
  }

  markerExpr(): MarkerNode {
    this.skipWs();
    if (this.peek() === '(') {
      const open = this.pos;
      this.pos++;
      const inner = this.markerOr();
      this.skipWs();
      if (this.peek() !== ')') {
        this.fail(`expected ')' to close the '(' at character ${open + 1}, found ${this.describeHere()}`);
      }
      this.pos++;
      return inner;
    }
    const left = this.markerValue();
    this.skipWs();
    const operator = this.markerOperator();
    this.skipWs();
    const right = this.markerValue();
    return { type: 'compare', left, operator, right };
  }

  /** Consumes `word` when it stands alone here (not the start of a longer word). */
  keyword(word: string): boolean {
    if (this.text.startsWith(word, this.pos) && !isWordChar(this.text[this.pos + word.length])) {
      this.pos += word.length;
      return true;
    }
    return false;
  }

  markerValue(): MarkerValue {
    this.skipWs();
    const c = this.peek();
    if (c === '"' || c === "'") {
      const start = this.pos;
      const end = this.text.indexOf(c, start + 1);
      if (end < 0) this.fail(`unterminated string: no closing ${c}`, start);
      this.pos = end + 1;
      return { type: 'string', value: this.text.slice(start + 1, end) };
    }
    if (c !== undefined && /^[A-Za-z_]$/.test(c)) {
      const start = this.pos;
      while (isWordChar(this.peek())) this.pos++;
      const name = this.text.slice(start, this.pos);
      if (MARKER_VARIABLES.includes(name) || LEGACY_MARKER_VARIABLES.includes(name)) {
        return { type: 'variable', name };
      }
      if (['and', 'or', 'not', 'in'].includes(name)) {
        this.fail(`expected a marker variable (e.g. python_version) or a quoted string, found "${name}"`, start);
      }
      this.fail(
        `unknown marker variable "${name}" (expected one of ${MARKER_VARIABLES.slice(0, 12).join(', ')}, ` +
          `or a quoted string)`,
        start,
      );
    }
    if (c !== undefined && /^[0-9]$/.test(c)) {
      let end = this.pos;
      while (isVersionChar(this.text[end])) end++;
      const bare = this.text.slice(this.pos, end);
      this.fail(`marker values must be quoted: write "${bare}" instead of ${bare}`);
    }
    this.fail(`expected a marker variable (e.g. python_version) or a quoted string, found ${this.describeHere()}`);
  }

  markerOperator(): MarkerOperator {
    const op = VERSION_OPERATORS.find((candidate) => this.text.startsWith(candidate, this.pos));
    if (op) {
      this.pos += op.length;
      return op;
    }
    if (this.keyword('in')) return 'in';
    const save = this.pos;
    if (this.keyword('not')) {
      if (this.skipWs() > 0 && this.keyword('in')) return 'not in';
      this.pos = save;
    }
    this.fail(`expected a marker operator (==, !=, <, <=, >, >=, ~=, ===, in, not in), found ${this.describeHere()}`);
  }
}

function startsOperator(c: string | undefined): boolean {
  return c === '<' || c === '>' || c === '=' || c === '!' || c === '~';
}

function joinClauses(clauses: SpecifierClause[]): string {
  return clauses.map((clause) => clause.operator + clause.version).join(',');
}
