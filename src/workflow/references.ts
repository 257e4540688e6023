/**
 * Every `inputs.X` / `secrets.X` (and `github.event.inputs.X`) a workflow reads inside `${{ }}`
 * expressions and `if:` conditions, with its exact range in the file. Scans the source text of each
 * scalar, so a reference inside a `run: |` block points at its own line and column.
 */
import { isPair, isScalar, visit, type Scalar } from 'yaml';
import type { Range } from '../project/source-file.js';
import type { YamlFile } from '../project/yaml-file.js';
import { expressionSpans } from './expression-spans.js';

export interface ExpressionReference {
  context: 'inputs' | 'secrets';
  name: string;
  /** `github.event.inputs.X` (workflow_dispatch only) rather than `inputs.X`. */
  eventInputs: boolean;
  range: Range;
}

const DOTTED = /(?<![\w.-])(github\.event\.inputs|inputs|secrets)\.([A-Za-z_][A-Za-z0-9_-]*)/g;
const INDEXED = /(?<![\w.-])(github\.event\.inputs|inputs|secrets)\[\s*'([^']*)'\s*\]/g;
const STRING_LITERAL = /'(?:[^']|'')*'/g;

const cache = new WeakMap<YamlFile, ExpressionReference[]>();

export function expressionReferences(file: YamlFile): ExpressionReference[] {
  let found = cache.get(file);
  if (found) return found;
  found = [];
  const list = found;
  if (file.document) {
    visit(file.document, {
      Scalar(key, node, path) {
        if (key === 'key' || typeof node.value !== 'string' || !node.range) return;
        const parent = path[path.length - 1];
        const isCondition = isPair(parent) && isScalar(parent.key) && (parent.key as Scalar).value === 'if';
        scanScalar(file, node, isCondition, list);
      },
    });
  }
  cache.set(file, found);
  return found;
}

function scanScalar(file: YamlFile, node: Scalar, isCondition: boolean, out: ExpressionReference[]): void {
  const [start, end] = node.range!;
  const source = file.text.slice(start, end);
  const bodies: { text: string; offset: number }[] = [];
  for (const expression of expressionSpans(source)) bodies.push({ text: expression.body, offset: start + expression.bodyStart });
  if (isCondition && bodies.length === 0) bodies.push({ text: source, offset: start });
  for (const body of bodies) {
    for (const match of body.text.matchAll(INDEXED)) out.push(reference(match, body.offset));
    // Blank out string literals so 'inputs.x' inside quotes is not read as a reference.
    const code = body.text.replace(STRING_LITERAL, (literal) => ' '.repeat(literal.length));
    for (const match of code.matchAll(DOTTED)) out.push(reference(match, body.offset));
  }
}

function reference(match: RegExpMatchArray, offset: number): ExpressionReference {
  const context = match[1]!;
  return {
    context: context === 'secrets' ? 'secrets' : 'inputs',
    name: match[2]!,
    eventInputs: context === 'github.event.inputs',
    range: { start: offset + match.index!, end: offset + match.index! + match[0].length },
  };
}
