/**
 * Just enough shell to tell whether a `run:` script prints a secret: simple commands split at
 * unquoted `;`, `&&`, `||`, `|`, `&` and line breaks, heredoc bodies attached to their command,
 * redirections of stdout, and pipelines followed to their end. Every scan is linear in the script:
 * scripts come from checkouts nobody reviewed, and a pattern that rescans the rest of the text at
 * each `${{`, `${` or `<<` that is never closed, or a pipeline followed again from each of its
 * commands, is quadratic on a script that repeats one.
 */
import { expressionSpans } from '../workflow/expression-spans.js';

export interface PrintedSecret {
  /** Offsets of the reference in the script: `${{ secrets.X }}`, `$VAR`, `${VAR}`, or the command word for `printenv`. */
  start: number;
  end: number;
  /** The secret that is printed. */
  secret: string;
  /** The env variable it is printed through, when it is; '*' for `env`/`printenv` printing them all. */
  variable: string | undefined;
  /** The printing command (echo, printf, cat, printenv...). */
  command: string;
}

interface Segment {
  start: number;
  end: number;
  /** Followed by `|` (its stdout goes to the next segment). */
  piped: boolean;
  /** Heredoc bodies of this command, and whether their delimiter was quoted (no $VAR expansion). */
  heredocs: { start: number; end: number; quoted: boolean }[];
}

/** A word of a command and its offsets in the script (quotes kept). */
interface Word {
  text: string;
  start: number;
  end: number;
}

const PRINTERS = new Set(['echo', 'printf', 'cat', 'printenv', 'env', 'print', 'write-output', 'write-host', 'tee']);
/** Commands that pass what they read on to stdout (possibly transformed, which GitHub's masking does not catch). */
const FILTERS = new Set(['tee', 'cat', 'base64', 'xxd', 'od', 'hexdump', 'rev', 'sed', 'awk', 'tr', 'cut', 'head', 'tail', 'grep', 'sort', 'uniq', 'fold', 'jq']);
const WRAPPERS = new Set(['sudo', 'command', 'builtin', 'exec', 'time', 'nohup']);
const SECRET = /\bsecrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\[\s*'([^']+)'\s*\]|\[\s*"([^"]+)"\s*\])/;
const ENV_EXPRESSION = /\benv\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/;
const HEREDOC = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Splits a script into simple commands. */
function segments(script: string): Segment[] {
  const found: Segment[] = [];
  let quote: '"' | "'" | undefined;
  let pendingHeredocs: { delimiter: string; quoted: boolean; strip: boolean; segment: Segment | undefined }[] = [];
  let current: Segment = { start: 0, end: 0, piped: false, heredocs: [] };
  const close = (end: number, piped: boolean): void => {
    current.end = end;
    current.piped = piped;
    if (script.slice(current.start, end).trim() !== '') found.push(current);
    for (const heredoc of pendingHeredocs) heredoc.segment ??= current;
    current = { start: end, end, piped: false, heredocs: [] };
  };
  for (let index = 0; index < script.length; index++) {
    const char = script[index]!;
    if (quote) {
      if (char === '\\' && quote === '"') index++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '\\') {
      index++;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      continue;
    }
    if (char === '#' && (index === 0 || /\s/.test(script[index - 1]!))) {
      // A comment: to the end of the line.
      const lineEnd = script.indexOf('\n', index);
      index = (lineEnd < 0 ? script.length : lineEnd) - 1;
      continue;
    }
    if (char === '<' && script[index + 1] === '<' && script[index + 2] !== '<') {
      HEREDOC.lastIndex = index;
      const heredoc = HEREDOC.exec(script);
      if (heredoc) {
        pendingHeredocs.push({ delimiter: heredoc[3]!, quoted: heredoc[2] !== '', strip: heredoc[1] === '-', segment: undefined });
        index += heredoc[0].length - 1;
        continue;
      }
    }
    if (char === '\n') {
      close(index, false);
      // Heredoc bodies start on the next line.
      let bodyStart = index + 1;
      for (const heredoc of pendingHeredocs) {
        let cursor = bodyStart;
        let bodyEnd = script.length;
        let after = script.length;
        while (cursor < script.length) {
          const lineEnd = script.indexOf('\n', cursor);
          const line = script.slice(cursor, lineEnd < 0 ? script.length : lineEnd);
          if ((heredoc.strip ? line.replace(/^\t+/, '') : line).trim() === heredoc.delimiter) {
            bodyEnd = cursor;
            after = lineEnd < 0 ? script.length : lineEnd + 1;
            break;
          }
          cursor = lineEnd < 0 ? script.length : lineEnd + 1;
        }
        heredoc.segment?.heredocs.push({ start: bodyStart, end: bodyEnd, quoted: heredoc.quoted });
        bodyStart = after;
      }
      if (pendingHeredocs.length > 0) {
        pendingHeredocs = [];
        index = bodyStart - 1;
        current.start = bodyStart;
      } else current.start = index + 1;
      continue;
    }
    if (char === ';' || char === '&' || char === '|') {
      const double = script[index + 1] === char;
      // `>&2`, `&>` and `|&` belong to redirections, not to command lists.
      if (char === '&' && (script[index - 1] === '>' || script[index + 1] === '>')) continue;
      close(index, char === '|' && !double);
      if (double) index++;
      current.start = index + 1;
      continue;
    }
  }
  close(script.length, false);
  return found;
}

/** Words of a command with their offsets (quotes kept), up to the first redirection. */
function words(script: string, segment: Segment): Word[] {
  const text = script.slice(segment.start, segment.end);
  const found: Word[] = [];
  for (const match of text.matchAll(/(?:"(?:\\.|[^"\\])*"|'[^']*'|\\.|[^\s"'\\])+/g)) {
    found.push({ text: match[0], start: segment.start + match.index, end: segment.start + match.index + match[0].length });
  }
  return found;
}

/** Where the command's stdout goes: the log (true) or a file (false). */
function stdoutReachesLog(parts: { text: string }[]): boolean {
  for (let index = 0; index < parts.length; index++) {
    const word = parts[index]!.text;
    const redirect = /^(\d*|&)(>>?|>\|)(.*)$/.exec(word);
    if (!redirect || (redirect[1] !== '' && redirect[1] !== '1' && redirect[1] !== '&')) continue;
    const target = redirect[3] || parts[index + 1]?.text || '';
    if (/^&[12]$|^\/dev\/(stdout|stderr|tty)$/.test(target.replace(/^["']|["']$/g, ''))) continue;
    return false;
  }
  return true;
}

function commandWord(parts: Word[]): { word: Word; index: number } | undefined {
  for (let index = 0; index < parts.length; index++) {
    const word = parts[index]!;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word.text) || WRAPPERS.has(word.text)) continue;
    return { word, index };
  }
  return undefined;
}

/**
 * The secrets a script prints: `${{ secrets.X }}` (or `${{ env.V }}`, `$V`, `${V}` for an env
 * variable V bound to a secret) in the arguments or heredoc of echo/printf/cat/printenv whose
 * output reaches the log, directly or through filters such as tee, base64 or sed. Output piped
 * into another program (`| docker login --password-stdin`) or redirected to a file is not printed.
 * `echo "::add-mask::..."` is GitHub's way to mask a value and is not reported.
 */
export function printedSecrets(script: string, boundSecret: (variable: string) => string | undefined): PrintedSecret[] {
  const all = segments(script);
  const allParts = all.map((segment) => words(script, segment));
  const reaches = logReach(all, allParts);
  const printed: PrintedSecret[] = [];
  for (let index = 0; index < all.length; index++) {
    const segment = all[index]!;
    const parts = allParts[index]!;
    const command = commandWord(parts);
    if (!command) continue;
    const name = command.word.text.toLowerCase();
    if (!PRINTERS.has(name)) continue;
    const args = parts.slice(command.index + 1);
    if ((name === 'echo' || name === 'printf') && args.some((arg) => /^["']?::add-mask::/.test(arg.text))) continue;
    if (!reaches[index]) continue;
    const found: PrintedSecret[] = [];
    if (name === 'printenv' || name === 'env') {
      const named = args.filter((arg) => !arg.text.startsWith('-'));
      if (name === 'env' && named.length > 0) continue;
      for (const arg of named.length > 0 ? named : []) {
        const secret = boundSecret(arg.text);
        if (secret) found.push({ start: arg.start, end: arg.end, secret, variable: arg.text, command: name });
      }
      if (named.length === 0) {
        const secret = boundSecret('*');
        if (secret) found.push({ start: command.word.start, end: command.word.end, secret, variable: '*', command: name });
      }
    } else {
      const ranges = [{ start: command.word.end, end: segment.end, quoted: false }, ...segment.heredocs];
      for (const range of ranges) for (const reference of references(script, range.start, range.end, range.quoted, boundSecret, name)) found.push(reference);
    }
    for (const secret of found) printed.push(secret); // no spread: a script can print thousands
  }
  return printed;
}

/**
 * For each segment, whether its output (and that of the filters it pipes into) ends up in the log.
 * Worked out from the last segment back, so a pipeline of a thousand `cat`s is followed once, not
 * once from each of its commands.
 */
function logReach(all: Segment[], allParts: Word[][]): boolean[] {
  const reaches = new Array<boolean>(all.length);
  for (let index = all.length - 1; index >= 0; index--) {
    const next = allParts[index + 1];
    const command = next && commandWord(next);
    const passesOn = next === undefined || (command !== undefined && FILTERS.has(command.word.text.toLowerCase()) && reaches[index + 1]!);
    reaches[index] = stdoutReachesLog(allParts[index]!) && (!all[index]!.piped || passesOn);
  }
  return reaches;
}

function references(script: string, start: number, end: number, quotedHeredoc: boolean, boundSecret: (variable: string) => string | undefined, command: string): PrintedSecret[] {
  const text = script.slice(start, end);
  const found: PrintedSecret[] = [];
  const expressions = expressionSpans(text);
  for (const expression of expressions) {
    const secret = SECRET.exec(expression.body);
    const variable = ENV_EXPRESSION.exec(expression.body)?.[1];
    const viaEnv = !secret && variable ? boundSecret(variable) : undefined;
    const name = secret ? (secret[1] ?? secret[2] ?? secret[3]!) : viaEnv;
    if (name) found.push({ start: start + expression.start, end: start + expression.end, secret: name, variable: secret ? undefined : variable, command });
  }
  if (quotedHeredoc) return found;
  const singleQuoted = singleQuotedRanges(text);
  // Both lists are sorted and disjoint, and so are the variables: one pointer into each.
  let inExpression = 0;
  let inQuotes = 0;
  for (const reference of shellVariables(text)) {
    while (inExpression < expressions.length && expressions[inExpression]!.end <= reference.start) inExpression++;
    if (inExpression < expressions.length && reference.start >= expressions[inExpression]!.start) continue;
    while (inQuotes < singleQuoted.length && singleQuoted[inQuotes]!.end <= reference.start) inQuotes++;
    if (inQuotes < singleQuoted.length && reference.start > singleQuoted[inQuotes]!.start) continue;
    const secret = boundSecret(reference.variable);
    if (secret) found.push({ start: start + reference.start, end: start + reference.end, secret, variable: reference.variable, command });
  }
  return found;
}

/**
 * `$NAME`, `${NAME…}` (to its first `}`) and PowerShell's `$env:NAME`, in order; the scan goes on
 * after each one. The first `}` after a position is remembered, so a script of unclosed `${A` does
 * not look for it again at each one.
 */
function shellVariables(text: string): { start: number; end: number; variable: string }[] {
  const found: { start: number; end: number; variable: string }[] = [];
  const nameAt = (at: number): string | undefined => {
    NAME.lastIndex = at;
    return NAME.exec(text)?.[0];
  };
  let closeSearchedFrom = -1;
  let close = -1;
  const closingBrace = (from: number): number => {
    if (closeSearchedFrom < 0 || from < closeSearchedFrom || (close >= 0 && close < from)) {
      closeSearchedFrom = from;
      close = text.indexOf('}', from);
    }
    return close;
  };
  for (let index = text.indexOf('$'); index >= 0; index = text.indexOf('$', index)) {
    if (text[index + 1] === '{') {
      const braced = nameAt(index + 2);
      const brace = braced === undefined ? -1 : closingBrace(index + 2 + braced.length);
      if (braced !== undefined && brace >= 0) {
        found.push({ start: index, end: brace + 1, variable: braced });
        index = brace + 1;
        continue;
      }
    } else {
      const plain = nameAt(index + 1);
      const powershell = plain === undefined && text.startsWith('env:', index + 1) ? nameAt(index + 5) : undefined;
      const variable = plain ?? powershell;
      if (variable !== undefined) {
        const end = index + 1 + (plain === undefined ? 4 : 0) + variable.length;
        found.push({ start: index, end, variable });
        index = end;
        continue;
      }
    }
    index++;
  }
  return found;
}

function singleQuotedRanges(text: string): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  let double = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '\\') {
      index++;
      continue;
    }
    if (char === '"') double = !double;
    if (char === "'" && !double) {
      const close = text.indexOf("'", index + 1);
      const end = close < 0 ? text.length : close;
      ranges.push({ start: index, end });
      index = end;
    }
  }
  return ranges;
}
