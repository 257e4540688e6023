/**
 * Python identifiers (str.isidentifier(), near enough) in regular expressions. V8 compiles a class
 * like \p{L} into thousands of ranges the first time a pattern runs, a few milliseconds each; the
 * names in a pyproject are nearly always ASCII, and for ASCII text the ASCII class is the same set
 * (\p{L} is A-Z and a-z there, \p{Nd} 0-9, \p{Pc} '_', \p{Nl}, \p{Mn} and \p{Mc} nothing).
 */
export const UNICODE_IDENTIFIER = String.raw`[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*`;
export const ASCII_IDENTIFIER = String.raw`[A-Za-z_][A-Za-z0-9_]*`;

const ASCII_ONLY = /^[\x00-\x7f]*$/;

export function isAscii(text: string): boolean {
  return ASCII_ONLY.test(text);
}

/**
 * A test of text against a pattern `build` makes around an identifier pattern: built with the ASCII
 * class for ASCII text, with the Unicode one (compiled on first need) for any other.
 */
export function identifierMatcher(build: (identifier: string) => RegExp): (text: string) => boolean {
  const ascii = build(ASCII_IDENTIFIER);
  let unicode: RegExp | undefined;
  return (text) => (isAscii(text) ? ascii : (unicode ??= build(UNICODE_IDENTIFIER))).test(text);
}
