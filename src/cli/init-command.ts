import { runInit, type InitAction, type InitResult } from '../init/scaffold.js';
import { escapeMessage } from '../format/terminal.js';
import { assertDirectory } from './lint-command.js';
import { writeStdout } from './output.js';

export interface InitCommandOptions {
  trustedPublishing?: boolean;
  force?: boolean;
  repository?: string;
  dryRun?: boolean;
  config?: string;
}

const VERB: Record<InitAction['action'], [string, string]> = {
  create: ['created', 'would create'],
  update: ['updated', 'would update'],
  unchanged: ['unchanged', 'unchanged'],
  skip: ['skipped', 'skipped'],
};

/** `pypi-release-lint init [ROOT]`: scaffold, print what was written and what to do next. */
export async function initCommand(rootArgument: string, options: InitCommandOptions, write: (text: string) => void = writeStdout): Promise<number> {
  assertDirectory(rootArgument);
  const result = await runInit(rootArgument, {
    trustedPublishing: options.trustedPublishing,
    force: options.force,
    repository: options.repository,
    dryRun: options.dryRun,
    configFile: options.config,
  });
  write(escapeMessage(formatInitResult(result)));
  // Stopped with packages left unpublished: the user has a decision to make (exit 1, like a finding).
  return result.plan.stopped && result.plan.unpublished.length > 0 ? 1 : 0;
}

export function formatInitResult(result: InitResult): string {
  const { plan, actions, dryRun } = result;
  const lines: string[] = [];
  const width = Math.max(0, ...actions.map((action) => VERB[action.action][dryRun ? 1 : 0].length));
  for (const action of actions) lines.push(`${VERB[action.action][dryRun ? 1 : 0].padEnd(width)}  ${action.file}: ${action.detail}`);
  for (const skipped of plan.skipped) lines.push(`${'skipped'.padEnd(width)}  package ${skipped.name ?? '(unnamed)'} in ${skipped.dir}: ${skipped.reason}`);
  const written = actions.filter((action) => action.action === 'create' || action.action === 'update');
  if (plan.publishers.length > 0) {
    lines.push('found existing publishers:', ...plan.publishers.map((publisher) => `  ${publisher.where}: ${publisher.what}`));
  }
  if (plan.stopped) {
    if (plan.unpublished.length === 0) lines.push('nothing to scaffold: every package already has a publisher');
    else
      lines.push(
        `init adds no second publisher: nothing written. If none of the above publishes ${plan.unpublished.join(', ')}, run init again with --force to scaffold ${plan.unpublished.length === 1 ? 'it' : 'them'} (a package a workflow above uploads never gets a second publisher).`,
      );
    return `${lines.join('\n')}\n`;
  }
  if (plan.packages.length === 0) {
    lines.push('nothing to scaffold: every package already has a publisher');
    return `${lines.join('\n')}\n`;
  }
  if (written.length === 0) {
    lines.push('nothing written');
    return `${lines.join('\n')}\n`;
  }
  if (dryRun) {
    lines.push('dry run: nothing written');
    return `${lines.join('\n')}\n`;
  }
  const first = plan.packages[0]!;
  lines.push('', 'Next:');
  if (plan.mode === 'token') {
    lines.push(`  1. Create the repository secrets ${plan.packages.map((entry) => entry.secret).join(', ')}: one project-scoped PyPI token each (docs/releasing.md).`);
  } else {
    lines.push(`  1. Add a trusted publisher on PyPI for each package: workflow ${plan.packages.map((entry) => entry.workflowFile).join(', ')}, environment pypi (docs/releasing.md).`);
  }
  lines.push(
    `  2. Commit, then run ${first.workflowFile} by hand with dry-run checked: it builds and checks without uploading.`,
    `  3. Release by pushing a tag: git tag -a ${first.exampleTag} -m "${first.name}" && git push origin ${first.exampleTag}`,
    '  Check the setup any time with: npx pypi-release-lint',
  );
  return `${lines.join('\n')}\n`;
}
