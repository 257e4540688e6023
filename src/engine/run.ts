import path from 'node:path';
import { allRules, ruleMetas } from '../../rules/index.js';
import { loadConfig } from '../config/load.js';
import { FileStore } from '../project/file-store.js';
import { Project } from '../project/project.js';
import { TomlFile } from '../project/toml-file.js';
import type { Finding } from '../types.js';
import { lintAndFix, type FixOutcome } from './fix.js';
import { lintProject } from './lint.js';
import type { Rule } from './rule.js';

export interface RunOptions {
  configFile?: string;
  ruleOverrides?: string[];
  /** Compute fixes (safe ones; unsafe too with `unsafe`). Nothing is written here. */
  fix?: boolean;
  unsafe?: boolean;
  gate?: boolean;
  rules?: readonly Rule[];
}

export interface RunResult {
  root: string;
  project: Project;
  findings: Finding[];
  /** With `fix`: the files the fixes would change. */
  changes: FixOutcome['changes'];
}

/** Loads config and project under `root`, lints, and (with `fix`) computes fixes: the library's entry point. */
export async function runLint(rootArgument: string, options: RunOptions = {}): Promise<RunResult> {
  const root = path.resolve(rootArgument);
  const store = new FileStore(root);
  // The root pyproject holds the config: parse it once, for the config and for the project.
  const rootRead = store.read('pyproject.toml');
  const rootPyproject = rootRead.ok ? new TomlFile('pyproject.toml', rootRead.text) : undefined;
  const config = loadConfig(root, { configFile: options.configFile, ruleOverrides: options.ruleOverrides, rootPyproject: rootPyproject?.data }, ruleMetas);
  const project = Project.load(root, config, store, rootPyproject ? [rootPyproject] : []);
  const rules = options.rules ?? allRules;
  if (options.fix) {
    const outcome = await lintAndFix(project, rules, { unsafe: options.unsafe ?? false, gate: options.gate });
    return { root, ...outcome };
  }
  const findings = await lintProject(project, rules, { gate: options.gate });
  return { root, project, findings, changes: new Map() };
}
