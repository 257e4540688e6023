import { defineRule } from '../../src/engine/rule.js';
import { maskToken } from '../../src/format/mask.js';
import { packageReadme, rootReadme } from '../../src/markdown/readmes.js';
import { workflowModels } from '../../src/plan/release-plan.js';
import type { WorkflowModel } from '../../src/workflow/model.js';
import type { Project } from '../../src/project/project.js';
import type { Range, SourceFile } from '../../src/project/source-file.js';
import type { YamlPath } from '../../src/project/yaml-file.js';
import { describeOffset, describePath } from '../../src/secrets/describe.js';

/**
 * A PyPI API token: `pypi-` and a base64url macaroon. Real ones are 150+ characters and start with
 * "AgE"; short look-alikes (a doc's truncated "pypi-AgEIcHlwaS5vcmc...") leak nothing and are left alone.
 */
const TOKEN = /pypi-(?:AgE[A-Za-z0-9_-]{50,}|[A-Za-z0-9_-]{100,})/g;

/** Environment variables upload tools read a password or token from. */
const PASSWORD_VARIABLES = new Set([
  'TWINE_PASSWORD',
  'UV_PUBLISH_TOKEN',
  'UV_PUBLISH_PASSWORD',
  'POETRY_PYPI_TOKEN_PYPI',
  'POETRY_HTTP_BASIC_PYPI_PASSWORD',
  'HATCH_INDEX_AUTH',
  'FLIT_PASSWORD',
  'PDM_PUBLISH_PASSWORD',
]);

/** Upload commands with their password/token option, and `poetry config pypi-token.pypi VALUE`. */
const UPLOAD_COMMAND = /\b(?:twine\s+upload|uv\s+publish|poetry\s+publish|hatch\s+publish|pdm\s+publish|flit\s+publish)\b/g;
const COMMAND_END = /[\n;&|]/g;
const PASSWORD_FLAG = /\s(?:-p|--password|--token|-t|-a|--auth|-P)(?:\s+|=)("[^"]*"|'[^']*'|[^\s;&|]+)/g;
const POETRY_TOKEN = /\bpoetry\s+config\s+pypi-token\.[\w-]+\s+("[^"]*"|'[^']*'|[^\s;&|]+)/g;

export default defineRule({
  meta: {
    id: 'secrets/hardcoded',
    category: 'security',
    defaultSeverity: 'error',
    fixable: 'none',
    description: 'A literal PyPI token or upload password in a file of the repository.',
    docs: {
      catches:
        'A literal PyPI API token (`pypi-` followed by a macaroon) in any file the linter reads: workflows, pyproject.toml ' +
        'files, docs, package readmes, the actionlint config. In workflows also a literal upload password: a value that is ' +
        'not an expression in `TWINE_PASSWORD`, `UV_PUBLISH_TOKEN`, `POETRY_PYPI_TOKEN_PYPI` and the other upload variables, ' +
        "in `pypa/gh-action-pypi-publish`'s `password:`, or after `--password`/`--token` of an upload command. The token is " +
        'shown masked (its first characters only) in the message and in every output format.',
      why:
        'Everyone who can read the repository, its forks and its history can upload any version of the package with a ' +
        'committed token, and deleting the line does not remove it from git history. Bots scan public repositories for ' +
        '`pypi-` tokens within minutes; PyPI revokes the ones it is told about, after the fact.',
      failing: {
        file: '.github/workflows/publish.yml',
        content: 'jobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: twine upload dist/*\n        env:\n          TWINE_USERNAME: __token__\n          TWINE_PASSWORD: pypi-AgEI…  # the whole token, some 200 characters\n',
      },
      passing: {
        file: '.github/workflows/publish.yml',
        content: 'jobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: twine upload dist/*\n        env:\n          TWINE_USERNAME: __token__\n          TWINE_PASSWORD: ${{ secrets.PYPI_API_TOKEN }}\n',
      },
      fixSafety: 'No fix: the token has to be revoked on PyPI (it is public already), and a new one stored as a repository secret.',
    },
  },
  check({ project, report }) {
    const workflows = new Map(workflowModels(project).map((workflow) => [workflow.file.path, workflow]));
    const reported: { file: string; range: Range }[] = [];
    const overlaps = (file: string, range: Range): boolean => reported.some((entry) => entry.file === file && range.start < entry.range.end && entry.range.start < range.end);
    for (const file of filesRead(project)) {
      for (const match of file.text.matchAll(TOKEN)) {
        const range = { start: match.index, end: match.index + match[0].length };
        const workflow = workflows.get(file.path);
        const where = workflow ? describeOffset(workflow, range.start) : `in ${file.path}`;
        reported.push({ file: file.path, range });
        report({
          file,
          range,
          message:
            `literal PyPI API token ${maskToken(match[0])} ${where}: anyone who can read the repository can upload with it; ` +
            'revoke it on PyPI now, store a new token as a repository secret and read it with ${{ secrets.NAME }}',
        });
      }
    }
    for (const workflow of workflows.values()) {
      for (const place of literalPasswords(workflow)) {
        if (overlaps(workflow.file.path, place.range)) continue;
        report({
          file: workflow.file,
          range: place.range,
          message:
            `literal upload password (${place.length} characters, not shown here) ${place.where}: anyone who can read the repository can upload with it; ` +
            'change it, and read the new one from a secret (${{ secrets.NAME }}) or use trusted publishing',
        });
      }
    }
  },
});

/** Every file the linter reads, once: workflows, pyprojects, docs, the root and package readmes, the actionlint config. */
function filesRead(project: Project): SourceFile[] {
  const files = new Map<string, SourceFile>();
  const add = (file: SourceFile | undefined): void => {
    if (file && !files.has(file.path)) files.set(file.path, file);
  };
  for (const file of [...project.workflows, ...project.pyprojects, ...project.docs]) add(file);
  add(project.actionlintConfig);
  add(rootReadme(project));
  for (const pkg of project.packages) add(packageReadme(project, pkg));
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

function isLiteral(value: unknown): value is string | number {
  if (typeof value === 'number') return true;
  if (typeof value !== 'string') return false;
  const text = value.trim().replace(/^["']|["']$/g, '');
  return text !== '' && !text.includes('${{') && !text.startsWith('$') && !/^<[^>]*>$/.test(text);
}

function literalPasswords(workflow: WorkflowModel): { range: Range; where: string; length: number }[] {
  const found: { range: Range; where: string; length: number }[] = [];
  const file = workflow.file;
  const checkEnv = (env: Record<string, unknown>, prefix: YamlPath): void => {
    for (const [key, value] of Object.entries(env)) {
      if (!PASSWORD_VARIABLES.has(key) || !isLiteral(value)) continue;
      const path = [...prefix, 'env', key];
      const range = file.rangeOfValue(path);
      if (range) found.push({ range, where: describePath(workflow, path), length: String(value).length });
    }
  };
  checkEnv(workflow.env, []);
  for (const job of workflow.jobs) {
    checkEnv(job.env, job.path);
    for (const step of job.steps) {
      checkEnv(step.env, step.path);
      if (/^pypa\/gh-action-pypi-publish@/.test(step.uses ?? '') && isLiteral(step.with.password)) {
        const path = [...step.path, 'with', 'password'];
        const range = file.rangeOfValue(path);
        if (range) found.push({ range, where: describePath(workflow, path), length: String(step.with.password).length });
      }
      if (!step.run) continue;
      const runRange = file.rangeOfValue([...step.path, 'run']);
      if (!runRange) continue;
      const source = file.text.slice(runRange.start, runRange.end);
      let searchFrom = 0; // values come in order: each is looked for after the last
      for (const value of passwordArguments(step.run)) {
        if (!isLiteral(value)) continue;
        const at = source.indexOf(value, searchFrom);
        if (at >= 0) searchFrom = at + value.length;
        const range = at < 0 ? runRange : { start: runRange.start + at, end: runRange.start + at + value.length };
        found.push({ range, where: describePath(workflow, [...step.path, 'run']), length: value.replace(/^["']|["']$/g, '').length });
      }
    }
  }
  return found;
}

/**
 * The values of password options in a script, in order: `-p`/`--password`/`--token`… after an
 * upload command in the same command (up to `;`, `&`, `|` or a line break), and
 * `poetry config pypi-token.X VALUE`; left to right, never overlapping. Linear: every search
 * resumes where the last stopped, and once a command has no password option before its end,
 * neither has a later upload command before that end.
 */
function passwordArguments(run: string): string[] {
  const values: string[] = [];
  let commandEnd = -1;
  let flag: RegExpExecArray | null | undefined;
  let poetry: RegExpExecArray | null | undefined;
  /** The next upload command from `from` that has a password option: [start, end of its value, value]. */
  const nextUpload = (from: number): [number, number, string] | undefined => {
    UPLOAD_COMMAND.lastIndex = from;
    for (let command = UPLOAD_COMMAND.exec(run); command !== null; command = UPLOAD_COMMAND.exec(run)) {
      const after = UPLOAD_COMMAND.lastIndex;
      if (commandEnd < after) {
        COMMAND_END.lastIndex = after;
        commandEnd = COMMAND_END.exec(run)?.index ?? run.length;
      }
      if (flag === undefined || (flag !== null && flag.index < after)) {
        PASSWORD_FLAG.lastIndex = after;
        flag = PASSWORD_FLAG.exec(run);
      }
      // the option's leading space may be the line break that ends the command, as in the lazy `[^\n;&|]*?\s` this replaces
      if (flag !== null && flag.index <= commandEnd) return [command.index, flag.index + flag[0].length, flag[1]!];
      UPLOAD_COMMAND.lastIndex = commandEnd;
    }
    return undefined;
  };
  let upload: [number, number, string] | undefined | null = null;
  for (let from = 0; ; ) {
    if (upload === null || (upload !== undefined && upload[0] < from)) upload = nextUpload(from); // else still the next one
    if (poetry === undefined || (poetry !== null && poetry.index < from)) {
      POETRY_TOKEN.lastIndex = from;
      poetry = POETRY_TOKEN.exec(run);
    }
    if (upload && (poetry === null || upload[0] <= poetry.index)) {
      values.push(upload[2]);
      from = upload[1];
    } else if (poetry !== null) {
      values.push(poetry[1]!);
      from = poetry.index + poetry[0].length;
    } else return values;
  }
}
