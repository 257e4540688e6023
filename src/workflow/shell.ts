/**
 * Just enough of a POSIX shell to follow a `run:` script the way the release plan needs it: the
 * simple commands it runs, in order, with their words expanded (quotes removed, `$VAR` and
 * `${VAR%pattern}`-style parameter expansions applied, `${{ }}` expressions substituted), the
 * directory each runs in (`cd`, `pushd`, subshells), variables it sets, and what it writes to
 * $GITHUB_OUTPUT and $GITHUB_ENV. A word whose value the script computes in a way this reader does
 * not follow (a command substitution, an unknown variable) is `undefined`: unknown, never guessed.
 * One pass over the text, so the cost is linear in the script's length.
 */

/** A value the script may hold: its text, with where it came from (opaque to this module). */
export interface ShellValue<O = unknown> {
  value: string;
  origin?: O | undefined;
}

/** What a `${{ expression }}` inside the script evaluates to (undefined: unknown). */
export type ExpressionValue<O> = (expression: string) => ShellValue<O> | undefined;

/** What a command substitution `$(command)` prints, when the caller knows (`dirname "$0"`, `pwd`). */
export type Substitution<O> = (command: string, cwd: ShellValue<O> | undefined) => ShellValue<O> | undefined;

export interface ShellEnvironment<O> {
  /** Variables set before the script starts (GITHUB_REF, the step's `env:`...). */
  variables: ReadonlyMap<string, ShellValue<O> | undefined>;
  /** `${{ }}` substitution. */
  expression: ExpressionValue<O>;
  /** `$(...)`: unknown unless this says otherwise. */
  substitution?: Substitution<O>;
  /** The script's arguments (`$1`, `"$@"`). */
  positional?: readonly (ShellValue<O> | undefined)[];
}

export interface ShellCommand<O> {
  /** The command's words after expansion; undefined words are unknown. */
  words: (ShellValue<O> | undefined)[];
  /** The directory it runs in, relative to where the script started ('' there); undefined when unknown. */
  cwd: ShellValue<O> | undefined;
  /** Offsets of the command in the script. */
  start: number;
  end: number;
}

export interface ShellTrace<O> {
  commands: ShellCommand<O>[];
  /** `name=value` lines written to $GITHUB_OUTPUT (and the old `::set-output`). */
  outputs: Map<string, ShellValue<O> | undefined>;
  /** `NAME=value` lines written to $GITHUB_ENV: variables of the job's later steps. */
  env: Map<string, ShellValue<O> | undefined>;
  /** The directory the script ends in. */
  cwd: ShellValue<O> | undefined;
}

/** A `for` loop's body runs once per word, up to this many (beyond: the loop variable is unknown). */
const MAX_LOOP_WORDS = 64;
/** `${VAR%pattern}` on a longer value is not evaluated (unknown): its cost grows with the square of the length. */
const MAX_TRIMMED_LENGTH = 1024;

interface RawWord {
  /** Source text of the word (quotes included) and its offsets. */
  text: string;
  start: number;
  end: number;
}

interface RawCommand {
  words: RawWord[];
  start: number;
  end: number;
  /** Subshell depth change before this command: '(' opens, ')' closes. */
  opens: number;
  closes: number;
}

/** Splits a script into simple commands of raw words, in one pass. */
function lex(script: string): RawCommand[] {
  const commands: RawCommand[] = [];
  let words: RawWord[] = [];
  let wordStart = -1;
  let commandStart = -1;
  let opens = 0;
  let closes = 0;
  const endWord = (end: number): void => {
    if (wordStart >= 0) words.push({ text: script.slice(wordStart, end), start: wordStart, end });
    wordStart = -1;
  };
  const endCommand = (end: number): void => {
    endWord(end);
    if (words.length > 0) commands.push({ words, start: commandStart, end, opens, closes });
    else if (opens > 0 || closes > 0) commands.push({ words: [], start: end, end, opens, closes });
    words = [];
    commandStart = -1;
    opens = 0;
    closes = 0;
  };
  const startWord = (index: number): void => {
    if (wordStart < 0) wordStart = index;
    if (commandStart < 0) commandStart = index;
  };
  let index = 0;
  while (index < script.length) {
    const char = script[index]!;
    if (char === '\\' && script[index + 1] === '\n') {
      endWord(index);
      index += 2;
      continue;
    }
    if (char === '\\') {
      startWord(index);
      index += 2;
      continue;
    }
    if (char === "'") {
      startWord(index);
      const close = script.indexOf("'", index + 1);
      index = close < 0 ? script.length : close + 1;
      continue;
    }
    if (char === '"') {
      startWord(index);
      index = skipDoubleQuoted(script, index + 1);
      continue;
    }
    if (char === '$' && script[index + 1] === '{' && script[index + 2] === '{') {
      startWord(index);
      const close = script.indexOf('}}', index + 3);
      index = close < 0 ? script.length : close + 2;
      continue;
    }
    if (char === '$' && (script[index + 1] === '(' || script[index + 1] === '{')) {
      startWord(index);
      index = skipBalanced(script, index + 1);
      continue;
    }
    if (char === '`') {
      startWord(index);
      const close = script.indexOf('`', index + 1);
      index = close < 0 ? script.length : close + 1;
      continue;
    }
    if (char === '#' && wordStart < 0) {
      const lineEnd = script.indexOf('\n', index);
      index = lineEnd < 0 ? script.length : lineEnd;
      continue;
    }
    if (char === '<' && script[index + 1] === '<' && script[index + 2] !== '<') {
      // A heredoc: its body is data, not commands.
      const heredoc = /^<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(script.slice(index, index + 128));
      if (heredoc) {
        endWord(index);
        const lineEnd = script.indexOf('\n', index);
        endCommand(lineEnd < 0 ? script.length : lineEnd);
        const terminator = new RegExp(`^[ \\t]*${heredoc[2]}[ \\t]*$`, 'm');
        const rest = lineEnd < 0 ? '' : script.slice(lineEnd + 1);
        const found = terminator.exec(rest);
        index = lineEnd < 0 ? script.length : found ? lineEnd + 1 + found.index + found[0].length : script.length;
        continue;
      }
    }
    if (char === '\n' || char === ';' || char === '&' || char === '|') {
      endCommand(index);
      index += char !== '\n' && script[index + 1] === char ? 2 : 1;
      continue;
    }
    if (char === '(') {
      endCommand(index);
      opens++;
      index++;
      continue;
    }
    if (char === ')') {
      endCommand(index);
      closes++;
      endCommand(index + 1);
      index++;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') {
      endWord(index);
      index++;
      continue;
    }
    startWord(index);
    index++;
  }
  endCommand(script.length);
  return commands;
}

/** The index after a double-quoted string's closing quote (backslash escapes honoured). */
function skipDoubleQuoted(script: string, index: number): number {
  while (index < script.length) {
    const char = script[index]!;
    if (char === '\\') index += 2;
    else if (char === '"') return index + 1;
    else if (char === '$' && script[index + 1] === '(') index = skipBalanced(script, index + 1);
    else index++;
  }
  return index;
}

/** The index after the bracket that closes the one at `index` (`(` or `{`), quotes honoured. */
function skipBalanced(script: string, index: number): number {
  const open = script[index]!;
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  while (index < script.length) {
    const char = script[index]!;
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === "'" && open === '(') {
      const end = script.indexOf("'", index + 1);
      index = end < 0 ? script.length : end + 1;
      continue;
    }
    if (char === '"') {
      index = skipDoubleQuoted(script, index + 1);
      continue;
    }
    if (char === open) depth++;
    else if (char === close && --depth === 0) return index + 1;
    index++;
  }
  return index;
}

const KEYWORDS = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '{', '}', '!']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;
const DECLARATIONS = new Set(['export', 'declare', 'local', 'readonly', 'typeset']);

/** What the script has done so far. */
interface State<O> {
  variables: Map<string, ShellValue<O> | undefined>;
  expression: ExpressionValue<O>;
  substitution: Substitution<O> | undefined;
  positional: readonly (ShellValue<O> | undefined)[];
  trace: ShellTrace<O>;
  pushed: (ShellValue<O> | undefined)[];
  subshells: (ShellValue<O> | undefined)[];
}

/**
 * Follows `script` from its start: expands each command's words and tracks `cd`, variables and
 * the lines written to $GITHUB_OUTPUT / $GITHUB_ENV.
 */
export function traceShell<O>(script: string, environment: ShellEnvironment<O>): ShellTrace<O> {
  const state: State<O> = {
    variables: new Map([...environment.variables, ...(environment.positional ?? []).map((value, index): [string, ShellValue<O> | undefined] => [String(index + 1), value])]),
    expression: environment.expression,
    substitution: environment.substitution,
    positional: environment.positional ?? [],
    trace: { commands: [], outputs: new Map(), env: new Map(), cwd: { value: '' } },
    pushed: [],
    subshells: [],
  };
  runCommands(lex(script), 0, Number.POSITIVE_INFINITY, state);
  return state.trace;
}

/** Runs raw commands [from, to); returns the index after the last one run. */
function runCommands<O>(raw: RawCommand[], from: number, to: number, state: State<O>): number {
  const { trace, variables } = state;
  const expand = (text: string): ShellValue<O> | undefined => expandWord(text, variables, state.expression, substitutionAt(state));
  let index = from;
  for (; index < raw.length && index < to; index++) {
    const command = raw[index]!;
    for (let open = 0; open < command.opens; open++) state.subshells.push(trace.cwd);
    for (let close = 0; close < command.closes; close++) if (state.subshells.length > 0) trace.cwd = state.subshells.pop();
    let words = command.words;
    while (words.length > 0 && KEYWORDS.has(words[0]!.text)) words = words.slice(1);
    if (words[0] && ['if', 'while', 'until', 'elif'].includes(words[0].text)) words = words.slice(1);
    if (words.length === 0) continue;

    if (words[0]!.text === 'for' && words.length >= 2) {
      index = runForLoop(raw, index, words, state) - 1;
      continue;
    }

    let first = 0;
    while (first < words.length && ASSIGNMENT.test(words[first]!.text)) first++;
    const assignments = words.slice(0, first);
    words = words.slice(first);
    if (words.length === 0 || DECLARATIONS.has(words[0]!.text)) {
      for (const word of [...assignments, ...words.slice(1)]) {
        const match = ASSIGNMENT.exec(word.text);
        if (match) variables.set(match[1]!, expand(word.text.slice(match[0].length)));
      }
      continue;
    }
    const name = words[0]!.text;
    if (name === 'cd' || name === 'pushd') {
      if (name === 'pushd') state.pushed.push(trace.cwd);
      const target = words.slice(1).find((word) => !word.text.startsWith('-'));
      // `cd` alone goes home: outside the checkout, so whatever follows is not about its files.
      trace.cwd = target ? joinCwd(trace.cwd, expand(target.text)) : { value: '/~' };
      continue;
    }
    if (name === 'popd') {
      if (state.pushed.length > 0) trace.cwd = state.pushed.pop();
      continue;
    }
    const perWord = words.map((word) => expand(word.text));
    recordGithubFiles(words, perWord, state);
    // `"$@"` is every argument of the script, each a word of its own (none at all when there are none).
    const expanded = words.flatMap((word, index) => (/^"?\$[@*]"?$/.test(word.text) ? [...state.positional] : [perWord[index]]));
    trace.commands.push({ words: expanded, cwd: trace.cwd, start: words[0]!.start, end: words[words.length - 1]!.end });
  }
  return index;
}

/**
 * `for NAME in WORDS; do BODY; done`: the body runs once per word (a glob word stays a glob: the
 * caller resolves it), or once with NAME unknown. Returns the index after the loop's `done`.
 */
function runForLoop<O>(raw: RawCommand[], index: number, words: RawWord[], state: State<O>): number {
  const variable = words[1]!.text;
  const listWords = words[2]?.text === 'in' ? words.slice(3).filter((word) => word.text !== 'do') : [];
  let depth = 0;
  let end = index + 1;
  for (; end < raw.length; end++) {
    const texts = raw[end]!.words.map((word) => word.text);
    if (['for', 'while', 'until'].includes(texts[0] ?? '')) depth++;
    if (texts.includes('done')) {
      if (depth === 0) break;
      depth--;
    }
  }
  const values = listWords.map((word) => expandWord(word.text, state.variables, state.expression, substitutionAt(state)));
  const items = values.length > 0 && values.length <= MAX_LOOP_WORDS ? values : [undefined];
  for (const item of items) {
    state.variables.set(variable, item);
    runCommands(raw, index + 1, end + 1, state);
  }
  return end + 1;
}

/** `echo "name=value" >> "$GITHUB_OUTPUT"`, `echo "NAME=value" >> $GITHUB_ENV`, `echo "::set-output name=x::v"`. */
function recordGithubFiles<O>(words: RawWord[], expanded: (ShellValue<O> | undefined)[], state: State<O>): void {
  const name = expanded[0]?.value;
  if (name !== 'echo' && name !== 'printf') return;
  const redirect = words.findIndex((word) => /^>>?/.test(word.text));
  const target = redirect < 0 ? undefined : words[redirect]!.text.replace(/^>>?/, '') || words[redirect + 1]?.text;
  const file = target ? /GITHUB_(OUTPUT|ENV)\b/.exec(target)?.[1] : undefined;
  const texts = expanded.slice(1, redirect < 0 ? undefined : redirect).filter((_, index) => !/^-[neE]+$/.test(words[index + 1]!.text));
  for (const text of texts) {
    if (!text) continue;
    const legacy = /^::set-output name=([^:]+)::(.*)$/s.exec(text.value);
    if (legacy && !file) {
      state.trace.outputs.set(legacy[1]!, { value: legacy[2]!, origin: text.origin });
      continue;
    }
    const pair = /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/s.exec(text.value);
    if (!pair || !file) continue;
    const value = { value: pair[2]!, origin: text.origin };
    if (file === 'OUTPUT') state.trace.outputs.set(pair[1]!, value);
    else {
      state.trace.env.set(pair[1]!, value);
      state.variables.set(pair[1]!, value);
    }
  }
}

/** The substitution hook bound to the directory the script is in now. */
function substitutionAt<O>(state: State<O>): ((command: string) => ShellValue<O> | undefined) | undefined {
  const { substitution } = state;
  const cwd = state.trace.cwd;
  return substitution && ((command) => substitution(command, cwd));
}

/** The directory after `cd target` from `cwd` (an absolute target replaces it). */
function joinCwd<O>(cwd: ShellValue<O> | undefined, target: ShellValue<O> | undefined): ShellValue<O> | undefined {
  if (!cwd || !target) return undefined;
  if (target.value.startsWith('/')) return target;
  return { value: cwd.value === '' ? target.value : `${cwd.value}/${target.value}`, origin: target.origin ?? cwd.origin };
}

/**
 * A word's value: quotes removed, expansions applied. Unknown when it holds a command
 * substitution, an unknown variable or an expression that cannot be evaluated.
 */
export function expandWord<O>(
  text: string,
  variables: ReadonlyMap<string, ShellValue<O> | undefined>,
  expression: ExpressionValue<O>,
  substitution?: (command: string) => ShellValue<O> | undefined,
): ShellValue<O> | undefined {
  let value = '';
  let origin: O | undefined;
  let index = 0;
  let quote: '"' | undefined;
  const append = (part: ShellValue<O> | undefined): boolean => {
    if (!part) return false;
    value += part.value;
    if (part.origin !== undefined) origin = part.origin;
    return true;
  };
  while (index < text.length) {
    const char = text[index]!;
    if (char === '\\') {
      value += text[index + 1] ?? '';
      index += 2;
      continue;
    }
    if (char === "'" && !quote) {
      const close = text.indexOf("'", index + 1);
      value += text.slice(index + 1, close < 0 ? text.length : close);
      index = close < 0 ? text.length : close + 1;
      continue;
    }
    if (char === '"') {
      quote = quote ? undefined : '"';
      index++;
      continue;
    }
    if (char === '$' && text.startsWith('${{', index)) {
      const close = text.indexOf('}}', index + 3);
      if (close < 0 || !append(expression(text.slice(index + 3, close)))) return undefined;
      index = close + 2;
      continue;
    }
    if (char === '$' && text[index + 1] === '(' && text[index + 2] !== '(') {
      const end = skipBalanced(text, index + 1);
      if (!substitution || !append(substitution(text.slice(index + 2, end - 1).trim()))) return undefined;
      index = end;
      continue;
    }
    if (char === '`' || char === '$' && text[index + 1] === '(') return undefined;
    if (char === '$' && text[index + 1] === '{') {
      const end = skipBalanced(text, index + 1);
      if (!append(parameterExpansion(text.slice(index + 2, end - 1), variables, expression))) return undefined;
      index = end;
      continue;
    }
    if (char === '$') {
      const name = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9])/.exec(text.slice(index + 1, index + 257));
      if (!name) {
        value += char;
        index++;
        continue;
      }
      if (!append(variables.get(name[0]))) return undefined;
      index += 1 + name[0].length;
      continue;
    }
    value += char;
    index++;
  }
  return { value, origin };
}

/** `${NAME}`, `${NAME#p}`, `${NAME##p}`, `${NAME%p}`, `${NAME%%p}`, `${NAME/p/r}`, `${NAME//p/r}`, `${NAME:-d}`, `${NAME,,}`, `${NAME^^}`. */
function parameterExpansion<O>(body: string, variables: ReadonlyMap<string, ShellValue<O> | undefined>, expression: ExpressionValue<O>): ShellValue<O> | undefined {
  const match = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+)([\s\S]*)$/.exec(body);
  if (!match) return undefined;
  const current = variables.get(match[1]!);
  const operation = match[2]!;
  const word = (text: string): ShellValue<O> | undefined => expandWord(text, variables, expression);
  if (operation === '') return current;
  const fallback = /^:?[-=](.*)$/s.exec(operation);
  if (fallback) return current && (current.value !== '' || !operation.startsWith(':')) ? current : word(fallback[1]!);
  if (!current) return undefined;
  const trim = /^(##?|%%?)(.*)$/s.exec(operation);
  if (trim) {
    const pattern = word(trim[2]!);
    if (!pattern) return undefined;
    const trimmed = trimPattern(current.value, trim[1]!, pattern.value);
    return trimmed === undefined ? undefined : { value: trimmed, origin: current.origin };
  }
  const replace = /^(\/\/?)([^/]*)\/?(.*)$/s.exec(operation);
  if (replace) {
    const pattern = word(replace[2]!);
    const replacement = word(replace[3]!);
    if (!pattern || !replacement) return undefined;
    const regex = new RegExp(globToRegExpSource(pattern.value), replace[1] === '//' ? 'g' : '');
    return { value: current.value.replace(regex, () => replacement.value), origin: current.origin };
  }
  if (operation === ',,') return { value: current.value.toLowerCase(), origin: current.origin };
  if (operation === '^^') return { value: current.value.toUpperCase(), origin: current.origin };
  return undefined;
}

/** `${v#p}` (shortest prefix), `##` (longest prefix), `%` (shortest suffix), `%%` (longest suffix). */
function trimPattern(value: string, operator: string, pattern: string): string | undefined {
  // Each candidate length is one regular-expression test: bounded so a hostile value stays cheap.
  if (value.length > MAX_TRIMMED_LENGTH) return undefined;
  const source = globToRegExpSource(pattern);
  const lengths = [...Array(value.length + 1).keys()];
  if (operator.startsWith('#')) {
    const order = operator === '#' ? lengths : lengths.reverse();
    const regex = new RegExp(`^(?:${source})$`, 's');
    const length = order.find((candidate) => regex.test(value.slice(0, candidate)));
    return length === undefined ? value : value.slice(length);
  }
  const order = operator === '%' ? lengths : lengths.reverse();
  const regex = new RegExp(`^(?:${source})$`, 's');
  const length = order.find((candidate) => regex.test(value.slice(value.length - candidate)));
  return length === undefined ? value : value.slice(0, value.length - length);
}

/** A shell glob (`*`, `?`, `[...]`) as a regular expression source. */
export function globToRegExpSource(glob: string): string {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const close = glob.indexOf(']', index + 2);
      if (close < 0) source += '\\[';
      else {
        const set = glob.slice(index + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${set}]`;
        index = close;
      }
    } else source += char.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return source;
}
