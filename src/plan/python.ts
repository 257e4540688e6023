/** The Python a build runs with, as far as the workflow (and the local actions it uses) says. */
import path from 'node:path';
import type { Project } from '../project/project.js';
import type { Sourced } from '../workflow/values.js';
import type { BuildEffect } from './effects.js';
import type { StepRun } from './step-runs.js';

const SETUP_ACTION = /^(actions\/setup-python|astral-sh\/setup-uv)@/;
const UV_PYTHON_FLAG = /\buv\s+build\b[^\n;&|]{0,2000}?\s(?:--python|-p)[=\s]+("[^"\n]+"|'[^'\n]+'|[^\s;&|]+)/;

/**
 * The Python versions a build runs with, each with where it is written: `uv build --python X`,
 * else the last setup-python (or setup-uv) before it in its job, local composite actions included:
 * its `python-version` (the last line of a multi-line list is the default `python`) or its
 * `python-version-file`. [] when unknown (the runner's own Python).
 */
export function buildPython(project: Project, build: BuildEffect, steps: readonly StepRun[]): Sourced[] {
  const position = steps.indexOf(build.stepRun);
  const run = build.stepRun.step.run;
  const flag = run ? UV_PYTHON_FLAG.exec(run) : null;
  if (flag) return [{ value: flag[1]!.replace(/^["']|["']$/g, ''), origin: { file: build.stepRun.step.file, path: [...build.stepRun.step.path, 'run'] } }];
  for (const stepRun of steps.slice(0, position < 0 ? steps.length : position).reverse()) {
    const action = stepRun.step.uses ? SETUP_ACTION.exec(stepRun.step.uses)?.[1] : undefined;
    if (!action) continue;
    const { step } = stepRun;
    if (step.with['python-version'] !== undefined) {
      return lastLines((stepRun.input('python-version') ?? []).map((candidate) => ({ value: String(candidate.value ?? ''), origin: candidate.origin ?? { file: step.file, path: [...step.path, 'with', 'python-version'] } })));
    }
    const versionFile = step.with['python-version-file'];
    if (typeof versionFile === 'string') return fromVersionFile(project, versionFile, { file: step.file, path: [...step.path, 'with', 'python-version-file'] });
    if (action === 'actions/setup-python') return [];
  }
  return [];
}

function lastLines(values: Sourced[]): Sourced[] {
  return values.flatMap((entry) => {
    const last = entry.value.split('\n').map((line) => line.trim()).filter(Boolean).pop();
    return last === undefined ? [] : [{ value: last, origin: entry.origin }];
  });
}

/** `.python-version` (or `.tool-versions`): its last version line. pyproject.toml is left out (it is requires-python itself). */
function fromVersionFile(project: Project, file: string, origin: Sourced['origin']): Sourced[] {
  if (path.posix.basename(file) === 'pyproject.toml') return [];
  const text = project.readText(path.posix.normalize(file.replace(/^\.\//, '')));
  if (text === undefined) return [];
  const lines = text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().replace(/^python\s+/, ''))
    .filter(Boolean);
  const last = lines.pop();
  return last === undefined ? [] : [{ value: last, origin }];
}
