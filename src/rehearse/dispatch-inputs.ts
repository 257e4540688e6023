/**
 * A dispatch input named like a version (`version`, `release-tag`) that no step of the run compares
 * with the version it builds, nor hands to the build: whatever the person types, the run uploads
 * the version in the package's files. The input is followed into reusable workflows through the
 * `with:` of the jobs that call them.
 */
import { normalizeVersion } from '../gate/tag.js';
import type { Frame } from '../plan/job-runs.js';
import type { StepModel } from '../workflow/model.js';
import type { RehearsalFinding } from './checks.js';
import { placeOf, type Rehearsal } from './rehearse.js';

const VERSION_INPUT = /version|tag/i;

/** Text that compares a value with the built version, or makes the build use it. */
const USES_AS_VERSION = /PRETEND_VERSION|\b(?:poetry|hatch|uv|pdm)\s+version\b|bump-?my-?version|bump2?version|__version__|\.whl|dist\/|!=|==|\s-(?:ne|eq)\s|\bgit\s+tag\b|\bsed\b/;

export function dispatchVersionInputs(rehearsal: Rehearsal): RehearsalFinding[] {
  const run = rehearsal.runs[0];
  if (rehearsal.scenario.kind !== 'dispatch' || !run) return [];
  const live = run.jobs.flatMap((job) => job.uploads.filter((upload) => upload.runs !== false && upload.packages.some((pkg) => pkg.pkg)));
  if (live.length === 0) return [];
  const workflow = run.started.workflow;
  const findings: RehearsalFinding[] = [];
  for (const input of workflow.triggers.dispatchInputs ?? []) {
    if (input.type === 'boolean' || !VERSION_INPUT.test(input.name)) continue;
    const frames = [...new Set(run.run.jobs.flatMap((job) => framesOf(job.frame)))];
    const tracked = new Map<Frame, Set<string>>();
    const namesIn = (frame: Frame): Set<string> => {
      let names = tracked.get(frame);
      if (names) return names;
      names = new Set<string>();
      tracked.set(frame, names);
      if (!frame.caller) names.add(input.name.toLowerCase());
      else {
        const outer = namesIn(frame.caller.frame);
        for (const [key, value] of Object.entries(frame.caller.job.with)) if (references(JSON.stringify(value), outer)) names.add(key.toLowerCase());
      }
      return names;
    };
    const compared = frames.some((frame) => frame.workflow.jobs.some((job) => job.steps.some((step) => comparesWith(step, namesIn(frame))) || references(`${job.if ?? ''}`, namesIn(frame)) && USES_AS_VERSION.test(job.if ?? '')));
    if (compared) continue;
    const value = run.started.event.inputs?.get(input.name);
    const uploaded = live.flatMap((upload) => upload.packages.filter((pkg) => pkg.pkg).map((pkg) => `${pkg.name} ${pkg.released?.version ?? '(version known at build time)'}${pkg.released?.at ? ` (${pkg.released.at.file}:${pkg.released.at.line})` : ''}`));
    const versions = live.flatMap((upload) => upload.packages.map((pkg) => pkg.released?.version).filter((version): version is string => version !== undefined));
    const differs = typeof value === 'string' && value !== '' && versions.length > 0 && versions.every((version) => normalizeVersion(version) !== normalizeVersion(value.replace(/^.*?[vV]?(?=\d)/, '')));
    const at = placeOf(workflow.file, input.path);
    findings.push({
      rule: 'workflow/tag-version',
      severity: differs ? 'error' : 'warning',
      at,
      message: `input ${input.name} is never compared with the version the run builds, nor handed to the build: the run uploads ${[...new Set(uploaded)].join(', ')} whatever it says${typeof value === 'string' && value !== '' ? ` (here ${value})` : ''}; compare it with the built version before the upload, or drop the input`,
    });
  }
  return findings;
}

function framesOf(frame: Frame): Frame[] {
  return frame.caller ? [...framesOf(frame.caller.frame), frame] : [frame];
}

function references(text: string, names: Set<string>): boolean {
  for (const name of names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`inputs\\.${escaped}(?![\\w-])|inputs\\[['"]${escaped}['"]\\]`, 'i').test(text)) return true;
  }
  return false;
}

function comparesWith(step: StepModel, names: Set<string>): boolean {
  const text = [step.run ?? '', step.if ?? '', JSON.stringify(step.env), JSON.stringify(step.with)].join('\n');
  if (!references(text, names)) return false;
  // The input exported under another name (`VERSION: ${{ inputs.version }}`) and compared in the script.
  return USES_AS_VERSION.test(text);
}
