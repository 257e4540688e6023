import path from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { parse as parseToml } from 'smol-toml';
import { config as validateConfigSchema } from '../generated/config-validator.js';
import type { SchemaValidator } from '../pyproject/schema.js';
import { codesOf, type Code } from '../engine/codes.js';
import type { RuleMeta, SeverityOrOff } from '../types.js';
import { defaultConfig, type LintConfig, type RuleSetting } from './config.js';
import { parseRuleOverride } from './rule-override.js';
import { MAX_FILE_BYTES, readRegularFile, type SafeReadOptions, lexists } from '../project/safe-read.js';
import { isRuleSelectorShaped, selectorProblems, type PerFileIgnore, type SelectionLayer } from './selection.js';

const SEVERITIES: readonly SeverityOrOff[] = ['off', 'info', 'warning', 'error'];
const TOOL_KEY = 'pypi-release-lint';

/** An invalid config: every problem, each naming its path in the config. Exit code 2. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.join('; ')}`);
  }
}

export interface ConfigRequest {
  /** --config FILE. */
  configFile?: string;
  /** --rule ID=SEVERITY, in order. */
  ruleOverrides?: string[];
  /** --select, --extend-select, --ignore: rule selectors, the command line's selection layer. */
  select?: string[];
  extendSelect?: string[];
  ignore?: string[];
  /** The root pyproject's parsed data, when it parsed (so it is not read twice). */
  rootPyproject?: Record<string, unknown> | undefined;
}

let optionsAjv: Ajv | undefined;

/**
 * The ajv that compiles rules' option schemas, loaded only when a config gives a rule options (a
 * custom rule's schema is known only at run time). The config schema itself is precompiled
 * (src/generated/), so a run without rule options never loads ajv. `validateSchema: false` skips
 * compiling ajv's meta-schema; test/engine-config.test.ts checks the built-in rules' schemas.
 */
function ajv(): Ajv {
  if (!optionsAjv) {
    const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    optionsAjv = new AjvClass({ allErrors: true, strict: false, validateSchema: false });
  }
  return optionsAjv;
}

/**
 * Finds and validates the config: --config FILE, else [tool.pypi-release-lint] in ROOT/pyproject.toml,
 * else ROOT/.pypi-release-lint.toml. Throws ConfigError listing every problem.
 */
export function loadConfig(root: string, request: ConfigRequest, rules: ReadonlyMap<string, RuleMeta>): LintConfig {
  const found = findConfig(root, request);
  const codes = [...rules.values()].flatMap(codesOf);
  const config = found ? validateConfig(found.raw, found.source, rules, codes) : defaultConfig();
  if (found?.shadowed) config.shadowed = found.shadowed;
  config.selection.push(commandLineLayer(config, request, rules, codes));
  return config;
}

function findConfig(root: string, request: ConfigRequest): { raw: unknown; source: string; shadowed?: string } | undefined {
  if (request.configFile) {
    // the user named this file: a link to it is followed (it is still read only if it is a regular file)
    const file = path.resolve(request.configFile);
    return { raw: readTomlConfig(file, request.configFile, { followLinks: true }), source: request.configFile };
  }
  const tool = (request.rootPyproject?.tool as Record<string, unknown> | undefined)?.[TOOL_KEY];
  const dotfile = path.join(root, '.pypi-release-lint.toml');
  // The pyproject's table wins (docs/cli.md's order); the other file is not read, which a user should hear of.
  if (tool !== undefined) return { raw: tool, source: `pyproject.toml [tool.${TOOL_KEY}]`, ...(lexists(dotfile) ? { shadowed: '.pypi-release-lint.toml' } : {}) };
  // the checkout's own file: lstat, so that a link (to /dev/zero, to a FIFO, out of the repo) is seen as one
  if (lexists(dotfile)) return { raw: readTomlConfig(dotfile, '.pypi-release-lint.toml', { followLinks: false }), source: '.pypi-release-lint.toml' };
  return undefined;
}

/** A config file's TOML: a regular file of at most MAX_FILE_BYTES, read as safe-read.ts reads any file. */
function readTomlConfig(file: string, shown: string, options: SafeReadOptions): unknown {
  const read = readRegularFile(file, MAX_FILE_BYTES, options);
  if (!read.ok) throw new ConfigError(shown, [`cannot read the config file: ${read.reason}`]);
  const text = read.bytes.toString('utf8');
  try {
    return parseToml(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const { line, column } = error as { line?: number; column?: number };
    const reason = (error as Error).message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    throw new ConfigError(`${shown}:${line ?? 1}:${column ?? 1}`, [reason]);
  }
}

function validateConfig(raw: unknown, source: string, rules: ReadonlyMap<string, RuleMeta>, codes: readonly Code[]): LintConfig {
  const validate: SchemaValidator = validateConfigSchema;
  const problems: string[] = [];
  if (!validate(raw)) problems.push(...describeAjvErrors(validate.errors ?? [], '', raw));
  const value = raw as Record<string, unknown>;
  const ruleSettings = new Map<string, RuleSetting>();
  for (const [id, setting] of Object.entries((value.rules as Record<string, unknown> | undefined) ?? {})) {
    const meta = rules.get(id);
    if (!meta) {
      problems.push(`rules."${id}": unknown rule (see \`pypi-release-lint rules\`)`);
      continue;
    }
    const parsed = parseRuleSetting(setting);
    problems.push(...validateRuleOptions(meta, parsed.options));
    ruleSettings.set(id, parsed);
  }
  const selection = readSelection(value, ruleSettings, rules, codes);
  problems.push(...selection.problems);
  if (problems.length > 0) throw new ConfigError(source, problems);

  const config = defaultConfig();
  config.source = source;
  config.repository = value.repository as string | undefined;
  config.ignore = selection.exclude;
  config.selection = [selection.layer];
  config.perFileIgnores = selection.perFileIgnores;
  config.skipDirectories = (value['skip-directories'] as string[] | undefined) ?? config.skipDirectories;
  config.docs = (value.docs as string[] | undefined) ?? config.docs;
  config.knownSecrets = (value['known-secrets'] as string[] | undefined) ?? [];
  config.externalPackages = (value['external-packages'] as string[] | undefined) ?? [];
  config.actionlint = (value.actionlint as string | undefined) ?? config.actionlint;
  config.rules = ruleSettings;
  for (const [directory, mapping] of Object.entries((value.packages as Record<string, { workflow?: string }> | undefined) ?? {})) {
    if (mapping.workflow) config.packageWorkflows.set(normalizeDirectory(directory), path.posix.basename(mapping.workflow));
  }
  return config;
}

function parseRuleSetting(setting: unknown): RuleSetting {
  if (typeof setting === 'string') return { severity: setting as SeverityOrOff, options: {} };
  const { severity, ...options } = (setting ?? {}) as Record<string, unknown>;
  return { severity: severity as SeverityOrOff | undefined, options };
}

const optionValidators = new Map<string, ValidateFunction>();

function validateRuleOptions(meta: RuleMeta, options: Record<string, unknown>): string[] {
  const names = Object.keys(options);
  if (names.length === 0) return [];
  if (!meta.optionsSchema) return names.map((name) => `rules."${meta.id}".${name}: the rule takes no option "${name}"`);
  let validate = optionValidators.get(meta.id);
  if (!validate) {
    validate = ajv().compile({ type: 'object', additionalProperties: false, ...meta.optionsSchema });
    optionValidators.set(meta.id, validate);
  }
  if (validate(options)) return [];
  return describeAjvErrors(validate.errors ?? [], `rules."${meta.id}"`, options);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

interface ConfigSelection {
  layer: SelectionLayer;
  perFileIgnores: PerFileIgnore[];
  /** `exclude`, and an old-style `ignore` of paths. */
  exclude: string[];
  problems: string[];
}

/** The config's selection keys, each selector checked against the rules; a rule given a severity other than off is selected. */
function readSelection(value: Record<string, unknown>, ruleSettings: ReadonlyMap<string, RuleSetting>, rules: ReadonlyMap<string, RuleMeta>, codes: readonly Code[]): ConfigSelection {
  const { selectors: ignore, paths: legacyExclude, problem } = splitIgnore(stringList(value.ignore), rules);
  const select = value.select === undefined ? undefined : stringList(value.select);
  const extendSelect = stringList(value['extend-select']);
  const perFileIgnores = Object.entries((value['per-file-ignores'] as Record<string, unknown> | undefined) ?? {}).map(([pattern, selectors]) => ({ pattern, selectors: stringList(selectors) }));
  const problems = [
    ...(problem ? [problem] : []),
    ...selectorProblems(select ?? [], codes, 'select'),
    ...selectorProblems(extendSelect, codes, 'extend-select'),
    ...selectorProblems(ignore, codes, 'ignore'),
    ...perFileIgnores.flatMap((entry) => selectorProblems(entry.selectors, codes, `per-file-ignores."${entry.pattern}"`)),
  ];
  const severityRules = [...ruleSettings].filter(([, setting]) => setting.severity !== undefined && setting.severity !== 'off').map(([id]) => id);
  return {
    layer: { ...(select === undefined ? {} : { select }), extendSelect, ignore, severityRules },
    perFileIgnores,
    exclude: [...stringList(value.exclude), ...legacyExclude],
    problems,
  };
}

/**
 * `ignore` takes rule selectors. Before rule selection it took path globs, and an `ignore` none of
 * whose entries looks like a rule selector (`examples/**`, `docs/*.md`, `sandbox`) still means
 * paths to skip; a list that mixes both is an error, since either reading would drop half of it.
 */
function splitIgnore(entries: string[], rules: ReadonlyMap<string, RuleMeta>): { selectors: string[]; paths: string[]; problem?: string } {
  const groups = new Set([...rules.keys()].map((id) => id.split('/')[0]!));
  const selectors = entries.filter((entry) => isRuleSelectorShaped(entry, groups));
  const paths = entries.filter((entry) => !selectors.includes(entry));
  if (selectors.length === 0) return { selectors: [], paths };
  if (paths.length === 0) return { selectors, paths: [] };
  return {
    selectors: [],
    paths: [],
    problem: `ignore: mixes rule selectors (${selectors.join(', ')}) and paths (${paths.join(', ')}); rule selectors go in ignore, paths to skip in exclude`,
  };
}

/**
 * The command line's selection layer: --select, --extend-select, --ignore, and the rules --rule
 * gives a severity other than off. --rule also sets the severity, over the config's.
 */
function commandLineLayer(config: LintConfig, request: ConfigRequest, rules: ReadonlyMap<string, RuleMeta>, codes: readonly Code[]): SelectionLayer {
  for (const [flag, selectors] of [
    ['--select', request.select],
    ['--extend-select', request.extendSelect],
    ['--ignore', request.ignore],
  ] as const) {
    const problems = selectorProblems(selectors ?? [], codes);
    if (problems.length > 0) throw new ConfigError(flag, problems);
  }
  const severityRules = applyRuleOverrides(config, request.ruleOverrides ?? [], rules);
  return { ...(request.select === undefined ? {} : { select: request.select }), extendSelect: request.extendSelect ?? [], ignore: request.ignore ?? [], severityRules };
}

/** Applies --rule ID=SEVERITY to the config's rule settings; returns the ids given a severity other than off. */
function applyRuleOverrides(config: LintConfig, overrides: string[], rules: ReadonlyMap<string, RuleMeta>): string[] {
  const selected: string[] = [];
  for (const override of overrides) {
    const { id, severity } = parseRuleOverride(override);
    if (!rules.has(id)) throw new ConfigError('--rule', [`"${id}": unknown rule (see \`pypi-release-lint rules\`)`]);
    if (!SEVERITIES.includes(severity as SeverityOrOff)) {
      throw new ConfigError('--rule', [`"${id}": must be "off", "info", "warning" or "error", got "${severity}"`]);
    }
    const existing = config.rules.get(id);
    config.rules.set(id, { options: existing?.options ?? {}, severity: severity as SeverityOrOff });
    if (severity !== 'off') selected.push(id);
  }
  return selected;
}

/** Turns ajv errors into `rules."x/y": must be ...` lines: a path in the config, then the problem. */
/** One line per schema error: where, what it must be, and (for a wrong value, looked up in `data`) what it is. */
export function describeAjvErrors(errors: ErrorObject[], prefix = '', data?: unknown): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    const where = [prefix, ...instancePathSegments(error.instancePath)].filter(Boolean).join('.');
    const label = where || '(top level)';
    const wrongValue = error.keyword === 'enum' || error.keyword === 'type' || error.keyword === 'pattern' ? shownValue(valueAt(data, error.instancePath)) : undefined;
    lines.push(`${label}: ${describeAjvError(error)}${wrongValue === undefined ? '' : `, got ${wrongValue}`}`);
  }
  return [...new Set(lines)];
}

function valueAt(data: unknown, instancePath: string): unknown {
  let value = data;
  for (const segment of pointerSegments(instancePath)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** A short rendering of a config value for a message (a table or a long list is not repeated). */
function shownValue(value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'object' && value !== null)) return undefined;
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function describeAjvError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum':
      return `must be ${joinOr((params.allowedValues as unknown[]).map((value) => JSON.stringify(value)))}`;
    case 'additionalProperties':
      return `unknown key "${String(params.additionalProperty)}"`;
    case 'type':
      return `must be ${String(params.type).replace(',', ' or ')}`;
    case 'pattern':
      return error.instancePath.endsWith('/repository') ? 'must be "owner/name"' : `must match ${String(params.pattern)}`;
    default:
      return error.message ?? error.keyword;
  }
}

/** The keys of a JSON pointer (`/rules/pyproject~1metadata` → rules, pyproject/metadata). */
function pointerSegments(instancePath: string): string[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function instancePathSegments(instancePath: string): string[] {
  return pointerSegments(instancePath).map((segment) => (/^[A-Za-z0-9_-]+$/.test(segment) ? segment : `"${segment}"`));
}

function joinOr(values: string[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

function normalizeDirectory(directory: string): string {
  const trimmed = directory.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '.' : trimmed;
}
