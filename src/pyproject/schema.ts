/**
 * Validates the `[project]` and `[build-system]` tables against schemas/project.schema.json and
 * schemas/build-system.schema.json (ajv, draft-07), and turns ajv's errors into one readable line
 * each, with the key path inside the table so a rule can point at the offending key's line.
 *
 * The validators are precompiled from the schemas at build time (src/generated/, made by
 * scripts/generate-validators.mjs), with the custom formats of src/pyproject/schema-formats.ts.
 * A schema node may carry `"x-error": { "<keyword>": "message" }` to word a failing keyword's
 * message; `{value}` there is the offending value (or key), `{allowed}` an enum's values.
 */
import type { ErrorObject } from 'ajv';
import * as generated from '../generated/pyproject-validators.js';
import { valueAtPath } from '../project/source-file.js';
import { licenseGlobError } from './schema-formats.js';
import { normalizeName, parseRequirement, parseSpecifier } from './pep508.js';

export type SchemaPath = (string | number)[];

export interface SchemaProblem {
  /** Key path inside the table, e.g. ['authors', 0, 'email']; [] is the table itself. */
  path: SchemaPath;
  /** One readable line that starts with the dotted location, e.g. `project.authors[0].email: must be an email address`. */
  message: string;
  /** For a string that failed to parse (requirements, specifiers): 0-based offset of the problem in it. */
  offset?: number;
}

export interface ProjectValidationOptions {
  /**
   * Also run the checks JSON Schema cannot express (default true): a field both static and in
   * `dynamic`, a version neither set nor dynamic, license-files beside a legacy license table,
   * extras that collide after normalisation. See checkProjectConsistency.
   */
  crossFieldChecks?: boolean;
}

/** The [project] fields that may be listed in `dynamic` (every field but `name`). */
export const DYNAMIC_FIELDS: readonly string[] = [
  'version',
  'description',
  'readme',
  'requires-python',
  'license',
  'license-files',
  'authors',
  'maintainers',
  'keywords',
  'classifiers',
  'urls',
  'scripts',
  'gui-scripts',
  'entry-points',
  'dependencies',
  'optional-dependencies',
  'import-names',
  'import-namespaces',
];

/** Validates a parsed `[project]` table. No problems means it is valid. */
export function validateProjectTable(value: unknown, options: ProjectValidationOptions = {}): SchemaProblem[] {
  const problems = runValidator(generated.project, 'project', value, PROJECT_KEY_HINTS);
  if (options.crossFieldChecks !== false) problems.push(...checkProjectConsistency(value));
  return dedupe(problems);
}

/** Validates a parsed `[build-system]` table. No problems means it is valid. */
export function validateBuildSystemTable(value: unknown): SchemaProblem[] {
  return dedupe(runValidator(generated.buildSystem, 'build-system', value, BUILD_SYSTEM_KEY_HINTS));
}

/**
 * Fields that are listed in `dynamic` and also set statically (`project.version is listed in
 * dynamic but also set statically`); the path is the static key. `name` (never dynamic) and
 * unknown fields are left to the schema.
 */
export function checkDynamicConflicts(project: unknown): SchemaProblem[] {
  if (!isTable(project) || !Array.isArray(project.dynamic)) return [];
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const field of project.dynamic) {
    // `name` and unknown fields are the schema's to report.
    if (typeof field !== 'string' || !DYNAMIC_FIELDS.includes(field) || seen.has(field)) continue;
    seen.add(field);
    if (Object.hasOwn(project, field)) {
      problems.push({
        path: [field],
        message: `${formatKeyPath('project', [field])} is listed in dynamic but also set statically`,
      });
    }
  }
  return problems;
}

/**
 * The [project] rules JSON Schema cannot express: checkDynamicConflicts, `version` neither set
 * nor dynamic (PEP 621), `license-files` beside a legacy license table (PEP 639), and extra names
 * that are equal after normalisation (PEP 685). validateProjectTable includes these by default.
 */
export function checkProjectConsistency(project: unknown): SchemaProblem[] {
  if (!isTable(project)) return [];
  const problems = checkDynamicConflicts(project);
  const dynamic = Array.isArray(project.dynamic) ? project.dynamic : [];

  if (!Object.hasOwn(project, 'version') && !dynamic.includes('version')) {
    problems.push({
      path: [],
      message: 'project: "version" must be set statically or listed in dynamic (PEP 621)',
    });
  }

  if (isTable(project.license) && Object.hasOwn(project, 'license-files')) {
    problems.push({
      path: ['license-files'],
      message:
        'project.license-files cannot be used with the legacy license table; make license an SPDX ' +
        'expression such as "MIT" (PEP 639)',
    });
  }

  const extras = project['optional-dependencies'];
  if (isTable(extras)) {
    const byNormalised = new Map<string, string>();
    for (const extra of Object.keys(extras)) {
      const normalised = normalizeName(extra);
      const earlier = byNormalised.get(normalised);
      if (earlier !== undefined) {
        problems.push({
          path: ['optional-dependencies', extra],
          message:
            `project.optional-dependencies: extras ${JSON.stringify(earlier)} and ${JSON.stringify(extra)} ` +
            `are the same extra after normalisation (PEP 685)`,
        });
      } else {
        byNormalised.set(normalised, extra);
      }
    }
  }
  return problems;
}

/** `project.authors[0].email`, `project.urls."Bug Tracker"`: TOML-style dotted keys, [i] for indices. */
export function formatKeyPath(root: string, path: readonly (string | number)[]): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += `.${segment}`;
    else out += `.${JSON.stringify(segment)}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// running and wording

/** For unknown top-level keys: known misspellings (folded to lowercase with '-') and the valid keys. */
interface KeyHints {
  known: readonly string[];
  hints: Readonly<Record<string, string>>;
}

/** A precompiled validator: true when valid, else its `errors` are set (ajv's standalone shape). */
export type SchemaValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

function runValidator(validate: SchemaValidator, root: string, value: unknown, hints: KeyHints): SchemaProblem[] {
  if (validate(toJsonData(value))) return [];
  const errors = validate.errors ?? [];
  // Branch errors under a failed anyOf/oneOf/not are noise: the combinator's own error says it.
  const combinators = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'not')
    .map((e) => `${e.schemaPath}/`);
  const problems: SchemaProblem[] = [];
  for (const error of errors) {
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    if (combinators.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    problems.push(describeError(error, root, value, hints));
  }
  return problems;
}

function describeError(error: ErrorObject, root: string, original: unknown, hints: KeyHints): SchemaProblem {
  const parentPath = pointerToPath(error.instancePath, original);
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  const params = error.params as Record<string, unknown>;
  // The offending key (propertyNames) or value.
  const subject: unknown = propertyName ?? valueAtPath(original, parentPath);
  const path = propertyName === undefined ? parentPath : [...parentPath, propertyName];
  const at = formatKeyPath(root, parentPath);

  const custom = customMessage(error, subject);
  if (custom !== undefined) return { path, message: `${at}: ${custom}` };

  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const hint = parentPath.length === 0 ? keyHint(key, hints) : '';
      return { path: [...parentPath, key], message: `${at}: unknown key ${JSON.stringify(key)}${hint}` };
    }
    case 'required':
      return { path, message: `${at}: missing required key ${JSON.stringify(params.missingProperty)}` };
    case 'type':
      return { path, message: `${at}: must be ${expectedTypes(params.type)}, not ${describeValue(subject)}` };
    case 'format':
      return { path, ...formatMessage(at, String(params.format), subject) };
    case 'enum':
      return { path, message: `${at}: must be one of ${listValues(params.allowedValues)}` };
    case 'const':
      return { path, message: `${at}: must be ${JSON.stringify(params.allowedValue)}` };
    case 'uniqueItems': {
      // ajv names both positions; point at the later one, the repeat.
      const index = Math.max(Number(params.i), Number(params.j));
      const item = Array.isArray(subject) ? subject[index] : undefined;
      const itemPath = [...parentPath, index];
      return { path: itemPath, message: `${formatKeyPath(root, itemPath)}: ${JSON.stringify(item)} is listed twice` };
    }
    case 'minLength':
      return {
        path,
        message: `${at}: ${params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long`}`,
      };
    case 'maxLength':
      return { path, message: `${at}: must be at most ${String(params.limit)} characters long` };
    case 'minItems':
      return { path, message: `${at}: must have at least ${String(params.limit)} item(s)` };
    case 'pattern':
      return { path, message: `${at}: ${JSON.stringify(subject)} does not match the pattern ${String(params.pattern)}` };
    default:
      return { path, message: `${at}: ${error.message ?? 'is invalid'}` };
  }
}

/** The schema's own wording for this keyword, if it has one. */
function customMessage(error: ErrorObject, subject: unknown): string | undefined {
  const parent = error.parentSchema as { 'x-error'?: Record<string, string> } | undefined;
  const template = parent?.['x-error']?.[error.keyword];
  if (template === undefined) return undefined;
  const params = error.params as Record<string, unknown>;
  return template
    .replaceAll('{value}', JSON.stringify(subject))
    .replaceAll('{allowed}', Array.isArray(params.allowedValues) ? params.allowedValues.join(', ') : '');
}

function formatMessage(at: string, format: string, value: unknown): { message: string; offset?: number } {
  const quoted = JSON.stringify(value);
  const text = typeof value === 'string' ? value : '';
  switch (format) {
    case 'email':
      return { message: `${at}: must be an email address` };
    case 'pep440':
      return { message: `${at}: ${quoted} is not a valid PEP 440 version (e.g. "1.2.0", "2.0.0rc1", "1.0.post1")` };
    case 'pep440-specifier': {
      const result = parseSpecifier(text);
      if (result.ok) break;
      return {
        message: `${at}: ${quoted} is not a valid PEP 440 version specifier: ${result.error} (at character ${result.offset + 1})`,
        offset: result.offset,
      };
    }
    case 'pep508': {
      const result = parseRequirement(text);
      if (result.ok) break;
      return {
        message: `${at}: ${quoted} is not a valid PEP 508 requirement: ${result.error} (at character ${result.offset + 1})`,
        offset: result.offset,
      };
    }
    case 'python-object-reference':
      return {
        message: `${at}: ${quoted} is not a valid object reference (expected "module.path" or "module.path:object", e.g. "hatchling.build")`,
      };
    case 'python-entry-point-reference':
      return { message: `${at}: ${quoted} is not a valid entry point reference (expected "module.path:function")` };
    case 'python-import-name':
      return {
        message: `${at}: ${quoted} is not a valid import name (dotted Python identifiers, optionally followed by "; private")`,
      };
    case 'pep639-glob':
      return { message: `${at}: ${quoted} is not a valid license-files glob: ${licenseGlobError(text) ?? 'invalid'}` };
  }
  return { message: `${at}: ${quoted} is not a valid ${format}` };
}

const PROJECT_KEY_HINTS: KeyHints = {
  known: ['name', ...DYNAMIC_FIELDS, 'dynamic'],
  hints: {
    homepage: 'project links go in [project.urls], e.g. Homepage = "https://…"',
    'home-page': 'project links go in [project.urls], e.g. Homepage = "https://…"',
    url: 'project links go in [project.urls], e.g. Homepage = "https://…"',
    repository: 'project links go in [project.urls], e.g. Repository = "https://…"',
    documentation: 'project links go in [project.urls], e.g. Documentation = "https://…"',
    changelog: 'project links go in [project.urls], e.g. Changelog = "https://…"',
    author: 'use authors = [{ name = "…", email = "…" }]',
    'author-email': 'use authors = [{ name = "…", email = "…" }]',
    maintainer: 'use maintainers = [{ name = "…", email = "…" }]',
    'maintainer-email': 'use maintainers = [{ name = "…", email = "…" }]',
    'python-requires': 'did you mean "requires-python"?',
    requires: 'runtime requirements go in "dependencies"',
    'install-requires': 'runtime requirements go in "dependencies"',
    'extras-require': 'extras go in [project.optional-dependencies]',
    extras: 'extras go in [project.optional-dependencies]',
    'dependency-groups': 'PEP 735 dependency groups belong in a top-level [dependency-groups] table, not in [project]',
    'dev-dependencies': 'development dependencies belong in a top-level [dependency-groups] table (PEP 735)',
    'console-scripts': 'console scripts go in [project.scripts]',
    'license-file': 'did you mean "license-files" (a list of globs)?',
    'long-description': 'the long description is "readme"',
    summary: 'the one-line summary is "description"',
    'long-description-content-type': 'use readme = { file = "…", "content-type" = "…" }',
    packages: 'package discovery is backend configuration: put it under [tool.<backend>]',
    'package-dir': 'package discovery is backend configuration: put it under [tool.<backend>]',
    'py-modules': 'package discovery is backend configuration: put it under [tool.<backend>]',
    include: 'file selection is backend configuration: put it under [tool.<backend>]',
    exclude: 'file selection is backend configuration: put it under [tool.<backend>]',
  },
};

const BUILD_SYSTEM_KEY_HINTS: KeyHints = {
  known: ['requires', 'build-backend', 'backend-path'],
  hints: {
    requirements: 'did you mean "requires"?',
    require: 'did you mean "requires"?',
    backend: 'did you mean "build-backend"?',
  },
};

/** A hint after an unknown key: a known misspelling, or a known key in another case or with '_'. */
function keyHint(key: string, { known, hints }: KeyHints): string {
  const folded = key.toLowerCase().replace(/_/g, '-');
  const hint = hints[folded];
  if (hint !== undefined) return ` (${hint})`;
  const match = known.find((candidate) => candidate === folded || candidate === `${folded}s`);
  return match !== undefined ? ` (did you mean ${JSON.stringify(match)}?)` : '';
}

// ---------------------------------------------------------------------------------------------
// helpers

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * A copy that ajv can judge: TOML dates (smol-toml's TomlDate, a Date) become null, which no
 * schema type accepts, so a date where a string belongs is a type error; bigints become numbers.
 */
function toJsonData(value: unknown): unknown {
  if (value instanceof Date) return null;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toJsonData);
  if (isTable(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toJsonData(item);
    return out;
  }
  return value;
}

/** `/authors/0/email` → ['authors', 0, 'email'], with numbers only where the data is an array. */
function pointerToPath(pointer: string, original: unknown): SchemaPath {
  if (pointer === '') return [];
  const path: SchemaPath = [];
  let current: unknown = original;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      const index = Number(segment);
      path.push(index);
      current = current[index];
    } else {
      path.push(segment);
      current = isTable(current) ? current[segment] : undefined;
    }
  }
  return path;
}

function describeValue(value: unknown): string {
  if (value instanceof Date) return 'a date/time';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'bigint':
      return 'an integer';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a float';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return value === null ? 'nothing' : 'a table';
    default:
      return typeof value;
  }
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  object: 'a table',
  array: 'an array',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
};

function expectedTypes(type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : String(type).split(',');
  return types.map((name) => TYPE_NAMES[name] ?? name).join(' or ');
}

function listValues(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(', ') : String(values);
}

function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${JSON.stringify(problem.path)}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
