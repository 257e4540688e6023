import { describe, expect, it } from 'vitest';
import { decide, evaluate, parseExpression, type Candidates, type ContextLookup } from '../src/workflow/expression.js';

const values = (...list: (string | number | boolean | null)[]): Candidates => list.map((value) => ({ value }));

/** A lookup over a plain table of context paths ('inputs.package' → values); anything else is unknown. */
function lookupOf(table: Record<string, Candidates>): ContextLookup {
  return (path) => table[path.join('.')];
}

function evaluated(source: string, table: Record<string, Candidates> = {}): unknown[] | undefined {
  const parsed = parseExpression(source);
  expect(parsed, source).toBeDefined();
  return evaluate(parsed!, lookupOf(table))?.map((candidate) => candidate.value);
}

describe('GitHub expressions', () => {
  it.each([
    ["'a' == 'A'", [true]],
    ["startsWith('refs/tags/v1', 'REFS/TAGS/')", [true]],
    ["endsWith('core-v1.2', '1.2')", [true]],
    ["contains(fromJSON('[\"a\",\"b\"]'), 'b')", [true]],
    ["format('{0}-v{1}', 'core', '1.0')", ['core-v1.0']],
    ["format('{{{0}}}', 'x')", ['{x}']],
    ["join(fromJSON('[\"a\",\"b\"]'), '+')", ['a+b']],
    ['1 == true', [true]],
    ["'' || 'fallback'", ['fallback']],
    ["'set' && 'second'", ['second']],
    ['!0', [true]],
    ['null == 0', [true]],
    ["(1 < 2) && 'yes'", ['yes']],
    ['0x10 == 16', [true]],
  ])('%s', (source, expected) => {
    expect(evaluated(source)).toEqual(expected);
  });

  it('enumerates every value of a context and every combination of two', () => {
    const table = { 'inputs.package': values('core', 'plugin'), 'matrix.python': values('3.10', '3.12') };
    expect(evaluated("format('{0}@{1}', inputs.package, matrix.python)", table)).toEqual(['core@3.10', 'core@3.12', 'plugin@3.10', 'plugin@3.12']);
    expect(evaluated('inputs.package', table)).toEqual(['core', 'plugin']);
  });

  it('reads properties and indexes of objects and arrays', () => {
    const table = { 'matrix.package': [{ value: { name: 'core', path: 'libs/core' } }] };
    expect(evaluated('matrix.package.path', { 'matrix.package.path': values('libs/core') })).toEqual(['libs/core']);
    expect(evaluated("fromJSON('{\"a\":[1,2]}').a[1]")).toEqual([2]);
    expect(evaluated("fromJSON('{\"Name\":1}')['name']")).toEqual([1]);
    expect(table).toBeDefined();
  });

  it('is unknown when a context is unknown or an expression does not parse', () => {
    expect(evaluated('secrets.TOKEN')).toBeUndefined();
    expect(parseExpression("startsWith(github.ref, 'refs/tags/'")).toBeUndefined();
    expect(parseExpression("'unclosed")).toBeUndefined();
    expect(parseExpression('a ++ b')).toBeUndefined();
  });

  it('decides conditions in three-valued logic', () => {
    const lookup = lookupOf({ 'github.event_name': values('push'), 'github.ref': values('refs/tags/core-v1.0') });
    expect(decide("startsWith(github.ref, 'refs/tags/')", lookup)).toBe(true);
    expect(decide("${{ github.event_name == 'release' }}", lookup)).toBe(false);
    expect(decide("github.event_name == 'push' && inputs.dry-run != true", lookup)).toBeUndefined();
    expect(decide("github.event_name == 'release' && inputs.dry-run", lookup)).toBe(false);
    expect(decide("secrets.X != '' || github.event_name == 'push'", lookup)).toBe(true);
    expect(decide('always() && !cancelled()', lookup)).toBe(true);
    expect(decide(undefined, lookup)).toBe(true);
    expect(decide('not an expression (', lookup)).toBeUndefined();
  });
});
