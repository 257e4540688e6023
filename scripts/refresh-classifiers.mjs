#!/usr/bin/env node
/**
 * Refreshes data/trove-classifiers.json from pypa/trove-classifiers, the list PyPI itself checks
 * uploads against (src/trove_classifiers/__init__.py at a git ref).
 *
 *   node scripts/refresh-classifiers.mjs [--ref REF] [--dry-run] [--output FILE]
 *
 *   --ref REF      branch, tag or commit of pypa/trove-classifiers (default: main)
 *   --dry-run      fetch and parse, print what would change, write nothing
 *   --output FILE  where to write (default: data/trove-classifiers.json in this package)
 *
 * The output keeps the shipped structure: { source, classifiers: [sorted], deprecated: { old: [new...] } },
 * JSON with a one-space indent and a final newline. The file is replaced atomically (write a
 * temporary file beside it, then rename), so a failed run never leaves a half-written list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = 'pypa/trove-classifiers';
const SOURCE_PATH = 'src/trove_classifiers/__init__.py';
/** Fewer than this means the parse went wrong (the real list has hundreds); refuse to write it. */
const MIN_CLASSIFIERS = 100;

// ---------------------------------------------------------------------------------------------
// Parsing (pure; unit-tested)

/**
 * Reads the classifier list and the deprecation map out of trove_classifiers/__init__.py.
 *
 * Understands the Python literals the module has used over time: `sorted_classifiers = [...]`
 * (current, with `classifiers = set(sorted_classifiers)`), or a `classifiers = {...}` set literal
 * (older releases), and `deprecated_classifiers = { "old": ["new", ...], ... }`. Strings may use
 * either quote, prefixes, escapes and implicit concatenation; comments and annotations are skipped.
 *
 * @param {string} text the module's source
 * @returns {{ classifiers: string[], deprecated: Record<string, string[]> }} classifiers sorted and
 *   de-duplicated; deprecated keys sorted
 * @throws {Error} when no classifier list can be found or a literal is malformed
 */
export function parseTroveSource(text) {
  const tokens = tokenize(text);
  const literals = topLevelLiterals(tokens, ['sorted_classifiers', 'classifiers', 'deprecated_classifiers']);

  const list = [literals.get('sorted_classifiers'), literals.get('classifiers')].find(
    (value) => Array.isArray(value) || value instanceof Set,
  );
  if (!list) {
    throw new Error('no `sorted_classifiers = [...]` list or `classifiers = {...}` set literal found');
  }
  const classifiers = [...new Set(list)];
  for (const classifier of classifiers) {
    if (typeof classifier !== 'string' || classifier.trim() === '') {
      throw new Error(`unexpected classifier entry: ${JSON.stringify(classifier)}`);
    }
  }
  classifiers.sort(compareCodePoints);

  const deprecated = {};
  const map = literals.get('deprecated_classifiers');
  if (map !== undefined) {
    if (!(map instanceof Map)) throw new Error('`deprecated_classifiers` is not a dict literal');
    for (const key of [...map.keys()].sort(compareCodePoints)) {
      const replacements = map.get(key);
      if (typeof key !== 'string' || !Array.isArray(replacements) || replacements.some((r) => typeof r !== 'string')) {
        throw new Error(`unexpected deprecated_classifiers entry for ${JSON.stringify(key)}`);
      }
      deprecated[key] = replacements;
    }
  }
  return { classifiers, deprecated };
}

/** Python's default str ordering (code points), not localeCompare. */
function compareCodePoints(a, b) {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = left[i].codePointAt(0) - right[i].codePointAt(0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/**
 * @typedef {{ type: 'string', value: string, line: number }
 *   | { type: 'name', value: string, line: number }
 *   | { type: 'op', value: string, line: number }} Token
 */

/** @returns {Token[]} */
function tokenize(text) {
  /** @type {Token[]} */
  const tokens = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\\') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const prefix = /^[rRbBuUfF]{0,2}(?=['"])/.exec(text.slice(i, i + 3));
    if (prefix && (c === '"' || c === "'" || prefix[0] !== '')) {
      const raw = /r/i.test(prefix[0]);
      i += prefix[0].length;
      const quote = text.startsWith(text[i].repeat(3), i) ? text[i].repeat(3) : text[i];
      const startLine = line;
      i += quote.length;
      let value = '';
      for (;;) {
        if (i >= text.length) throw new Error(`line ${startLine}: unterminated string`);
        if (text.startsWith(quote, i)) {
          i += quote.length;
          break;
        }
        const ch = text[i];
        if (ch === '\n') {
          if (quote.length === 1) throw new Error(`line ${startLine}: unterminated string`);
          line++;
        }
        if (ch === '\\' && !raw) {
          const [decoded, length] = unescape(text, i);
          value += decoded;
          i += length;
          continue;
        }
        value += ch;
        i++;
      }
      tokens.push({ type: 'string', value, line: startLine });
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 200));
    if (name) {
      tokens.push({ type: 'name', value: name[0], line });
      i += name[0].length;
      continue;
    }
    tokens.push({ type: 'op', value: c, line });
    i++;
  }
  return tokens;
}

/** Decodes the escape at text[i] (a backslash); returns [decoded, consumed length]. */
function unescape(text, i) {
  const next = text[i + 1];
  const simple = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', 0: '\0' };
  if (next === '\n') return ['', 2];
  if (next === 'x') return [String.fromCodePoint(parseInt(text.slice(i + 2, i + 4), 16)), 4];
  if (next === 'u') return [String.fromCodePoint(parseInt(text.slice(i + 2, i + 6), 16)), 6];
  if (next === 'U') return [String.fromCodePoint(parseInt(text.slice(i + 2, i + 10), 16)), 10];
  if (next !== undefined && next in simple) return [simple[next], 2];
  return ['\\', 1];
}

/**
 * The literal values assigned at the top level to the wanted names (`name = ...` or
 * `name: Annotation = ...`). A value that is not a literal (e.g. `set(sorted_classifiers)`) is
 * left out. Lists become arrays, sets Sets, dicts Maps, strings strings.
 */
function topLevelLiterals(tokens, names) {
  const found = new Map();
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'op') {
      if ('([{'.includes(token.value)) depth++;
      else if (')]}'.includes(token.value)) depth--;
      continue;
    }
    if (depth !== 0 || token.type !== 'name' || !names.includes(token.value)) continue;
    // Must start its statement: the previous token is on an earlier line.
    if (i > 0 && tokens[i - 1].line === token.line) continue;
    let j = i + 1;
    if (tokens[j]?.value === ':') {
      // Skip the annotation, brackets included, up to the top-level '='.
      let annotationDepth = 0;
      j++;
      while (j < tokens.length) {
        const t = tokens[j];
        if (t.type === 'op' && '([{'.includes(t.value)) annotationDepth++;
        else if (t.type === 'op' && ')]}'.includes(t.value)) annotationDepth--;
        else if (annotationDepth === 0 && t.type === 'op' && t.value === '=') break;
        j++;
      }
    }
    if (tokens[j]?.type !== 'op' || tokens[j].value !== '=' || tokens[j + 1]?.value === '=') continue;
    const parser = new LiteralParser(tokens, j + 1);
    const value = parser.tryLiteral();
    if (value !== undefined && !found.has(token.value)) found.set(token.value, value);
  }
  return found;
}

class LiteralParser {
  constructor(tokens, position) {
    this.tokens = tokens;
    this.pos = position;
  }

  peek() {
    return this.tokens[this.pos];
  }

  expectOp(value) {
    const token = this.tokens[this.pos];
    if (!token || token.type !== 'op' || token.value !== value) {
      const where = token ? `line ${token.line}: found ${JSON.stringify(token.value)}` : 'the end of the file';
      throw new Error(`expected ${JSON.stringify(value)} at ${where}`);
    }
    this.pos++;
  }

  isOp(value) {
    const token = this.peek();
    return token !== undefined && token.type === 'op' && token.value === value;
  }

  /** A literal here, or undefined when the value is not one (a call, a name...). */
  tryLiteral() {
    const token = this.peek();
    if (!token) return undefined;
    if (token.type === 'string' || (token.type === 'op' && (token.value === '[' || token.value === '{'))) {
      return this.literal();
    }
    return undefined;
  }

  literal() {
    const token = this.peek();
    if (!token) throw new Error('expected a literal, found the end of the file');
    if (token.type === 'string') {
      let value = '';
      while (this.peek()?.type === 'string') value += this.tokens[this.pos++].value;
      return value;
    }
    if (token.type === 'op' && token.value === '[') {
      this.pos++;
      const items = [];
      while (!this.isOp(']')) {
        items.push(this.literal());
        if (!this.isOp(']')) this.expectOp(',');
      }
      this.pos++;
      return items;
    }
    if (token.type === 'op' && token.value === '{') {
      this.pos++;
      if (this.isOp('}')) {
        this.pos++;
        return new Map();
      }
      const first = this.literal();
      if (this.isOp(':')) {
        const map = new Map();
        this.pos++;
        map.set(first, this.literal());
        while (!this.isOp('}')) {
          this.expectOp(',');
          if (this.isOp('}')) break;
          const key = this.literal();
          this.expectOp(':');
          map.set(key, this.literal());
        }
        this.pos++;
        return map;
      }
      const set = new Set([first]);
      while (!this.isOp('}')) {
        this.expectOp(',');
        if (this.isOp('}')) break;
        set.add(this.literal());
      }
      this.pos++;
      return set;
    }
    throw new Error(`line ${token.line}: expected a string, list, set or dict literal, found ${JSON.stringify(token.value)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The command

function parseArgs(argv) {
  const options = { ref: 'main', dryRun: false, output: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--ref') options.ref = value();
    else if (flag === '--output') options.output = value();
    else if (flag === '--dry-run') options.dryRun = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else throw new Error(`unknown argument ${JSON.stringify(arg)} (try --help)`);
  }
  if (!/^[A-Za-z0-9._\/-]+$/.test(options.ref)) throw new Error(`--ref ${JSON.stringify(options.ref)} is not a git ref`);
  return options;
}

async function fetchText(url, headers = {}) {
  let response;
  try {
    response = await fetch(url, { headers: { 'user-agent': 'pypi-release-lint refresh-classifiers', ...headers } });
  } catch (error) {
    const cause = error?.cause?.message ?? error?.cause?.code;
    throw new Error(`GET ${url}: ${error.message}${cause ? ` (${cause})` : ''}`);
  }
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${response.statusText}`);
  return response.text();
}

/** The commit a ref names and its date, or undefined when the API cannot say (rate limit, offline). */
async function resolveCommit(ref) {
  try {
    const body = JSON.parse(
      await fetchText(`https://api.github.com/repos/${REPO}/commits/${encodeURIComponent(ref)}`, {
        accept: 'application/vnd.github+json',
      }),
    );
    const sha = typeof body.sha === 'string' ? body.sha : undefined;
    const date = body.commit?.committer?.date ?? body.commit?.author?.date;
    return sha ? { sha, date: typeof date === 'string' ? date.slice(0, 10) : undefined } : undefined;
  } catch (error) {
    console.warn(`warning: cannot resolve ${ref} to a commit (${error.message}); recording the ref instead`);
    return undefined;
  }
}

function writeAtomically(file, content) {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temporary, content, 'utf8');
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function summarize(before, after) {
  const old = new Set(before?.classifiers ?? []);
  const now = new Set(after.classifiers);
  const added = after.classifiers.filter((c) => !old.has(c));
  const removed = [...old].filter((c) => !now.has(c));
  const oldDeprecated = Object.keys(before?.deprecated ?? {});
  const newlyDeprecated = Object.keys(after.deprecated).filter((c) => !oldDeprecated.includes(c));
  const lines = [`${after.classifiers.length} classifiers, ${Object.keys(after.deprecated).length} deprecated`];
  for (const c of added) lines.push(`  + ${c}`);
  for (const c of removed) lines.push(`  - ${c}`);
  for (const c of newlyDeprecated) lines.push(`  ~ deprecated: ${c}`);
  if (added.length + removed.length + newlyDeprecated.length === 0) lines.push('  (no change to the lists)');
  return lines.join('\n');
}

async function main(argv) {
  const options = parseArgs(argv);
  if (options.help) {
    console.log('usage: node scripts/refresh-classifiers.mjs [--ref REF] [--dry-run] [--output FILE]');
    return;
  }
  const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const output = path.resolve(options.output ?? path.join(packageDir, 'data', 'trove-classifiers.json'));

  const commit = await resolveCommit(options.ref);
  const at = commit?.sha ?? options.ref;
  const text = await fetchText(`https://raw.githubusercontent.com/${REPO}/${at}/${SOURCE_PATH}`);
  const parsed = parseTroveSource(text);
  if (parsed.classifiers.length < MIN_CLASSIFIERS) {
    throw new Error(`only ${parsed.classifiers.length} classifiers parsed from ${SOURCE_PATH}: refusing to write`);
  }

  const source = commit
    ? `${REPO}, commit ${commit.sha}${commit.date ? ` (${commit.date})` : ''}`
    : `${REPO}, ref ${options.ref} (fetched ${new Date().toISOString().slice(0, 10)})`;
  const data = { source, classifiers: parsed.classifiers, deprecated: parsed.deprecated };

  let before;
  try {
    before = JSON.parse(fs.readFileSync(output, 'utf8'));
  } catch {
    before = undefined;
  }
  console.log(`${source}\n${summarize(before, data)}`);
  if (options.dryRun) {
    console.log(`dry run: ${path.relative(process.cwd(), output) || output} not written`);
    return;
  }
  writeAtomically(output, `${JSON.stringify(data, null, 1)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), output) || output}`);
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`refresh-classifiers: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
