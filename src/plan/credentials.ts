/** How an upload authenticates: which token (and which secret feeds it), or trusted publishing. */
import type { YamlPath } from '../project/yaml-file.js';
import { secretReference, type Origin } from './expressions.js';
import type { JobModel, Mapping, StepSite, WorkflowModel } from './workflow.js';

/** How an upload authenticates: a token secret (named as the entry workflow sees it), or trusted publishing. */
export type Credential =
  | {
      kind: 'token';
      secret: string | undefined;
      variable: string;
      /** Where the token is handed to the upload (`TWINE_PASSWORD: ...`, `password: ...`, `--token ...`). */
      origin?: Origin;
      /** Where the entry workflow names the secret (the caller's `secrets:` entry, or `origin`). */
      secretOrigin?: Origin;
    }
  | { kind: 'trusted' };

const TOKEN_VARIABLES = ['TWINE_PASSWORD', 'UV_PUBLISH_TOKEN', 'UV_PUBLISH_PASSWORD', 'POETRY_PYPI_TOKEN_PYPI', 'HATCH_INDEX_AUTH', 'FLIT_PASSWORD', 'PDM_PUBLISH_PASSWORD'];

/**
 * A token handed on the command line (`--token ${{ ... }}`, `poetry config pypi-token.pypi ${{ ... }}`),
 * or written by an earlier step to $GITHUB_ENV or a .pypirc (`TWINE_PASSWORD=${{ ... }}`, `password = ${{ ... }}`).
 */
const TOKEN_ARGUMENT = /(?:^|\s)(--token|--password|--auth|-[tpaP]|pypi-token\.[A-Za-z0-9_-]+)[=\s]+["']?(\$\{\{[^}]+\}\})/;
const TOKEN_EXPORT = new RegExp(`\\b(${TOKEN_VARIABLES.join('|')}|POETRY_PYPI_TOKEN_\\w+|password)\\s*[:=]\\s*["']?(\\$\\{\\{[^}]+\\}\\})`);

/**
 * The credential of an upload: a token variable, `password:` input, command-line token or exported
 * token (with the secret it reads, renamed to what the entry workflow passes), else trusted publishing.
 */
export function credentialOf(upload: StepSite, entry: WorkflowModel, entryJob: JobModel, passedSecrets: 'inherit' | Mapping | undefined): Credential {
  const file = upload.workflow.file;
  const scopes: [Mapping, YamlPath][] = [
    [upload.step.env, [...upload.step.path, 'env']],
    [upload.job.env, [...upload.job.path, 'env']],
    [upload.workflow.env, ['env']],
  ];
  const fromEnvironment = TOKEN_VARIABLES.flatMap((variable) => {
    const scope = scopes.find(([env]) => env[variable] !== undefined);
    return scope ? [{ variable, value: scope[0][variable], origin: { file, path: [...scope[1], variable] } }] : [];
  })[0];
  const fromArgument = (): { variable: string; value: unknown; origin: Origin } | undefined => {
    const steps = upload.job.steps.slice(0, upload.step.index + 1).reverse();
    for (const step of steps) {
      const match = step.run ? (TOKEN_ARGUMENT.exec(step.run) ?? TOKEN_EXPORT.exec(step.run)) : null;
      if (match) return { variable: match[1]!, value: match[2], origin: { file, path: [...step.path, 'run'] } };
    }
    return undefined;
  };
  const found =
    fromEnvironment ??
    (upload.step.with.password !== undefined ? { variable: 'password', value: upload.step.with.password, origin: { file, path: [...upload.step.path, 'with', 'password'] } } : fromArgument());
  if (!found) return { kind: 'trusted' };
  const { variable, value, origin } = found;
  const inCallee = secretReference(value);
  if (inCallee === undefined) return { kind: 'token', secret: undefined, variable, origin };
  if (passedSecrets === 'inherit') return { kind: 'token', secret: inCallee, variable, origin, secretOrigin: origin };
  const passed = passedSecrets?.[inCallee];
  return {
    kind: 'token',
    secret: secretReference(passed),
    variable,
    origin,
    secretOrigin: passed === undefined ? origin : { file: entry.file, path: [...entryJob.path, 'secrets', inCallee] },
  };
}
