import { compare } from '@renovatebot/pep440';
import { defineRule } from '../../src/engine/rule.js';
import { evidenceRange } from '../../src/plan/evidence.js';
import { describeIndex } from '../../src/plan/indexes.js';
import { packageDirsOf, releasePlan, type PublishRoute } from '../../src/plan/release-plan.js';
import type { Project } from '../../src/project/project.js';
import { backendRequirement, firstTwineReading, metadataWritten, twineReads } from '../../src/pyproject/tooling.js';
import { lineOf, valueRange } from '../../src/workflow/locate.js';
import type { JobModel, StepModel } from '../../src/workflow/model.js';
import { firstReleaseWithTwine, isMissingPublishActionRef, publishActionRef, publishActionSuggestion } from '../../src/workflow/publish-action-refs.js';
import { parseActionReference, uploadGroups } from '../../src/workflow/publish-jobs.js';

const ACTION = 'pypa/gh-action-pypi-publish';

export default defineRule({
  meta: {
    id: 'workflow/publish-action',
    category: 'release',
    defaultSeverity: 'error',
    kinds: {
      'container-runner': {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'pypa/gh-action-pypi-publish, a container action, in a job on a Windows or macOS runner: the step fails.',
      },
      'unknown-ref': { category: 'release', defaultSeverity: 'error', enabledByDefault: true, description: 'A ref of pypa/gh-action-pypi-publish that the action does not have (v1, main).' },
      'old-twine': {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: "The publish action or twine pinned to a version that cannot read the Metadata-Version the package's backend writes.",
      },
      'check-url': {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'uv publish --check-url naming another index than the one uploaded to.',
      },
    },
    fixable: 'none',
    description: 'pypa/gh-action-pypi-publish and the upload tools: non-Linux runners, refs that do not exist, twine too old for the metadata, --check-url on another index.',
    docs: {
      catches:
        '`pypa/gh-action-pypi-publish` in a job whose `runs-on` is a Windows or macOS runner (kind `container-runner`: it is a ' +
        'Docker container action, which GitHub runs on Linux only; a matrix `runs-on: ${{ matrix.os }}` is read per leg, ' +
        'so the action in every leg of an OS matrix is reported, while legs that upload the same files of a package twice (an ' +
        'sdist built in every leg) are `workflow/trigger-reachability`\'s `repeated-leg`, not this one); referenced by a ref the action does not have, such as `@v1`, `@v1.12` or `@main` (kind ' +
        '`unknown-ref`, from the dated list of its releases in data/pypi-publish-action.json). The action (by the twine its ' +
        'release bundles) or a twine pinned in the upload job (`pip install twine==5.1.1`, `twine<6`) that cannot read the ' +
        "Metadata-Version the package's build backend writes at the lowest version `[build-system] requires` admits " +
        '(data/metadata-versions.json: setuptools >= 77 and hatchling >= 1.26 write 2.4, hatchling >= 1.30 writes 2.5; twine ' +
        'reads 2.4 from 6.0 and 2.5 from 7.0; kind `old-twine`). And `uv publish --check-url` (or UV_PUBLISH_CHECK_URL) on ' +
        'another index than the upload goes to (kind `check-url`).',
      why:
        'Each of these fails the release at the upload: "Container action is only supported on Linux", "Unable to resolve ' +
        'action", "InvalidDistribution: Metadata is missing required fields: Name, Version" or "\'2.5\' is not a valid ' +
        'metadata version". `--check-url` makes uv skip the files that exist on the index it names: naming ' +
        'pypi.org while uploading to TestPyPI skips every file already released, and naming TestPyPI while uploading to ' +
        'pypi.org skips files PyPI does not have.',
      failing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: windows-latest\n    permissions:\n      id-token: write\n    steps:\n' +
          '      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@v1\n',
      },
      passing: {
        file: '.github/workflows/publish.yml',
        content:
          'on:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n' +
          '      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@release/v1\n',
      },
      fixSafety: 'No fix: which runner, ref or twine to use is yours to choose.',
    },
  },
  check({ project, report }) {
    const plan = releasePlan(project);
    for (const { site, routes } of uploadGroups(plan)) {
      const { workflow, job, step } = site;
      const file = step.file;
      const uses = step.uses ? parseActionReference(step.uses) : undefined;
      const isAction = uses !== undefined && uses.repository.toLowerCase() === ACTION;
      if (isAction) {
        const foreign = nonLinuxRunners(job);
        if (foreign.length > 0) {
          report({
            kind: 'container-runner',
            file: workflow.file,
            range: valueRange(workflow.file, [...job.path, 'runs-on']),
            message:
              `job ${job.id} runs ${ACTION} (${file.path}:${lineOf(file, step.path)}) on ${foreign.join(', ')}: it is a Docker container action, which GitHub runs on Linux runners only, so the upload fails; ` +
              'upload from a job on ubuntu-latest that downloads the distributions the other runners built',
          });
        }
        const ref = uses.ref === undefined ? undefined : publishActionRef(uses.ref);
        if (isMissingPublishActionRef({ repository: ACTION, ref: uses.ref })) {
          report({
            kind: 'unknown-ref',
            file,
            range: valueRange(file, [...step.path, 'uses']),
            message: `${ACTION}@${uses.ref ?? ''} names ${uses.ref ? 'a ref the action does not have (it publishes no floating major or minor tags)' : 'no ref'}: the job fails before it starts; use ${publishActionSuggestion()}`,
          });
        }
        if (ref?.twine) checkTwine(`${ACTION}@${uses.ref}${ref.tag && ref.tag !== uses.ref ? ` (${ref.tag})` : ''} bundles twine ${ref.twine}`, ref.twine, valueRange(file, [...step.path, 'uses']));
      } else if (site.tool === 'twine upload') {
        const pinned = pinnedTwine(job, step);
        if (pinned) checkTwine(`the upload job installs ${pinned.text} (${pinned.step.file.path}:${lineOf(pinned.step.file, [...pinned.step.path, 'run'])})`, pinned.version, valueRange(pinned.step.file, [...pinned.step.path, 'run']), pinned.step.file);
      }
      for (const route of routes) if (route.checkIndex) checkUrl(route);

      function upgrade(twine: string | undefined): string {
        if (!isAction) return `install twine>=${twine ?? 'a newer release'}`;
        const release = twine && firstReleaseWithTwine(twine);
        return release ? `use ${ACTION} ${release} or later (twine ${twine})` : `use a ${ACTION} release with a newer twine`;
      }

      function checkTwine(what: string, twine: string, range: { start: number; end: number }, at = file): void {
        const reads = twineReads(twine);
        const writer = newestMetadata(project, routes);
        if (!writer || compare(writer.metadata, reads) <= 0) return;
        report({
          kind: 'old-twine',
          file: at,
          range,
          message:
            `${what}, which reads Metadata-Version up to ${reads}, but ${writer.name} builds with ${writer.requirement} (${writer.file}), whose lowest admitted ${writer.distribution} ${writer.floor} writes Metadata-Version ${writer.metadata}: ` +
            `the upload fails with InvalidDistribution; ${upgrade(firstTwineReading(writer.metadata))}`,
        });
      }
    }

    function checkUrl(route: PublishRoute): void {
      const check = route.checkIndex!;
      if (check.kind === 'unknown' || route.index.kind === 'unknown' || sameIndex(check, route.index)) return;
      const evidence = check.evidence;
      const step = route.upload.step;
      const at = evidence ? { file: evidence.file, range: evidenceRange(evidence) } : { file: step.file, range: valueRange(step.file, [...step.path, 'run']) };
      report({
        kind: 'check-url',
        ...at,
        message:
          `uv publish (${step.file.path}:${lineOf(step.file, step.path)}) uploads to ${describeIndex(route.index)} but its --check-url names ${describeIndex(check)}: uv skips the files that exist there, not on the index it uploads to; ` +
          'point --check-url at the simple index of the same index (https://pypi.org/simple/ for pypi.org, https://test.pypi.org/simple/ for TestPyPI)',
      });
    }
  },
});

/** The labels of `runs-on` (per matrix leg) that are Windows or macOS runners. */
function nonLinuxRunners(job: JobModel): string[] {
  const labels = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string') labels.add(value);
    else if (Array.isArray(value)) value.forEach(add);
    else if (value && typeof value === 'object') add((value as Record<string, unknown>).labels);
  };
  const runsOn = job.runsOn;
  const matrixKey = typeof runsOn === 'string' ? /^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$/.exec(runsOn.trim())?.[1] : undefined;
  if (matrixKey) for (const leg of job.legs ?? []) add(leg.get(matrixKey)?.value);
  else add(runsOn);
  return [...labels].filter((label) => /^(windows|macos)|\b(windows|macos|macOS)\b/i.test(label));
}

/** `pip install twine==5.1.1`, `uvx twine@5.1.1`, `"twine<6"` in a step of the upload job before the upload. */
function pinnedTwine(job: JobModel, upload: StepModel): { version: string; text: string; step: StepModel } | undefined {
  for (const step of job.steps.slice(0, upload.index + 1).reverse()) {
    const match = /\btwine\s*(==|@|<=|<)\s*(\d+(?:\.\d+)*)/.exec(step.run ?? '');
    if (!match) continue;
    const [text, operator, version] = match as unknown as [string, string, string];
    // `<6` admits at most 5.x: the newest of those reads what 5.x reads.
    return { version: operator === '<' ? `${Number(version.split('.')[0]) - 1}.999` : version, text, step };
  }
  return undefined;
}

interface MetadataWriter {
  name: string;
  file: string;
  requirement: string;
  distribution: string;
  floor: string;
  metadata: string;
}

/** Of the packages the upload sends, the one whose backend floor writes the newest Metadata-Version. */
function newestMetadata(project: Project, routes: PublishRoute[]): MetadataWriter | undefined {
  let newest: MetadataWriter | undefined;
  for (const dir of packageDirsOf(routes)) {
    const pkg = project.packageAt(dir);
    const backend = pkg?.pyproject && backendRequirement(pkg.pyproject);
    if (!pkg || !backend?.floor) continue;
    const metadata = metadataWritten(backend.distribution, backend.floor);
    if (!metadata || (newest && compare(metadata, newest.metadata) <= 0)) continue;
    const line = pkg.declaredIn.positionAt(pkg.pyproject!.rangeOfValue(['build-system', 'requires', backend.index])?.start ?? 0).line;
    newest = { name: pkg.name ?? pkg.dir, file: `${pkg.declaredIn.path}:${line}`, requirement: `"${backend.requirement}"`, distribution: backend.distribution, floor: backend.floor, metadata };
  }
  return newest;
}

function sameIndex(a: { kind: string; name?: string | undefined }, b: { kind: string; name?: string | undefined }): boolean {
  if (a.kind !== 'other' || b.kind !== 'other') return a.kind === b.kind;
  const host = (name: string | undefined): string | undefined => name?.toLowerCase().replace(/^https?:\/\//, '').split(/[/?#]/)[0];
  return host(a.name) === host(b.name);
}
