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

/**
 * A TOML file: values from smol-toml (fast, strict), positions from toml-eslint-parser, which is
 * only run when a rule asks where something is (most runs never do), so a clean file is parsed once.
 */
export class TomlFile extends SourceFile {
  readonly kind = 'toml';
  readonly data: Record<string, unknown> | undefined;
  readonly parseError: ParseProblem | undefined;
  private astCache: AST.TOMLProgram | null | undefined;

  constructor(path: string, raw: string) {
    super(path, raw);
    try {
      this.data = parseToml(this.text) as Record<string, unknown>;
    } catch (error) {
      this.parseError = describeTomlError(error);
    }
  }

  /** The value at a key path, e.g. ['project', 'dependencies', 0]. */
  get(path: TomlKeyPath): unknown {
    return valueAtPath(this.data, path);
  }

  private get ast(): AST.TOMLProgram | null {
    if (this.astCache === undefined) {
      try {
        this.astCache = parseTOML(this.text);
      } catch {
        this.astCache = null;
      }
    }
    return this.astCache;
  }

  /** The range of the value at `path` (a table header for a [table], the value of a key). */
  rangeOfValue(path: TomlKeyPath): Range | undefined {
    const node = this.findNode(path);
    if (!node) return undefined;
    if (node.type === 'TOMLKeyValue') return toRange(node.value);
    return toRange(node);
  }

  /** The range of `key = value` (or of the `[table]` header) at `path`. */
  rangeOfEntry(path: TomlKeyPath): Range | undefined {
    const node = this.findNode(path);
    if (!node) return undefined;
    if (node.type === 'TOMLTable') return toRange(node.key);
    return toRange(node);
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
    const program = this.ast;
    if (!program) return undefined;
    const tables = program.body[0]?.body ?? [];
    for (const table of tables) {
      if (table.type !== 'TOMLTable' || !samePath(table.resolvedKey, path)) continue;
      const last = table.body[table.body.length - 1];
      const endOffset = last ? last.range[1] : table.key.range[1] + 1;
      const lineEnd = this.text.indexOf('\n', endOffset);
      return { header: toRange(table.key), insertAt: lineEnd === -1 ? this.text.length : lineEnd + 1 };
    }
    return undefined;
  }

  /** Names of every [table] header in the file, in order (e.g. 'tool.hatch.build'). */
  tableNames(): string[] {
    const program = this.ast;
    if (!program) return [];
    return (program.body[0]?.body ?? []).filter((node) => node.type === 'TOMLTable').map((table) => table.resolvedKey.join('.'));
  }

  private findNode(path: TomlKeyPath): TomlNode | undefined {
    const program = this.ast;
    if (!program || path.length === 0) return undefined;
    const top = program.body[0];
    if (!top) return undefined;
    let best: TomlNode | undefined;
    // Keys may be written as [a.b] c = 1, or [a] b.c = 1, or a = { b = { c = 1 } }: walk every
    // key-value and table, comparing full resolved paths.
    const visit = (node: TomlNode, prefix: (string | number)[]): void => {
      if (best) return;
      if (node.type === 'TOMLTable') {
        const tablePath = node.resolvedKey as (string | number)[];
        if (samePath(tablePath, path)) best = node;
        for (const child of node.body) visit(child, tablePath);
      } else if (node.type === 'TOMLKeyValue') {
        const keyPath = [...prefix, ...node.key.keys.map(keyName)];
        if (samePath(keyPath, path)) {
          best = node;
          return;
        }
        if (isPrefix(keyPath, path)) visitValue(node.value, keyPath);
      } else if (node.type === 'TOMLTopLevelTable') {
        for (const child of node.body) visit(child, []);
      }
    };
    const visitValue = (value: AST.TOMLContentNode, valuePath: (string | number)[]): void => {
      if (best) return;
      if (value.type === 'TOMLInlineTable') {
        for (const child of value.body) visit(child, valuePath);
      } else if (value.type === 'TOMLArray') {
        const index = path[valuePath.length];
        if (typeof index !== 'number') return;
        const element = value.elements[index];
        if (!element) return;
        if (path.length === valuePath.length + 1) best = element;
        else visitValue(element, [...valuePath, index]);
      }
    };
    visit(top, []);
    return best;
  }
}

function keyName(key: AST.TOMLBare | AST.TOMLQuoted): string {
  return key.type === 'TOMLBare' ? key.name : key.value;
}

function samePath(a: readonly (string | number)[], b: TomlKeyPath): boolean {
  return a.length === b.length && a.every((key, index) => String(key) === String(b[index]));
}

function isPrefix(prefix: readonly (string | number)[], path: TomlKeyPath): boolean {
  return prefix.length < path.length && prefix.every((key, index) => String(key) === String(path[index]));
}

function toRange(node: { range: [number, number] }): Range {
  return { start: node.range[0], end: node.range[1] };
}

function describeTomlError(error: unknown): ParseProblem {
  if (error instanceof TomlError) {
    // smol-toml's message is "Invalid TOML document: reason" followed by a code frame.
    const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    return { message: reason, line: error.line, column: error.column };
  }
  return { message: error instanceof Error ? error.message : String(error), line: 1, column: 1 };
}
