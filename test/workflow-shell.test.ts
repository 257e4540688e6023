import { describe, expect, it } from 'vitest';
import { expandWord, traceShell, type ShellValue } from '../src/workflow/shell.js';

type Value = ShellValue<string> | undefined;

function trace(script: string, variables: Record<string, string | undefined> = {}, expressions: Record<string, string> = {}) {
  return traceShell<string>(script, {
    variables: new Map(Object.entries(variables).map(([name, value]): [string, Value] => [name, value === undefined ? undefined : { value, origin: `var ${name}` }])),
    expression: (expression) => {
      const key = expression.trim();
      return key in expressions ? { value: expressions[key]!, origin: `expr ${key}` } : undefined;
    },
  });
}

const words = (command: { words: Value[] }): (string | undefined)[] => command.words.map((word) => word?.value);

describe('shell tracing', () => {
  it('splits commands and follows cd, pushd, popd and subshells', () => {
    const result = trace('cd packages/core && python -m build\n(cd ../other; uv build)\npushd docs\nmake html\npopd\ntwine upload dist/*');
    expect(result.commands.map((command) => [words(command).join(' '), command.cwd?.value])).toEqual([
      ['python -m build', 'packages/core'],
      ['uv build', 'packages/core/../other'],
      ['make html', 'packages/core/docs'],
      ['twine upload dist/*', 'packages/core'],
    ]);
  });

  it('applies parameter expansions to tag-derived variables', () => {
    const result = trace('PACKAGE="${GITHUB_REF_NAME%-v*}"\nVERSION=${GITHUB_REF#refs/tags/*-v}\ncd "packages/$PACKAGE"\necho ${PACKAGE//-/_} ${VERSION} ${MISSING:-default} ${PACKAGE^^}', {
      GITHUB_REF_NAME: 'opentelemetry-instrumentation-openai-v0.40.1',
      GITHUB_REF: 'refs/tags/opentelemetry-instrumentation-openai-v0.40.1',
    });
    expect(result.commands).toHaveLength(1);
    expect(result.commands[0]!.cwd).toEqual({ value: 'packages/opentelemetry-instrumentation-openai', origin: 'var GITHUB_REF_NAME' });
    expect(words(result.commands[0]!)).toEqual(['echo', 'opentelemetry_instrumentation_openai', '0.40.1', 'default', 'OPENTELEMETRY-INSTRUMENTATION-OPENAI']);
  });

  it('takes the shortest or longest match for # ## % %%', () => {
    const variables = new Map<string, Value>([['T', { value: 'a-v1-v2' }]]);
    const expand = (text: string) => expandWord<string>(text, variables, () => undefined)?.value;
    expect([expand('${T%-v*}'), expand('${T%%-v*}'), expand('${T#*-v}'), expand('${T##*-v}')]).toEqual(['a-v1', 'a', '1-v2', '2']);
  });

  it('records outputs and env writes, and later steps see env variables', () => {
    const result = trace('echo "dir=libs/${NAME}" >> "$GITHUB_OUTPUT"\necho "PKG=core" >> $GITHUB_ENV\necho "::set-output name=legacy::x"\necho $PKG', { NAME: 'core' });
    expect(result.outputs.get('dir')?.value).toBe('libs/core');
    expect(result.outputs.get('legacy')?.value).toBe('x');
    expect(result.env.get('PKG')?.value).toBe('core');
    expect(words(result.commands[3]!)).toEqual(['echo', 'core']);
  });

  it('substitutes ${{ }} expressions and leaves unknown words unknown', () => {
    const result = trace('uv build --package ${{ matrix.package }} --out-dir $(mktemp -d)\nbuild ${{ secrets.X }} `date` $UNSET', {}, { 'matrix.package': 'acme-core' });
    expect(words(result.commands[0]!)).toEqual(['uv', 'build', '--package', 'acme-core', '--out-dir', undefined]);
    expect(result.commands[0]!.words[3]!.origin).toBe('expr matrix.package');
    expect(words(result.commands[1]!)).toEqual(['build', undefined, undefined, undefined]);
  });

  it('runs a for loop body once per word, and once with the variable unknown for a computed list', () => {
    const result = trace('for pkg in core plugin; do\n  (cd "libs/$pkg" && python -m build)\ndone\nfor x in $(ls); do echo $x; done');
    expect(result.commands.map((command) => [words(command).join(' '), command.cwd?.value])).toEqual([
      ['python -m build', 'libs/core'],
      ['python -m build', 'libs/plugin'],
      ['echo ', ''],
    ]);
    expect(result.commands[2]!.words[1]).toBeUndefined();
  });

  it('skips heredoc bodies, comments and keywords', () => {
    const result = trace('cat <<EOF > notes.txt\ncd nowhere\nEOF\n# cd commented\nif [ -n "$X" ]; then\n  cd inside\nfi\nhatch build');
    expect(result.commands.map((command) => words(command).join(' '))).toEqual(['cat', '[ -n  ]', 'hatch build']);
    expect(result.commands[2]!.cwd?.value).toBe('inside');
  });
});
