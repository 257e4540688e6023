import { defineRule, type Report } from '../../src/engine/rule.js';
import type { ArtifactUploadEffect } from '../../src/plan/effects.js';
import { describeEvidence, evidenceRange, type Evidence } from '../../src/plan/evidence.js';
import type { JobRun } from '../../src/plan/job-runs.js';
import { releasePlan, type ArtifactRun } from '../../src/plan/release-plan.js';
import { hasGlob } from '../../src/plan/paths.js';
import type { TraceNote } from '../../src/plan/trace.js';
import type { KindMeta } from '../../src/types.js';
import { valueRange } from '../../src/workflow/locate.js';

const KINDS = {
  'name-conflict': { category: 'release', defaultSeverity: 'error', enabledByDefault: true, description: 'Two uploads of one artifact name in a run with upload-artifact v4 (409 Conflict).' },
  'nested-download': {
    category: 'release',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description: 'A download of several artifacts without merge-multiple: true, read as if the files were in its path.',
  },
  'wrong-directory': {
    category: 'release',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description: 'The upload reads a directory other than the one the build or download wrote, or a path still holding ${{ }}.',
  },
  'deprecated-version': { category: 'release', defaultSeverity: 'error', enabledByDefault: true, description: 'upload-artifact or download-artifact v3 or older (GitHub fails the run).' },
} satisfies Record<string, KindMeta>;

type ArtifactsReport = Report<keyof typeof KINDS>;

export default defineRule({
  meta: {
    id: 'workflow/artifacts',
    category: 'release',
    defaultSeverity: 'error',
    kinds: KINDS,
    fixable: 'none',
    description: 'Distributions handed between jobs with upload-artifact / download-artifact: name conflicts, nested downloads, wrong directories, v3.',
    docs: {
      catches:
        'Read from the release plan, on every run of a publish workflow: two steps or matrix legs that upload an artifact of the ' +
        'same name with `actions/upload-artifact@v4` or later, without `overwrite: true` (kind `name-conflict`); a download by ' +
        '`pattern:`, by `artifact-ids:` (or of every artifact) without `merge-multiple: true` whose path the upload reads as if ' +
        'the distributions were in it, when it downloads several artifacts (from v5 on, one artifact lands in the path itself; ' +
        'v4 nests every download not by `name:`; a pin by commit counts as current) (kind `nested-download`); an upload (or an artifact upload on the way) reading a directory that nothing writes while ' +
        'the build, download or copy before it writes another one, such as a uv workspace member whose `uv build` writes the ' +
        'workspace root\'s dist/, or `artifact/*` uploaded while the download path is `dist/`; and a path that still holds a ' +
        '`${{ }}` when the step runs (kind `wrong-directory`); `actions/upload-artifact` or `actions/download-artifact` at v3 or ' +
        'older (kind `deprecated-version`). Each message names both ends (file:line) and the fix.',
      why:
        'v4 of the artifact actions made artifacts immutable: "it is no longer possible to upload to the same named Artifact ' +
        'multiple times" ([actions/upload-artifact README, v4 breaking changes](https://github.com/actions/upload-artifact#breaking-changes)); ' +
        'the second leg fails with `(409) Conflict: an artifact with this name already exists on the workflow run`. Downloading ' +
        'several artifacts puts each in its own `path/<name>/` folder unless `merge-multiple: true` ([actions/download-artifact ' +
        'README](https://github.com/actions/download-artifact#download-multiple-filtered-artifacts-to-the-same-directory)), so ' +
        '`packages-dir: dist/` finds no distribution. v1 to v3 of both actions stopped working on GitHub.com on January 30, 2025 ' +
        '([GitHub changelog](https://github.blog/changelog/2024-04-16-deprecation-notice-v3-of-the-artifact-actions/)): a run that ' +
        'uses them fails.',
      failing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  push:\n    tags: ["v*"]\njobs:\n  build:\n    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n    runs-on: ${{ matrix.os }}\n' +
          '    steps:\n      - uses: actions/checkout@v4\n      - run: pipx run cibuildwheel\n      - uses: actions/upload-artifact@v4\n        with:\n          name: dist\n          path: wheelhouse/*.whl\n' +
          '  publish:\n    needs: build\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n      - uses: actions/download-artifact@v4\n        with:\n          pattern: dist*\n          path: dist\n' +
          '      - uses: pypa/gh-action-pypi-publish@release/v1\n',
      },
      passing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  push:\n    tags: ["v*"]\njobs:\n  build:\n    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n    runs-on: ${{ matrix.os }}\n' +
          '    steps:\n      - uses: actions/checkout@v4\n      - run: pipx run cibuildwheel\n      - uses: actions/upload-artifact@v4\n        with:\n          name: dist-${{ matrix.os }}\n          path: wheelhouse/*.whl\n' +
          '  publish:\n    needs: build\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n      - uses: actions/download-artifact@v4\n        with:\n          pattern: dist-*\n          path: dist\n          merge-multiple: true\n' +
          '      - uses: pypa/gh-action-pypi-publish@release/v1\n',
      },
      fixSafety: 'No fix: artifact names and paths are part of how your jobs hand files on; the message says which name or path to change.',
    },
  },
  check({ project, report }) {
    const plan = releasePlan(project);
    const reported = new Set<string>();
    const once = (key: string, finding: ArtifactsReport): void => {
      if (reported.has(key)) return;
      reported.add(key);
      report(finding);
    };
    for (const run of plan.artifactRuns) {
      checkNameConflicts(run, once);
      checkVersions(run, once);
    }
    for (const route of plan.routes) {
      for (const note of route.notes) once(`note:${where(note.evidence)}:${where(note.reader)}`, noteFinding(note));
    }
  },
});

type EmitOnce = (key: string, finding: ArtifactsReport) => void;

/** v4 uploads of one literal name by two steps or legs of the same run. */
function checkNameConflicts(run: ArtifactRun, once: EmitOnce): void {
  const byName = new Map<string, { job: JobRun; effect: ArtifactUploadEffect }[]>();
  for (const { job, effect } of run.transfers) {
    if (effect.kind !== 'artifact-upload' || (effect.version ?? 0) < 4 || hasGlob(effect.name)) continue;
    byName.set(effect.name, [...(byName.get(effect.name) ?? []), { job, effect }]);
  }
  for (const [name, uploads] of byName) {
    const [first, ...rest] = uploads;
    const second = rest.find((upload) => !upload.effect.overwrite);
    if (!first || !second) continue;
    const { step } = second.effect.stepRun;
    const named = Object.keys(step.with).includes('name');
    once(`conflict:${where(second.effect.evidence)}`, {
      kind: 'name-conflict',
      file: step.file,
      range: named ? valueRange(step.file, [...step.path, 'with', 'name']) : evidenceRange(second.effect.evidence),
      message:
        `artifact "${name}" is uploaded twice in one run: by ${describeJob(first.job)} at ${describeEvidence(first.effect.evidence)} and by ${describeJob(second.job)} ` +
        `at ${describeEvidence(second.effect.evidence)}; upload-artifact v4 refuses a second artifact of the same name (409 Conflict), so that job fails and nothing is published. ` +
        `Give each upload its own name (${uniqueName(name, first.job, second.job)}) and download them with pattern: ${name}-* and merge-multiple: true`,
    });
  }
}

/** upload-artifact / download-artifact below v4. */
function checkVersions(run: ArtifactRun, once: EmitOnce): void {
  for (const { job, effect } of run.transfers) {
    if (effect.kind === 'artifact-merge' || effect.version === undefined || effect.version >= 4) continue;
    const { step } = effect.stepRun;
    const action = step.uses!.replace(/@.*$/, '');
    once(`version:${where(effect.evidence)}`, {
      kind: 'deprecated-version',
      file: step.file,
      range: evidenceRange(effect.evidence),
      message:
        `${step.uses} in ${describeJob(job)} (${describeEvidence(effect.evidence)}): GitHub fails every run that uses v3 or older of the artifact actions ` +
        `(since January 30, 2025), so the release never gets past this step; use ${action}@v4, and the same major version for the other artifact action (v4 cannot read artifacts of v3)`,
    });
  }
}

function noteFinding(note: TraceNote): ArtifactsReport {
  const file = note.reader.file;
  const range = evidenceRange(note.reader);
  switch (note.kind) {
    case 'nested-download':
      return {
        kind: 'nested-download',
        file: note.evidence.file,
        range: evidenceRange(note.evidence),
        message: `the ${note.detail} (download at ${describeEvidence(note.evidence)}), so the upload at ${describeEvidence(note.reader)} finds no distribution there; add merge-multiple: true to the download`,
      };
    case 'misdirected':
      return { kind: 'wrong-directory', file, range, message: `nothing is uploaded: ${note.detail}` };
    case 'literal-expression':
      return { kind: 'wrong-directory', file, range, message: `${note.detail}; no such directory exists, so nothing is uploaded: pass the path itself (dist/), not a string that holds an expression` };
  }
}

/** A name that differs between the two uploads: by the matrix key the legs differ in, else by job. */
function uniqueName(name: string, a: JobRun, b: JobRun): string {
  const key = a.job === b.job && a.leg ? [...a.leg.keys()].find((candidate) => JSON.stringify(a.leg!.get(candidate)?.value) !== JSON.stringify(b.leg?.get(candidate)?.value)) : undefined;
  return key ? `name: ${name}-\${{ matrix.${key} }}` : `e.g. ${name}-${a.job.id} and ${name}-${b.job.id}`;
}

function describeJob(job: JobRun): string {
  const leg = job.leg && job.leg.size > 0 ? ` (${[...job.leg].map(([key, { value }]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(', ')})` : '';
  return `job ${job.job.id}${leg}`;
}

function where(evidence: Evidence): string {
  const range = evidenceRange(evidence);
  return `${evidence.file.path}:${range.start}`;
}
