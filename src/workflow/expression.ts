/**
 * GitHub Actions expressions (`${{ ... }}` and `if:` conditions), parsed and evaluated over sets
 * of possible values. A workflow is read without running it, so a context value is usually one of
 * several (the options of a choice input, the legs of a matrix) or not known at all (a secret, the
 * output of a script): evaluation returns every value the expression can take, each with where it
 * is written, or `undefined` when that cannot be told. Operators and functions follow GitHub's
 * documented semantics (case-insensitive string comparison, `||` returning an operand, loose
 * equality by number).
 */
import type { Origin } from './values.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** One value an expression may take, with where it is written when that is known. */
export interface Candidate {
  value: Json;
  origin?: Origin | undefined;
}

/** Every value an expression may take; `undefined` when the linter cannot tell. */
export type Candidates = Candidate[] | undefined;

/**
 * What a context path reads (['inputs', 'package'], ['github', 'ref_name'], ['matrix', 'python']):
 * its possible values, or undefined when unknown.
 */
export type ContextLookup = (path: readonly string[]) => Candidates;

/** More combinations than this are not enumerated: the result is unknown. */
const MAX_CANDIDATES = 512;

export type Expression =
  | { kind: 'literal'; value: Json }
  | { kind: 'context'; path: string[] }
  | { kind: 'index'; target: Expression; key: Expression }
  | { kind: 'not'; operand: Expression }
  | { kind: 'binary'; operator: '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||'; left: Expression; right: Expression }
  | { kind: 'call'; name: string; args: Expression[] };

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'name'; value: string }
  | { kind: 'punct'; value: string };

const PUNCTUATION = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', '.', ',', '*'];

/** Splits an expression into tokens; undefined when it holds a character the language has no use for. */
function tokenize(source: string): Token[] | undefined {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    if (char === "'") {
      let value = '';
      index++;
      for (;;) {
        if (index >= source.length) return undefined;
        if (source[index] === "'") {
          if (source[index + 1] === "'") {
            value += "'";
            index += 2;
            continue;
          }
          index++;
          break;
        }
        value += source[index++];
      }
      tokens.push({ kind: 'string', value });
      continue;
    }
    const number = /^(?:0x[0-9a-fA-F]+|-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(source.slice(index, index + 64));
    if (number && (char !== '-' || /[\d.]/.test(source[index + 1] ?? ''))) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      index += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(index, index + 256));
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      index += name[0].length;
      continue;
    }
    const punct = PUNCTUATION.find((candidate) => source.startsWith(candidate, index));
    if (!punct) return undefined;
    tokens.push({ kind: 'punct', value: punct });
    index += punct.length;
  }
  return tokens;
}

/** Parsed expressions by source: a workflow is imagined many times (events, legs), its expressions parsed once. */
const parsedCache = new Map<string, Expression | undefined>();
const MAX_CACHED = 10_000;

/** Parses an expression (without its `${{ }}`); undefined when it is not valid. */
export function parseExpression(source: string): Expression | undefined {
  if (parsedCache.has(source)) return parsedCache.get(source);
  const parsed = parseUncached(source);
  if (parsedCache.size >= MAX_CACHED) parsedCache.clear();
  parsedCache.set(source, parsed);
  return parsed;
}

function parseUncached(source: string): Expression | undefined {
  const tokens = tokenize(source);
  if (!tokens || tokens.length === 0) return undefined;
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const isPunct = (value: string): boolean => peek()?.kind === 'punct' && peek()!.value === value;
  const expect = (value: string): boolean => {
    if (!isPunct(value)) return false;
    position++;
    return true;
  };

  const binaryLevels: string[][] = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>=']];
  const parseLevel = (level: number): Expression | undefined => {
    if (level === binaryLevels.length) return parseUnary();
    let left = parseLevel(level + 1);
    while (left) {
      const token = peek();
      if (token?.kind !== 'punct' || !binaryLevels[level]!.includes(token.value)) break;
      position++;
      const right = parseLevel(level + 1);
      if (!right) return undefined;
      left = { kind: 'binary', operator: token.value as Extract<Expression, { kind: 'binary' }>['operator'], left, right };
    }
    return left;
  };
  const parseUnary = (): Expression | undefined => {
    if (expect('!')) {
      const operand = parseUnary();
      return operand && { kind: 'not', operand };
    }
    return parsePostfix();
  };
  const parsePostfix = (): Expression | undefined => {
    let target = parsePrimary();
    while (target) {
      if (expect('.')) {
        const token = peek();
        if (token?.kind === 'name' || (token?.kind === 'punct' && token.value === '*')) {
          position++;
          target = appendKey(target, token.value as string);
          continue;
        }
        return undefined;
      }
      if (expect('[')) {
        const key = parseLevel(0);
        if (!key || !expect(']')) return undefined;
        target = key.kind === 'literal' && typeof key.value === 'string' ? appendKey(target, key.value) : { kind: 'index', target, key };
        continue;
      }
      break;
    }
    return target;
  };
  const parsePrimary = (): Expression | undefined => {
    const token = peek();
    if (!token) return undefined;
    position++;
    if (token.kind === 'string' || token.kind === 'number') return { kind: 'literal', value: token.value };
    if (token.kind === 'punct') {
      if (token.value !== '(') return undefined;
      const inner = parseLevel(0);
      return inner && expect(')') ? inner : undefined;
    }
    const word = token.value;
    if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true' };
    if (word === 'null') return { kind: 'literal', value: null };
    if (expect('(')) {
      const args: Expression[] = [];
      if (!expect(')')) {
        for (;;) {
          const arg = parseLevel(0);
          if (!arg) return undefined;
          args.push(arg);
          if (expect(')')) break;
          if (!expect(',')) return undefined;
        }
      }
      return { kind: 'call', name: word.toLowerCase(), args };
    }
    return { kind: 'context', path: [word] };
  };

  const parsed = parseLevel(0);
  return parsed && position === tokens.length ? parsed : undefined;
}

/** `a.b` on a context path extends the path; on anything else it is an index. */
function appendKey(target: Expression, key: string): Expression {
  if (target.kind === 'context') return { kind: 'context', path: [...target.path, key] };
  return { kind: 'index', target, key: { kind: 'literal', value: key } };
}

/** Every value `expression` may take under `lookup`. */
export function evaluate(expression: Expression, lookup: ContextLookup): Candidates {
  switch (expression.kind) {
    case 'literal':
      return [{ value: expression.value }];
    case 'context':
      return lookup(expression.path);
    case 'index': {
      const targets = evaluate(expression.target, lookup);
      const keys = evaluate(expression.key, lookup);
      return combine([targets, keys], ([target, key]) => indexInto(target!.value, key!.value), (values) => values[0]!.origin);
    }
    case 'not': {
      const operand = evaluate(expression.operand, lookup);
      return operand && dedupe(operand.map((candidate) => ({ value: !truthy(candidate.value) })));
    }
    case 'binary':
      return evaluateBinary(expression, lookup);
    case 'call':
      return evaluateCall(expression.name, expression.args.map((arg) => evaluate(arg, lookup)));
  }
}

function evaluateBinary(expression: Extract<Expression, { kind: 'binary' }>, lookup: ContextLookup): Candidates {
  const left = evaluate(expression.left, lookup);
  if (expression.operator === '&&' || expression.operator === '||') {
    // Per candidate, as GitHub short-circuits: `a || b` is a when a is truthy, else b.
    if (!left) return undefined;
    const results: Candidate[] = [];
    let right: Candidates | null = null;
    for (const candidate of left) {
      const decided = expression.operator === '&&' ? !truthy(candidate.value) : truthy(candidate.value);
      if (decided) {
        results.push(candidate);
        continue;
      }
      right ??= evaluate(expression.right, lookup);
      if (!right) return undefined;
      results.push(...right);
    }
    return dedupe(results);
  }
  const right = evaluate(expression.right, lookup);
  return combine([left, right], ([a, b]) => compare(expression.operator, a!.value, b!.value), () => undefined);
}

function evaluateCall(name: string, args: Candidates[]): Candidates {
  switch (name) {
    case 'success':
    case 'always':
      return [{ value: true }];
    case 'failure':
    case 'cancelled':
      return [{ value: false }];
    case 'startswith':
    case 'endswith':
      return combine(args.slice(0, 2), ([text, affix]) => {
        const haystack = coerceString(text!.value).toLowerCase();
        const needle = coerceString(affix!.value).toLowerCase();
        return name === 'startswith' ? haystack.startsWith(needle) : haystack.endsWith(needle);
      }, () => undefined);
    case 'contains':
      return combine(args.slice(0, 2), ([search, item]) => {
        if (Array.isArray(search!.value)) return search!.value.some((element) => looseEquals(element, item!.value));
        return coerceString(search!.value).toLowerCase().includes(coerceString(item!.value).toLowerCase());
      }, () => undefined);
    case 'format':
      return combine(args, (values) => {
        const template = coerceString(values[0]!.value);
        return template.replace(/\{\{|\}\}|\{(\d+)\}/g, (match, index: string | undefined) =>
          match === '{{' ? '{' : match === '}}' ? '}' : coerceString(values[Number(index) + 1]?.value ?? ''),
        );
      }, lastOrigin);
    case 'join':
      return combine(args, (values) => {
        const array = values[0]!.value;
        const separator = values.length > 1 ? coerceString(values[1]!.value) : ',';
        return Array.isArray(array) ? array.map(coerceString).join(separator) : coerceString(array);
      }, lastOrigin);
    case 'tojson':
      return combine(args.slice(0, 1), ([value]) => JSON.stringify(value!.value, null, 2), lastOrigin);
    case 'fromjson':
      return combine(args.slice(0, 1), ([value]) => {
        try {
          return JSON.parse(coerceString(value!.value)) as Json;
        } catch {
          return NOT_A_VALUE;
        }
      }, lastOrigin);
    default:
      return undefined;
  }
}

/** Marks a combination that has no value (fromJSON of invalid text): the result is unknown. */
const NOT_A_VALUE = Symbol('not a value');

/** Applies `compute` to every combination of the argument candidates, bounded by MAX_CANDIDATES. */
function combine(args: Candidates[], compute: (values: Candidate[]) => Json | typeof NOT_A_VALUE, origin: (values: Candidate[]) => Origin | undefined): Candidates {
  if (args.some((arg) => arg === undefined)) return undefined;
  let combinations: Candidate[][] = [[]];
  for (const arg of args as Candidate[][]) {
    if (combinations.length * arg.length > MAX_CANDIDATES) return undefined;
    combinations = combinations.flatMap((prefix) => arg.map((candidate) => [...prefix, candidate]));
  }
  const results: Candidate[] = [];
  for (const values of combinations) {
    const value = compute(values);
    if (value === NOT_A_VALUE) return undefined;
    results.push({ value, origin: origin(values) });
  }
  return dedupe(results);
}

function lastOrigin(values: Candidate[]): Origin | undefined {
  for (let index = values.length - 1; index >= 0; index--) if (values[index]!.origin) return values[index]!.origin;
  return undefined;
}

/** Drops candidates with the same value (the first one's origin is kept). */
function dedupe(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const key = JSON.stringify(candidate.value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function indexInto(target: Json, key: Json): Json {
  if (Array.isArray(target)) {
    if (key === '*') return target;
    const index = typeof key === 'number' ? key : Number(key);
    return Number.isInteger(index) ? (target[index] ?? null) : null;
  }
  if (target && typeof target === 'object') {
    if (key === '*') return Object.values(target);
    const wanted = coerceString(key).toLowerCase();
    const found = Object.keys(target).find((name) => name.toLowerCase() === wanted);
    return found === undefined ? null : target[found]!;
  }
  return null;
}

/** GitHub's truthiness: false, 0, -0, '', null and NaN are falsy; arrays and objects are truthy. */
export function truthy(value: Json): boolean {
  if (value === null || value === false || value === '') return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}

/** How GitHub turns a value into text (in `${{ }}` inside a string, in format()). */
export function coerceString(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function toNumber(value: Json): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return Number.NaN;
}

/** `==` as GitHub defines it: strings case-insensitively, different types by number. */
function looseEquals(a: Json, b: Json): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b && (a === null || typeof a !== 'object')) return a === b;
  if (typeof a === 'object' && a !== null) return a === b;
  if (typeof b === 'object' && b !== null) return false;
  return toNumber(a) === toNumber(b);
}

function compare(operator: string, a: Json, b: Json): boolean {
  if (operator === '==') return looseEquals(a, b);
  if (operator === '!=') return !looseEquals(a, b);
  const bothStrings = typeof a === 'string' && typeof b === 'string';
  const left = bothStrings ? a.toLowerCase() : toNumber(a);
  const right = bothStrings ? (b as string).toLowerCase() : toNumber(b);
  if (operator === '<') return left < right;
  if (operator === '<=') return left <= right;
  if (operator === '>') return left > right;
  return left >= right;
}

/** What a condition decides: it runs, it does not, or that depends on what the linter cannot know. */
export type Decision = true | false | undefined;

/**
 * Whether an `if:` condition holds. GitHub reads a condition without `${{ }}` as an expression,
 * and one wrapped whole in `${{ }}` the same; a condition that does not parse is undecided.
 */
export function decide(condition: string | undefined, lookup: ContextLookup): Decision {
  if (condition === undefined) return true;
  const trimmed = condition.trim();
  const wrapped = /^\$\{\{([\s\S]*)\}\}$/.exec(trimmed);
  const source = wrapped && !wrapped[1]!.includes('}}') ? wrapped[1]! : trimmed;
  const parsed = parseExpression(source);
  return parsed ? decideExpression(parsed, lookup) : undefined;
}

/** Three-valued logic over `!`, `&&` and `||`, so `unknown || true` is still true. */
function decideExpression(expression: Expression, lookup: ContextLookup): Decision {
  if (expression.kind === 'not') {
    const operand = decideExpression(expression.operand, lookup);
    return operand === undefined ? undefined : !operand;
  }
  if (expression.kind === 'binary' && (expression.operator === '&&' || expression.operator === '||')) {
    const left = decideExpression(expression.left, lookup);
    const right = decideExpression(expression.right, lookup);
    if (expression.operator === '&&') return left === false || right === false ? false : left === true && right === true ? true : undefined;
    return left === true || right === true ? true : left === false && right === false ? false : undefined;
  }
  const values = evaluate(expression, lookup);
  if (!values || values.length === 0) return undefined;
  const outcomes = new Set(values.map((candidate) => truthy(candidate.value)));
  return outcomes.size === 1 ? [...outcomes][0]! : undefined;
}
