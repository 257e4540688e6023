/**
 * The three pattern languages of actionlint's configuration, ported to JavaScript:
 *
 * - `self-hosted-runner.labels`: Go's `path.Match` globs (`*`, `?`, `[a-z]`, `[^x]`, `\` escapes; no `/`).
 * - `paths:` keys: doublestar globs relative to the repository root (`**`, `*`, `?`, `[...]`, `{a,b}`).
 * - `paths.<glob>.ignore` and the `-ignore` option: Go RE2 regular expressions, matched unanchored
 *   against actionlint's message (not against the kind).
 */

export type Compiled = { ok: true; regex: RegExp } | { ok: false; error: string };

const REGEX_SPECIALS = /[.*+?^${}()|[\]\\/]/g;

function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIALS, '\\$&');
}

/**
 * Reads a `[...]` class starting at `pattern[start] === '['`. Returns the regex text and the index
 * after the closing `]`, or an error for an unterminated class. `negators` are the characters that
 * negate the class right after `[` (Go: `^`; doublestar: `^` and `!`). A class never matches `/`.
 */
function readClass(pattern: string, start: number, negators: string): { text: string; end: number } | { error: string } {
  let i = start + 1;
  let negate = false;
  if (i < pattern.length && negators.includes(pattern[i]!)) {
    negate = true;
    i++;
  }
  let body = '';
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === ']') {
      if (body === '') return { error: 'empty character class "[]"' };
      return { text: negate ? `[^${body}/]` : `(?!/)[${body}]`, end: i + 1 };
    }
    if (ch === '\\') {
      if (i + 1 >= pattern.length) return { error: 'unterminated escape in character class' };
      const escaped = pattern[i + 1]!;
      body += /\w/.test(escaped) ? escaped : `\\${escaped}`;
      i += 2;
      continue;
    }
    body += ch === '-' ? '-' : /[\w]/.test(ch) ? ch : `\\${ch}`;
    i++;
  }
  return { error: 'unterminated character class "["' };
}

/** The two glob dialects of actionlint's config: they differ only in `**`, `{a,b}` and `[!x]`. */
interface GlobDialect {
  doublestar: boolean;
  braces: boolean;
  classNegators: string;
}

const GO_PATH_MATCH: GlobDialect = { doublestar: false, braces: false, classNegators: '^' };
const DOUBLESTAR: GlobDialect = { doublestar: true, braces: true, classNegators: '^!' };

/** Go `path.Match` (also `filepath.Match` with `/` separators) as a full-string regex. */
export function compileGoPathPattern(pattern: string, flags = ''): Compiled {
  return compileGlob(pattern, GO_PATH_MATCH, flags);
}

/** A doublestar glob (as actionlint's `paths:` keys use) as a full-string regex over `/` paths. */
export function compileDoublestarGlob(pattern: string): Compiled {
  return compileGlob(pattern, DOUBLESTAR, '');
}

/** `**` as a whole path segment: everything below (at the end) or zero or more directories. */
function readDoublestar(pattern: string, i: number): { text: string; length: number } | undefined {
  if (pattern[i + 1] !== '*') return undefined;
  const atSegmentStart = i === 0 || pattern[i - 1] === '/';
  const atSegmentEnd = i + 2 === pattern.length || pattern[i + 2] === '/';
  if (!atSegmentStart || !atSegmentEnd) return { text: '[^/]*', length: 2 };
  return i + 2 === pattern.length ? { text: '.*', length: 2 } : { text: '(?:[^/]*/)*', length: 3 };
}

function compileGlob(pattern: string, dialect: GlobDialect, flags: string): Compiled {
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i]!;
    const doublestar = ch === '*' && dialect.doublestar ? readDoublestar(pattern, i) : undefined;
    if (doublestar) {
      out += doublestar.text;
      i += doublestar.length;
    } else if (ch === '*') {
      out += '[^/]*';
      i++;
    } else if (ch === '?') {
      out += '[^/]';
      i++;
    } else if (ch === '[') {
      const cls = readClass(pattern, i, dialect.classNegators);
      if ('error' in cls) return { ok: false, error: cls.error };
      out += cls.text;
      i = cls.end;
    } else if (dialect.braces && (ch === '{' || (braceDepth > 0 && (ch === '}' || ch === ',')))) {
      braceDepth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
      out += ch === '{' ? '(?:' : ch === '}' ? ')' : '|';
      i++;
    } else if (ch === '\\') {
      if (i + 1 >= pattern.length) return { ok: false, error: 'trailing "\\" in pattern' };
      out += escapeRegex(pattern[i + 1]!);
      i += 2;
    } else {
      out += escapeRegex(ch);
      i++;
    }
  }
  if (braceDepth > 0) return { ok: false, error: 'unterminated "{" in pattern' };
  try {
    return { ok: true, regex: new RegExp(`^${out}$`, flags) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/**
 * A Go RE2 regular expression as a JavaScript RegExp. Handles the differences that matter in
 * practice: a leading `(?i)`/`(?s)`/`(?m)` flag group (JavaScript before Node 23 has no inline
 * modifiers), `\A` and `\z`. Compiled without the `u` flag first so that RE2's permissive escapes
 * (`\"`, `\-`) keep working, then with it (for `\p{...}`).
 */
export function compileGoRegexp(source: string): Compiled {
  let body = source;
  let flags = '';
  const leading = /^\(\?([imsU]+)\)/.exec(body);
  if (leading) {
    for (const f of leading[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
    body = body.slice(leading[0].length);
  }
  body = body.replace(/\\A/g, '^').replace(/\\z/g, '$(?![\\s\\S])');
  let firstError: string | undefined;
  for (const extra of ['', 'u']) {
    try {
      return { ok: true, regex: new RegExp(body, flags + extra) };
    } catch (err) {
      firstError ??= (err as Error).message;
    }
  }
  return { ok: false, error: firstError ?? 'invalid regular expression' };
}

const regexCache = new Map<string, RegExp | null>();

/** Cached `compileGoRegexp`; an invalid pattern yields null (it matches nothing). */
export function cachedGoRegexp(source: string): RegExp | null {
  let hit = regexCache.get(source);
  if (hit === undefined) {
    const compiled = compileGoRegexp(source);
    hit = compiled.ok ? compiled.regex : null;
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(source, hit);
  }
  return hit;
}

/**
 * Validates message patterns (e.g. the rule's `ignore` option) up front, so that the caller can
 * report a bad one as a configuration error rather than have it silently match nothing.
 */
export function validateIgnorePatterns(patterns: readonly string[]): { pattern: string; error: string }[] {
  const problems: { pattern: string; error: string }[] = [];
  for (const pattern of patterns) {
    const compiled = compileGoRegexp(pattern);
    if (!compiled.ok) problems.push({ pattern, error: compiled.error });
  }
  return problems;
}

/** Validates runner label globs (e.g. the rule's `runner-labels` option) up front, like validateIgnorePatterns. */
export function validateLabelPatterns(patterns: readonly string[]): { pattern: string; error: string }[] {
  return patterns.flatMap((pattern) => {
    const compiled = compileGoPathPattern(pattern);
    return compiled.ok ? [] : [{ pattern, error: compiled.error }];
  });
}

/**
 * Decodes a Go `%q` string literal body (between the quotes). actionlint quotes names with `%q`,
 * which escapes `"`, `\` and non-printable characters.
 */
export function unquoteGo(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[++i]!;
    const simple: Record<string, string> = {
      a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'",
    };
    if (next in simple) {
      out += simple[next];
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === len) {
        out += next === 'x' ? String.fromCharCode(parseInt(hex, 16)) : String.fromCodePoint(parseInt(hex, 16));
        i += len;
      } else {
        out += `\\${next}`;
      }
    } else {
      out += `\\${next}`;
    }
  }
  return out;
}
