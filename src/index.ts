/**
 * The library API: lint a repository programmatically, as the CLI does.
 *
 *   import { allRules, runLint } from 'pypi-release-lint';
 *   const { findings } = await runLint('path/to/repo', allRules);
 *
 * `runLint(root, rules, request?, run?)`: `request` is what the command line's lint options say
 * (config file, selectors, fix); `run` the caller's services (the gate's inputs, progress).
 */
export { runLint, loadProject, type LintRequest, type RunResult } from './engine/run.js';
export { lintWithCache } from './engine/cache.js';
export type { GateInputs, ProgressReporter, RunContext } from './engine/context.js';
export { defaultGateOptions } from './gate/options.js';
export { formatDiff, writeChanges } from './engine/fix.js';
export { defineRule, type Rule, type RuleContext, type Report } from './engine/rule.js';
export { releasePlan, publishedPackages, type ReleasePlan, type PublishRoute, type Credential } from './plan/release-plan.js';
export { planEntries, type PlanEntry } from './plan/format.js';
export { allRules, ruleMetas } from '../rules/index.js';
export { ConfigError } from './config/load.js';
export type { Category, Finding, Fix, KindMeta, TextEdit, RuleMeta, Severity, Location } from './types.js';
