import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { SourceFile, valueAtPath, type Range } from './source-file.js';
import type { ParseProblem } from './toml-file.js';

export type YamlPath = readonly (string | number)[];

/** Alias expansion is bounded so a "billion laughs" file cannot exhaust memory. */
const MAX_ALIAS_COUNT = 1000;

/** A YAML file (a workflow, actionlint.yaml, .pre-commit-hooks.yaml): values plus node ranges. */
export class YamlFile extends SourceFile {
  readonly kind = 'yaml';
  readonly document: Document | undefined;
  readonly data: unknown;
  readonly parseError: ParseProblem | undefined;

  constructor(path: string, raw: string) {
    super(path, raw);
    const lineCounter = new LineCounter();
    const document = parseDocument(this.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const error = document.errors[0];
    if (error) {
      const position = lineCounter.linePos(error.pos[0]);
      this.parseError = { message: firstLine(error.message), line: position.line, column: position.col };
      return;
    }
    try {
      this.data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      this.document = document;
    } catch (failure) {
      this.parseError = { message: firstLine(failure instanceof Error ? failure.message : String(failure)), line: 1, column: 1 };
    }
  }

  /** The value at a path, e.g. ['on', 'push', 'tags', 0]. */
  get(path: YamlPath): unknown {
    return valueAtPath(this.data, path);
  }

  /** The node at a path (aliases resolved), or undefined. */
  node(path: YamlPath): Node | undefined {
    const found = this.document?.getIn(path, true);
    return isNodeLike(found) ? found : undefined;
  }

  /** The range of the value at `path`. */
  rangeOfValue(path: YamlPath): Range | undefined {
    const range = this.node(path)?.range;
    return range ? { start: range[0], end: range[1] } : undefined;
  }

  /** The range of the key of the entry at `path` (the item itself inside a sequence). */
  rangeOfKey(path: YamlPath): Range | undefined {
    if (path.length === 0) return undefined;
    const parent = path.length === 1 ? this.document?.contents : this.node(path.slice(0, -1));
    const last = path[path.length - 1];
    if (isMap(parent)) {
      const pair = (parent.items as Pair[]).find((item) => isScalar(item.key) && String(item.key.value) === String(last));
      const keyRange = pair && isScalar(pair.key) ? pair.key.range : undefined;
      return keyRange ? { start: keyRange[0], end: keyRange[1] } : undefined;
    }
    if (isSeq(parent)) return this.rangeOfValue(path);
    return undefined;
  }

  /** The key range of the deepest existing entry along `path`: where to point at a missing key. */
  rangeOfNearest(path: YamlPath): Range {
    for (let length = path.length; length > 0; length--) {
      const range = this.rangeOfKey(path.slice(0, length));
      if (range) return range;
    }
    return { start: 0, end: 0 };
  }
}

function isNodeLike(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
