/** How an upload authenticates: which token (and which secret feeds it), or trusted publishing. */
import type { YamlPath } from '../project/yaml-file.js';
import type { Mapping } from '../workflow/model.js';
import { secretReference, type Origin } from '../workflow/values.js';
import type { JobRun } from './job-runs.js';
import type { StepRun } from './step-runs.js';

/** How an upload authenticates: a token secret (named as the entry workflow sees it), or trusted publishing. */
export type Credential =
  | {
      kind: 'token';
      secret: string | undefined;
      variable: string;
      /** Where the token is handed to the upload (`TWINE_PASSWORD: ...`, `password: ...`, `--token ...`). */
      origin?: Origin;
      /** Where the entry workflow names the secret (the outermost caller's `secrets:` entry, or `origin`). */
      secretOrigin?: Origin;
    }
  | { kind: 'trusted' }
  /** No token in the workflow for an upload to another index: its credentials come from the runner (.pypirc, keyring). */
  | { kind: 'external' };

const TOKEN_VARIABLES = ['TWINE_PASSWORD', 'UV_PUBLISH_TOKEN', 'UV_PUBLISH_PASSWORD', 'POETRY_PYPI_TOKEN_PYPI', 'HATCH_INDEX_AUTH', 'FLIT_PASSWORD', 'PDM_PUBLISH_PASSWORD', 'MATURIN_PYPI_TOKEN', 'MATURIN_PASSWORD'];

/**
 * A token handed on the command line (`--token ${{ ... }}`, `poetry config pypi-token.pypi ${{ ... }}`),
 * or written by an earlier step to $GITHUB_ENV or a .pypirc (`TWINE_PASSWORD=${{ ... }}`, `password = ${{ ... }}`).
 * Bounded (`[^}\n]{0,200}`) so a long line costs linear time.
 */
const TOKEN_ARGUMENT = /(?:^|\s)(--token|--password|--auth|-[tpaP]|pypi-token\.[A-Za-z0-9_-]+)[=\s]+["']?(\$\{\{[^}\n]{0,200}\}\})/;
const TOKEN_EXPORT = new RegExp(`\\b(${TOKEN_VARIABLES.join('|')}|POETRY_PYPI_TOKEN_\\w+|password)\\s*[:=]\\s*["']?(\\$\\{\\{[^}\\n]{0,200}\\}\\})`);

/**
 * The credential of an upload: a token variable, `password:` input, command-line token or exported
 * token (with the secret it reads, renamed through every caller's `secrets:` up to the entry
 * workflow), else trusted publishing.
 */
export function credentialOf(upload: StepRun, job: JobRun, earlierSteps: readonly StepRun[]): Credential {
  const { step } = upload;
  const file = step.file;
  const workflowFile = job.workflow.file;
  const scopes: [Mapping, Origin['file'], YamlPath][] = [
    [step.env, file, [...step.path, 'env']],
    [job.job.env, workflowFile, [...job.job.path, 'env']],
    [job.workflow.env, workflowFile, ['env']],
  ];
  const fromEnvironment = TOKEN_VARIABLES.flatMap((variable) => {
    const scope = scopes.find(([env]) => env[variable] !== undefined);
    return scope ? [{ variable, value: scope[0][variable], origin: { file: scope[1], path: [...scope[2], variable] } }] : [];
  })[0];
  const fromArgument = (): { variable: string; value: unknown; origin: Origin } | undefined => {
    for (const earlier of [upload, ...[...earlierSteps].reverse()]) {
      const run = earlier.step.run;
      const match = run ? (TOKEN_ARGUMENT.exec(run) ?? TOKEN_EXPORT.exec(run)) : null;
      if (match) return { variable: match[1]!, value: match[2], origin: { file: earlier.step.file, path: [...earlier.step.path, 'run'] } };
    }
    return undefined;
  };
  const password = step.with.password;
  const found =
    fromEnvironment ?? (password !== undefined ? { variable: 'password', value: password, origin: { file, path: [...step.path, 'with', 'password'] } } : fromArgument());
  if (!found) return { kind: 'trusted' };
  const { variable, value, origin } = found;
  let secret = secretReference(value);
  if (secret === undefined) return { kind: 'token', secret: undefined, variable, origin };
  let secretOrigin: Origin = origin;
  // Up the call chain: each caller passes the secret under the name its callee reads.
  for (let caller = job.frame.caller; caller && secret !== undefined; caller = caller.frame.caller) {
    const passed = caller.job.secrets;
    if (passed === 'inherit') continue;
    const key = Object.keys(passed ?? {}).find((name) => name.toLowerCase() === secret!.toLowerCase());
    if (key === undefined) {
      secret = undefined;
      break;
    }
    secret = secretReference(passed![key]);
    secretOrigin = { file: caller.workflow.file, path: [...caller.job.path, 'secrets', key] };
  }
  return { kind: 'token', secret, variable, origin, secretOrigin };
}
