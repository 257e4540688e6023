/**
 * Secrets never leave whole. Every output boundary (stdout, stderr, the file of `-o`, the gate's
 * progress line) passes its text through `maskSecrets` once (src/cli/output.ts), so a secret quoted
 * by a rule, a parser error, a build log, a diff or a file name is shown by its first characters
 * only. The --cache file stores its strings masked the same way (src/engine/cache-file.ts), so a
 * finding read back from it is shown exactly as it was the first time. Code that shortens text
 * before it reaches a boundary uses `excerpt`: it masks first, since a token cut in half loses the
 * prefix that identifies it.
 *
 * What counts as a secret: PyPI API tokens (`pypi-` + base64url macaroons), GitHub tokens (`ghp_`,
 * `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), the password of a URL (`https://user:secret@`) and
 * the literal value of a setting named like a credential (`TWINE_PASSWORD=…`, `password: …`).
 * Every pattern is linear: a bounded or single character class after a fixed prefix.
 */

const MASKED = '…(masked)';

// Macaroons start with "AgE" (base64 of their version byte and first field); anything else after
// "pypi-" must be long enough not to be a word, such as this tool's own name. A wheel's file name
// writes the `-` of a distribution name as `_`, and a name derived from a package name (a secret
// name, `PYPI_API_TOKEN_PYPI_AGEI…`) upper-cases it: a long run after `PYPI_AGE` in any case is one too.
export const PYPI_TOKEN = /pypi[-_](?:AgE[A-Za-z0-9_-]{8,}|[A-Za-z0-9_-]{40,})|[Pp][Yy][Pp][Ii][-_][Aa][Gg][Ee][A-Za-z0-9_-]{40,}/g;

// GitHub's token formats: a prefix naming the kind, then base62 (fine-grained ones: with `_`).
const GITHUB_TOKEN = /(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g;

// `scheme://user:password@`: the scheme is short (a bounded run, so a long dotted word costs no
// rescans), the password stops at `/`, `?`, `#`, `@` or a space.
const URL_CREDENTIALS = /([A-Za-z][A-Za-z0-9+.-]{0,15}:\/\/[^\s/?#@:]*:)([^\s/?#@]+)@/g;

// `NAME = value`, `NAME: value`: a name and its separator; the value (one run without spaces or
// quotes) is read after a credential's name only, so `env: TWINE_PASSWORD=x` finds the second name.
const SETTING_NAME = /\b([A-Za-z][A-Za-z0-9_]*)[ \t]*[=:][ \t]*/g;
const SETTING_VALUE = /(["']?)([^\s"'`]+)/y;
const CREDENTIAL_WORD = /PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY/;

/** `TWINE_PASSWORD`, `UV_PUBLISH_TOKEN`, `MY_API_KEY` (environment-style names), or `password`. */
function isCredentialName(name: string): boolean {
  return name === 'password' || (/^[A-Z0-9_]+$/.test(name) && CREDENTIAL_WORD.test(name));
}

export function maskToken(token: string): string {
  return `${token.slice(0, 9)}${MASKED}`;
}

/** A value written in place of a secret: a `${{ }}` expression, `$VAR`, `<placeholder>`, GitHub's `***`, or masked already. */
function isReference(value: string): boolean {
  return /^(?:\$|<|\*\*\*)/.test(value) || value.endsWith(MASKED);
}

export function maskSecrets(text: string): string {
  const masked = text
    .replace(PYPI_TOKEN, maskToken)
    .replace(GITHUB_TOKEN, (token) => `${token.slice(0, token.startsWith('github_pat_') ? 15 : 8)}${MASKED}`)
    .replace(URL_CREDENTIALS, (whole, before: string, password: string) => (isReference(password) ? whole : `${before}${MASKED}@`));
  return maskSettings(masked);
}

/** Replaces the literal value after each credential-named setting. */
function maskSettings(text: string): string {
  let result = '';
  let copied = 0;
  SETTING_NAME.lastIndex = 0;
  for (let match = SETTING_NAME.exec(text); match !== null; match = SETTING_NAME.exec(text)) {
    if (!isCredentialName(match[1]!)) continue;
    SETTING_VALUE.lastIndex = SETTING_NAME.lastIndex;
    const value = SETTING_VALUE.exec(text);
    if (value === null || isReference(value[2]!)) continue;
    result += text.slice(copied, SETTING_NAME.lastIndex) + value[1]! + MASKED;
    copied = SETTING_VALUE.lastIndex;
    SETTING_NAME.lastIndex = copied;
  }
  return result + text.slice(copied);
}

/**
 * At most `max` characters of `text` (code points), masked first, with `…` where it was cut: for
 * quoting hostile input (a 100 KB pattern, a build log) in a message.
 */
export function excerpt(text: string, max = 60): string {
  const masked = maskSecrets(text);
  if (masked.length <= max) return masked;
  const characters = Array.from(masked.slice(0, max * 2));
  return characters.length <= max ? masked : `${characters.slice(0, max - 1).join('')}…`;
}

/** The last `max` characters (UTF-16 units) of `text`, masked first: for the tail of a long log. */
export function tailExcerpt(text: string, max: number): string {
  const masked = maskSecrets(text);
  return masked.length <= max ? masked : masked.slice(-max);
}
