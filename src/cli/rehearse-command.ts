/**
 * `pypi-release-lint rehearse [ROOT] --tag TAG | --release TAG [--prerelease] [--draft] |
 * --push-branch BRANCH | --dispatch WORKFLOW [--ref BRANCH] [-f name=value...]`: what that trigger would start and
 * upload, and what would go wrong. Exit 0 when nothing would fail, 1 when something would, 2 for a
 * scenario GitHub itself would refuse or bad usage.
 */
import { ruleMetas } from '../../rules/index.js';
import { loadProject } from '../engine/run.js';
import { rehearsalFindings } from '../rehearse/checks.js';
import { formatRehearsalText, rehearsalJson } from '../rehearse/format.js';
import { rehearse } from '../rehearse/rehearse.js';
import { ScenarioError, type Scenario } from '../rehearse/scenario.js';
import { UsageError } from './errors.js';
import { assertDirectory } from './lint-command.js';
import { emit } from './output.js';

export interface RehearseCommandOptions {
  tag?: string;
  release?: string;
  prerelease?: boolean;
  draft?: boolean;
  pushBranch?: string;
  dispatch?: string;
  ref?: string;
  field: string[];
  format: string;
  config?: string;
}

/** The branch a dispatch is rehearsed on when --ref does not name one. */
const DEFAULT_BRANCH = 'main';

export function scenarioFromOptions(options: RehearseCommandOptions): Scenario {
  const given = [options.tag !== undefined && '--tag', options.release !== undefined && '--release', options.pushBranch !== undefined && '--push-branch', options.dispatch !== undefined && '--dispatch'].filter(Boolean);
  if (given.length !== 1) throw new UsageError(`rehearse needs exactly one of --tag, --release, --push-branch, --dispatch${given.length > 1 ? ` (got ${given.join(', ')})` : ''}`);
  if ((options.prerelease || options.draft) && options.release === undefined) throw new UsageError('--prerelease and --draft go with --release');
  if ((options.field.length > 0 || options.ref !== undefined) && options.dispatch === undefined) throw new UsageError('-f name=value and --ref go with --dispatch');
  if (options.format !== 'text' && options.format !== 'json') throw new UsageError(`--format is text or json, not ${options.format}`);
  if (options.tag !== undefined) return { kind: 'tag', tag: options.tag.trim().replace(/^refs\/tags\//, '') };
  if (options.release !== undefined) return { kind: 'release', tag: options.release.trim().replace(/^refs\/tags\//, ''), prerelease: options.prerelease === true, draft: options.draft === true };
  if (options.pushBranch !== undefined) return { kind: 'branch', branch: options.pushBranch.trim().replace(/^refs\/heads\//, '') };
  const inputs = new Map<string, string>();
  for (const field of options.field) {
    const equals = field.indexOf('=');
    if (equals <= 0) throw new UsageError(`-f takes name=value, not ${field}`);
    inputs.set(field.slice(0, equals), field.slice(equals + 1));
  }
  return { kind: 'dispatch', workflow: options.dispatch!, inputs, ref: (options.ref ?? DEFAULT_BRANCH).replace(/^refs\/heads\//, '') };
}

export async function rehearseCommand(root: string, options: RehearseCommandOptions): Promise<number> {
  const scenario = scenarioFromOptions(options);
  assertDirectory(root);
  const project = loadProject(root, { configFile: options.config, catalog: [...ruleMetas.values()] });
  try {
    const rehearsal = rehearse(project, scenario);
    const findings = rehearsalFindings(project, rehearsal);
    emit(options.format === 'json' ? `${JSON.stringify(rehearsalJson(rehearsal, findings), null, 2)}\n` : formatRehearsalText(rehearsal, findings), undefined);
    return findings.some((finding) => finding.severity === 'error') ? 1 : 0;
  } catch (error) {
    if (error instanceof ScenarioError) throw new UsageError(error.message);
    throw error;
  }
}
