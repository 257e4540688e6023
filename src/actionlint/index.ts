/** actionlint, embedded or native: choose and run it, read actionlint.yaml, classify its findings. */
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
  type ClassifyOptions,
} from './classify.js';
export { githubHostedRunnerLabels, isGitHubHostedLabel, type HostedRunnerLabels } from './hosted-labels.js';
export {
  engineWithoutAsking,
  nativeCandidate,
  resolveActionlintEngine,
  AUTO_SETTING,
  EMBEDDED_SETTING,
  type ActionlintEngine,
  type NativeActionlint,
} from './native.js';
export { validateIgnorePatterns, validateLabelPatterns } from './patterns.js';
export { expandYamlAliases } from './aliases.js';
