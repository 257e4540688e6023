/**
 * Decides what happens to one actionlint finding:
 * - dropped: allowed by the repository's actionlint.yaml or an ignore pattern; a runner label GitHub
 *   hosts today (hosted-labels.ts) or one the rule's `runner-labels` option names; drift (the
 *   actionlint that ran, the embedded 1.7.7 of January 2025, does not know a GitHub feature that
 *   came later), unless the rule's `report-drift` option asks for it, then a warning;
 * - a warning: any other unknown runner label (a self-hosted or vendor runner, such as
 *   `depot-ubuntu-22.04`, that .github/actionlint.yaml does not declare, or a typo);
 * - an error: everything else.
 *
 * The message shapes below were observed by running the embedded wasm (see the tests):
 *   [runner-label]  label "depot-ubuntu-24.04" is unknown. available labels are "windows-latest", ...
 *   [syntax-check]  unexpected key "deployment" for "environment" section. expected one of "name", "url"
 *   [workflow-call] reusable workflow call "$/.github/workflows/x.yml" at "uses" is not following the format ...
 *   [action]        specifying action "$/.github/actions/foo" in invalid format because ref is missing. ...
 *   [permissions]   unknown permission scope "models". all available permission scopes are ...
 *   [expression]    property "check_run_id" is not defined in object type {container: {...}; services: ...; status: string}
 *   [events]        maximum number of inputs for "workflow_dispatch" event is 10 but 12 inputs are provided. ...
 *   [action]        input "pip-install" is not defined in action "actions/setup-python@v5". available inputs are ...
 * Config-variable findings ("undefined configuration variable ...") are never produced by the wasm
 * (it reads no config); they are handled for the day it does.
 */
import type { ActionlintConfig } from './config.js';
import { githubHostedRunnerLabels, isGitHubHostedLabel } from './hosted-labels.js';
import { cachedGoRegexp, compileDoublestarGlob, compileGoPathPattern, unquoteGo } from './patterns.js';
import { EMBEDDED_ACTIONLINT_VERSION, type ActionlintResult } from './types.js';

export type ActionlintClassification =
  | { keep: false }
  | { keep: true; severity: 'error' | 'warning'; message: string };

export interface ClassifyOptions {
  /**
   * RE2 regexes matched against actionlint's message, as actionlint's `-ignore` does (the rule's
   * `ignore` option; an invalid one matches nothing: check them with `validateIgnorePatterns` first).
   */
  ignore?: readonly string[];
  /** More runner labels that are never unknown (Go path.Match globs, case-insensitive): the rule's `runner-labels` option. */
  runnerLabels?: readonly string[];
  /** Keep drift findings, as warnings (the rule's `report-drift` option); dropped otherwise. */
  reportDrift?: boolean;
  /** Which actionlint answered, for the drift note (default: "the embedded actionlint 1.7.7"). */
  actionlint?: string;
}

const EMBEDDED = `the embedded actionlint ${EMBEDDED_ACTIONLINT_VERSION}`;

/**
 * GitHub features newer than the embedded actionlint, reported as warnings instead of errors.
 * Keep this list small and sourced: each entry is a feature GitHub documents and actionlint 1.7.7
 * rejects. Drop entries when the embedded actionlint is upgraded past them.
 */
export const NEWER_THAN_EMBEDDED_ACTIONLINT = {
  /** `unexpected key "<key>" for "<section>" section` [syntax-check]. */
  unexpectedKeys: [
    // environment.deployment: false (run in an environment without creating a deployment), 2026.
    { section: 'environment', key: 'deployment' },
    // jobs.<id>.snapshot: build a custom runner image from the job (custom images, late 2025).
    { section: 'job', key: 'snapshot' },
  ],
  /** `unknown permission scope "<scope>"` [permissions]. */
  permissionScopes: [
    'models', // GitHub Models, 2025 (actionlint 1.7.8)
    'artifact-metadata', // known to actionlint 1.7.12
    'vulnerability-alerts', // in GitHub's workflow syntax docs, 2026
  ],
  /** `property "<name>" is not defined in object type {container: ...}` [expression]: the `job` context. */
  jobContextProperties: [
    'check_run_id', // actionlint 1.7.8
    'workflow_ref',
    'workflow_sha',
    'workflow_repository',
    'workflow_file_path',
  ],
  /** GitHub raised the workflow_dispatch input limit from 10 to 25 (December 2025; actionlint 1.7.10). */
  workflowDispatchMaxInputs: 25,
  /** `input "<name>" is not defined in action "<action>"` [action], for inputs added to a major tag later. */
  actionInputs: {
    'actions/setup-python@v5': ['pip-version', 'pip-install'],
    'actions/download-artifact@v4': ['artifact-ids'],
  } as Record<string, string[]>,
} as const;

interface Drift {
  /** Why it is only a warning, appended to the message. */
  note: string;
}

function detectDrift(result: ActionlintResult, actionlint: string): Drift | null {
  const { kind, message } = result;
  const drift = NEWER_THAN_EMBEDDED_ACTIONLINT;
  const note = `${actionlint} predates this GitHub feature`;

  if (kind === 'syntax-check') {
    const m = /^unexpected key "((?:[^"\\]|\\.)*)" for "((?:[^"\\]|\\.)*)" section/.exec(message);
    if (m && drift.unexpectedKeys.some((k) => k.key === unquoteGo(m[1]!) && k.section === unquoteGo(m[2]!))) {
      return { note };
    }
  }
  if (kind === 'permissions') {
    const m = /^unknown permission scope "((?:[^"\\]|\\.)*)"/.exec(message);
    if (m && (drift.permissionScopes as readonly string[]).includes(unquoteGo(m[1]!))) return { note };
  }
  // Self-repository references (`uses: $/path`), newer than every released actionlint as of 2026.
  if (kind === 'workflow-call' && /^reusable workflow call "\$\/[^/"]/.test(message)) return { note };
  if (kind === 'action' && /^specifying action "\$\/[^/"]/.test(message)) return { note };
  if (kind === 'expression') {
    const m = /^property "((?:[^"\\]|\\.)*)" is not defined in object type \{container: /.exec(message);
    if (m && (drift.jobContextProperties as readonly string[]).includes(unquoteGo(m[1]!))) return { note };
  }
  if (kind === 'events') {
    const m = /^maximum number of inputs for "workflow_dispatch" event is \d+ but (\d+) inputs are provided/.exec(message);
    if (m && Number(m[1]) <= drift.workflowDispatchMaxInputs) {
      return { note: `GitHub allows ${drift.workflowDispatchMaxInputs} inputs since December 2025; ${note}` };
    }
  }
  if (kind === 'action') {
    const m = /^input "((?:[^"\\]|\\.)*)" is not defined in action "((?:[^"\\]|\\.)*)"/.exec(message);
    if (m) {
      const known = drift.actionInputs[unquoteGo(m[2]!)];
      if (known?.includes(unquoteGo(m[1]!))) return { note: `the input was added after ${actionlint}` };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Dropping what the configuration allows

const labelMatchers = new WeakMap<ActionlintConfig, RegExp[]>();
const pathMatchers = new WeakMap<ActionlintConfig, { glob: RegExp; ignore: RegExp[] }[]>();

function configLabelMatchers(config: ActionlintConfig): RegExp[] {
  let hit = labelMatchers.get(config);
  if (!hit) {
    hit = [];
    for (const label of config.selfHostedRunnerLabels) {
      // Case-insensitive: GitHub matches runner labels case-insensitively (actionlint's own
      // `filepath.Match` does not, which only ever makes it stricter).
      const compiled = compileGoPathPattern(label, 'i');
      if (compiled.ok) hit.push(compiled.regex);
    }
    labelMatchers.set(config, hit);
  }
  return hit;
}

function configPathMatchers(config: ActionlintConfig): { glob: RegExp; ignore: RegExp[] }[] {
  let hit = pathMatchers.get(config);
  if (!hit) {
    hit = [];
    for (const entry of config.paths) {
      const glob = compileDoublestarGlob(entry.glob);
      if (!glob.ok) continue;
      const ignore = entry.ignore.map(cachedGoRegexp).filter((r): r is RegExp => r !== null);
      hit.push({ glob: glob.regex, ignore });
    }
    pathMatchers.set(config, hit);
  }
  return hit;
}

/** The label of a `label "x" is unknown. available labels are ...` finding. */
function unknownRunnerLabel(result: ActionlintResult): string | undefined {
  if (result.kind !== 'runner-label') return undefined;
  const m = /^label "((?:[^"\\]|\\.)*)" is unknown\./.exec(result.message);
  return m ? unquoteGo(m[1]!) : undefined;
}

function allowedByConfig(result: ActionlintResult, config: ActionlintConfig): boolean {
  const label = unknownRunnerLabel(result);
  if (label !== undefined && configLabelMatchers(config).some((re) => re.test(label))) return true;
  if (result.kind === 'expression') {
    const m =
      /^undefined configuration variable "((?:[^"\\]|\\.)*)"/.exec(result.message) ??
      /^no configuration variable is allowed since the variables list is empty in actionlint\.yaml\. you may forget adding the variable "((?:[^"\\]|\\.)*)"/.exec(
        result.message,
      );
    if (m) {
      if (config.configVariables === null) return true;
      const name = unquoteGo(m[1]!).toLowerCase();
      if (config.configVariables.some((v) => v.toLowerCase() === name)) return true;
    }
  }
  const path = result.path.replace(/\\/g, '/').replace(/^\.\//, '');
  for (const entry of configPathMatchers(config)) {
    if (entry.glob.test(path) && entry.ignore.some((re) => re.test(result.message))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Display

/** Shortens actionlint's long enumerations ("available labels are" 36 names, a 40-property type). */
export function abbreviateActionlintMessage(message: string): string {
  // Lists of more than 20 quoted names (runner labels): keep the first six. Shorter lists (keys,
  // permission scopes, action inputs) stay whole: they are how one spots a typo.
  let out = message.replace(/"(?:[^"\\]|\\.)*"(?:, "(?:[^"\\]|\\.)*"){20,}/g, (list) => {
    const items = list.match(/"(?:[^"\\]|\\.)*"/g) ?? [];
    return `${items.slice(0, 6).join(', ')}, … (${items.length} in all)`;
  });
  // Object types longer than 200 characters: `{...}`.
  out = out.replace(/object type (\{.*\})/s, (whole, type: string) => (type.length > 200 ? 'object type {...}' : whole));
  return out;
}

const optionLabelMatchers = new WeakMap<readonly string[], RegExp[]>();

/** Whether the rule's `runner-labels` option names `label` (an invalid glob matches nothing). */
function declaredByOption(label: string, patterns: readonly string[]): boolean {
  let matchers = optionLabelMatchers.get(patterns);
  if (!matchers) {
    matchers = patterns.flatMap((pattern) => {
      const compiled = compileGoPathPattern(pattern, 'i');
      return compiled.ok ? [compiled.regex] : [];
    });
    optionLabelMatchers.set(patterns, matchers);
  }
  return matchers.some((re) => re.test(label));
}

/**
 * An unknown label that GitHub does not host either: actionlint's own list of labels is left out
 * (it is the list of its release: stale for the embedded 1.7.7), the fix is said instead.
 */
function unknownLabelMessage(label: string): string {
  return (
    `[runner-label] ${JSON.stringify(label)} is not a GitHub-hosted runner label (list of ${githubHostedRunnerLabels().checked}) nor declared in .github/actionlint.yaml: ` +
    'for a self-hosted or vendor runner, list it under self-hosted-runner.labels in .github/actionlint.yaml; ' +
    'for a GitHub label newer than the list, add it to the runner-labels option of workflow/actionlint'
  );
}

/** Classifies one finding. `config` is the parsed `.github/actionlint.yaml`, if any. */
export function classifyActionlintResult(
  result: ActionlintResult,
  config: ActionlintConfig | null | undefined,
  options: ClassifyOptions = {},
): ActionlintClassification {
  for (const pattern of options.ignore ?? []) {
    const re = cachedGoRegexp(pattern);
    if (re?.test(result.message)) return { keep: false };
  }
  if (config && allowedByConfig(result, config)) return { keep: false };

  const label = unknownRunnerLabel(result);
  if (label !== undefined) {
    if (isGitHubHostedLabel(label) || declaredByOption(label, options.runnerLabels ?? [])) return { keep: false };
    return { keep: true, severity: 'warning', message: unknownLabelMessage(label) };
  }
  const text = `[${result.kind}] ${abbreviateActionlintMessage(result.message)}`;
  const drift = detectDrift(result, options.actionlint ?? EMBEDDED);
  if (drift) return options.reportDrift ? { keep: true, severity: 'warning', message: `${text} (warning: ${drift.note})` } : { keep: false };
  return { keep: true, severity: 'error', message: text };
}
