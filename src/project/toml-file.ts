import { parse as parseToml, TomlError } from 'smol-toml';
import { parseTOML } from 'toml-eslint-parser';
import type { AST } from 'toml-eslint-parser';
import { SourceFile, valueAtPath, type Range } from './source-file.js';

export type TomlKeyPath = readonly (string | number)[];

export interface ParseProblem {
  message: string;
  line: number;
  column: number;
}

type TomlNode = AST.TOMLNode;

/** A [table]: its path, its header's range, and where a new key of its body goes. */
interface PlacedTable {
  path: string;
  header: Range;
  insertAt: number;
}

/**
 * The positions a rule can ask for, kept instead of the syntax tree: toml-eslint-parser's tree of a
 * 120 KB pyproject takes about 5 MB (a token object with its location per token), and a run holds
 * every file it placed a finding in, so 200 such packages took over a gigabyte. This index holds
 * four numbers per key and table, and two per array element, in typed arrays.
 */
interface TomlPositions {
  /** Keys and tables by pathKey(path) → slot; the first occurrence wins (a duplicate key is a parse error anyway). */
  slots: Map<string, number>;
  /** Per slot: value start, value end, entry start, entry end. */
  ranges: Int32Array;
  /** Arrays by pathKey(path) → start and end of each element. */
  elements: Map<string, Int32Array>;
  tables: PlacedTable[];
}

/**
 * A TOML file: values from smol-toml (fast, strict), positions from toml-eslint-parser, which is
 * only run when a rule asks where something is (most runs never do), so a clean file is parsed once.
 */
export class TomlFile extends SourceFile {
  readonly kind = 'toml';
  readonly data: Record<string, unknown> | undefined;
  readonly parseError: ParseProblem | undefined;
  private positionsCache: TomlPositions | null | undefined;

  constructor(path: string, raw: string) {
    super(path, raw);
    try {
      this.data = parseToml(this.text) as Record<string, unknown>;
    } catch (error) {
      this.parseError = describeTomlError(error, this.text);
    }
  }

  /** The value at a key path, e.g. ['project', 'dependencies', 0]. */
  get(path: TomlKeyPath): unknown {
    return valueAtPath(this.data, path);
  }

  /** Parsed for positions on first use; the syntax tree is indexed and dropped. */
  private get positions(): TomlPositions | null {
    if (this.positionsCache === undefined) {
      try {
        this.positionsCache = indexPositions(parseTOML(this.text), this.text);
      } catch {
        this.positionsCache = null;
      }
    }
    return this.positionsCache;
  }

  /** The range of the value at `path` (a table header for a [table], the value of a key). */
  rangeOfValue(path: TomlKeyPath): Range | undefined {
    return this.find(path, 0);
  }

  /** The range of `key = value` (or of the `[table]` header) at `path`. */
  rangeOfEntry(path: TomlKeyPath): Range | undefined {
    return this.find(path, 2);
  }

  /**
   * The range of the nearest existing ancestor of `path`: where to point at a missing key.
   * Falls back to the start of the file.
   */
  rangeOfNearest(path: TomlKeyPath): Range {
    for (let length = path.length; length > 0; length--) {
      const range = this.rangeOfEntry(path.slice(0, length));
      if (range) return range;
    }
    return { start: 0, end: 0 };
  }

  /**
   * The [table] whose body holds keys of `path` (e.g. ['project']): its header range and the offset
   * just past its last key-value line, where a fix inserts new keys.
   */
  tableBody(path: TomlKeyPath): { header: Range; insertAt: number } | undefined {
    const key = pathKey(path);
    const table = this.positions?.tables.find((candidate) => candidate.path === key);
    return table && { header: table.header, insertAt: table.insertAt };
  }

  /** Names of every [table] header in the file, in order (e.g. 'tool.hatch.build'). */
  tableNames(): string[] {
    return (this.positions?.tables ?? []).map((table) => table.path.split(PATH_SEPARATOR).join('.'));
  }

  /** The value's range (`offset` 0) or the entry's (2) of a key, table or array element. */
  private find(path: TomlKeyPath, offset: 0 | 2): Range | undefined {
    const positions = this.positions;
    if (!positions || path.length === 0) return undefined;
    const slot = positions.slots.get(pathKey(path));
    if (slot !== undefined) return { start: positions.ranges[slot * 4 + offset]!, end: positions.ranges[slot * 4 + offset + 1]! };
    const index = path[path.length - 1];
    if (typeof index !== 'number') return undefined;
    const elements = positions.elements.get(pathKey(path.slice(0, -1)));
    if (!elements || index < 0 || index * 2 >= elements.length) return undefined;
    return { start: elements[index * 2]!, end: elements[index * 2 + 1]! };
  }
}

const PATH_SEPARATOR = '\u0000';

/** A key path as one string; `0` and `'0'` are the same key, as in a TOML document. */
function pathKey(path: readonly (string | number)[]): string {
  return path.map(String).join(PATH_SEPARATOR);
}

/**
 * Every table, key-value and array element of the tree under its full path. Keys may be written as
 * [a.b] c = 1, or [a] b.c = 1, or a = { b = { c = 1 } }: each is filed under its resolved path.
 */
function indexPositions(program: AST.TOMLProgram, text: string): TomlPositions {
  const slots = new Map<string, number>();
  const ranges: number[] = [];
  const elements = new Map<string, Int32Array>();
  const tables: PlacedTable[] = [];
  const place = (path: readonly (string | number)[], value: [number, number], entry: [number, number]): void => {
    const key = pathKey(path);
    if (slots.has(key)) return;
    slots.set(key, ranges.length / 4);
    ranges.push(value[0], value[1], entry[0], entry[1]);
  };
  const visit = (node: TomlNode, prefix: readonly (string | number)[]): void => {
    if (node.type === 'TOMLTable') {
      const tablePath = node.resolvedKey as (string | number)[];
      place(tablePath, node.range, node.key.range);
      const last = node.body[node.body.length - 1];
      const endOffset = last ? last.range[1] : node.key.range[1] + 1;
      const lineEnd = text.indexOf('\n', endOffset);
      tables.push({ path: pathKey(tablePath), header: toRange(node.key), insertAt: lineEnd === -1 ? text.length : lineEnd + 1 });
      for (const child of node.body) visit(child, tablePath);
    } else if (node.type === 'TOMLKeyValue') {
      const keyPath = [...prefix, ...node.key.keys.map(keyName)];
      place(keyPath, node.value.range, node.range);
      visitValue(node.value, keyPath);
    } else if (node.type === 'TOMLTopLevelTable') {
      for (const child of node.body) visit(child, []);
    }
  };
  const visitValue = (value: AST.TOMLContentNode, valuePath: readonly (string | number)[]): void => {
    if (value.type === 'TOMLInlineTable') {
      for (const child of value.body) visit(child, valuePath);
    } else if (value.type === 'TOMLArray') {
      const key = pathKey(valuePath);
      if (!elements.has(key)) elements.set(key, Int32Array.from(value.elements.flatMap((element) => element.range)));
      value.elements.forEach((element, index) => visitValue(element, [...valuePath, index]));
    }
  };
  const top = program.body[0];
  if (top) visit(top, []);
  return { slots, ranges: Int32Array.from(ranges), elements, tables };
}

function keyName(key: AST.TOMLBare | AST.TOMLQuoted): string {
  return key.type === 'TOMLBare' ? key.name : key.value;
}

function toRange(node: { range: [number, number] }): Range {
  return { start: node.range[0], end: node.range[1] };
}

function describeTomlError(error: unknown, text: string): ParseProblem {
  if (error instanceof TomlError) {
    // smol-toml's message is "Invalid TOML document: reason" followed by a code frame.
    const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    return unterminatedString(text, error.line, error.column) ?? { message: reason, line: error.line, column: error.column };
  }
  return { message: error instanceof Error ? error.message : String(error), line: 1, column: 1 };
}

/**
 * A one-line string with no closing quote: smol-toml stops at the line break ("control characters
 * are not allowed in strings"), which names neither the cause nor where the string starts. Reported
 * at the opening quote instead, the way Python's tomllib user would look for it.
 */
function unterminatedString(text: string, line: number, column: number): ParseProblem | undefined {
  const lineText = text.split('\n')[line - 1]?.replace(/\r$/, '');
  if (lineText === undefined || column - 1 < lineText.length) return undefined; // not stopped at the line's end
  let opened: { quote: string; column: number } | undefined;
  for (let index = 0; index < lineText.length; index++) {
    const char = lineText[index]!;
    if (opened === undefined) {
      if (char === '#') break;
      if (char === '"' || char === "'") opened = { quote: char, column: index + 1 };
    } else if (char === '\\' && opened.quote === '"') index++;
    else if (char === opened.quote) opened = undefined;
  }
  if (opened === undefined) return undefined;
  return { message: `unterminated string: the string opened at line ${line}, column ${opened.column} runs to the end of the line; close it with ${opened.quote}`, line, column: opened.column };
}

/** A TOML value as a table, or undefined when it is not one (a string, an array, nothing). */
export function asTable(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
