import path from 'node:path';
import type { Project } from '../project/project.js';
import { expandSourced, type Origin, type Sourced, type SourcedLookup } from './expressions.js';
import type { StepModel, StepSite } from './workflow.js';

const UV_BUILD_PYTHON = /\buv\s+build\b[^\n;&|]*?\s(?:--python|-p)[=\s]+("[^"]+"|'[^']+'|[^\s;&|]+)/;
const SETUP_ACTION = /^(actions\/setup-python|astral-sh\/setup-uv)@/;

/**
 * The Python versions a build step runs with, each with where it is written: `uv build --python X`,
 * else the last setup-python (or setup-uv) before it in its job: its `python-version` (the last line
 * of a multi-line list is the default `python`) or its `python-version-file`. [] when unknown (the
 * runner's own Python).
 */
export function buildPython(project: Project, site: StepSite, lookup: SourcedLookup): Sourced[] {
  const origin = (step: StepModel, ...keys: string[]): Origin => ({ file: site.workflow.file, path: [...step.path, ...keys] });
  const flag = site.step.run ? UV_BUILD_PYTHON.exec(site.step.run) : null;
  if (flag) return lastLines(expandSourced(flag[1]!.replace(/^["']|["']$/g, ''), lookup, origin(site.step, 'run')));
  for (const step of site.job.steps.slice(0, site.step.index).reverse()) {
    const action = step.uses ? SETUP_ACTION.exec(step.uses)?.[1] : undefined;
    if (!action) continue;
    const version = step.with['python-version'];
    if (version !== undefined) return lastLines(expandSourced(String(version), lookup, origin(step, 'with', 'python-version')));
    const versionFile = step.with['python-version-file'];
    if (typeof versionFile === 'string') return fromVersionFile(project, versionFile, origin(step, 'with', 'python-version-file'));
    if (action === 'actions/setup-python') return [];
  }
  return [];
}

function lastLines(values: Sourced[] | undefined): Sourced[] {
  return (values ?? []).flatMap((entry) => {
    const last = entry.value.split('\n').map((line) => line.trim()).filter(Boolean).pop();
    return last === undefined ? [] : [{ value: last, origin: entry.origin }];
  });
}

/** `.python-version` (or `.tool-versions`): its last version line. pyproject.toml is left out (it is requires-python itself). */
function fromVersionFile(project: Project, file: string, origin: Origin): Sourced[] {
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
