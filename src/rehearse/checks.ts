/**
 * What would go wrong in a rehearsed release, each under the existing rule whose concern it is:
 * the version a tag names against the package's (workflow/tag-version), two publishers started by
 * one tag (workflow/tag-overlap), one package uploaded twice, a release that uploads the packages
 * of several publishers, a tag that uploads nothing, an upload a skipped job keeps from running
 * (workflow/release-trigger), a token secret nobody passes (secrets/declared), a build of a
 * directory that holds no package (workflow/publish-map), a dispatch input meant as the version
 * that nothing compares with it (workflow/tag-version).
 */
import type { Project } from '../project/project.js';
import { isValidGitTagName, literalPrefix } from '../workflow/tag-filter.js';
import { normalizeVersion, versionFromTag } from '../gate/tag.js';
import { releasePlan, workflowModels } from '../plan/release-plan.js';
import { existingTags } from './git-tags.js';
import { startedRuns } from './scenario.js';
import { placeOf, type Place, type RehearsedRun, type RehearsedUpload, type Rehearsal } from './rehearse.js';
import { dispatchVersionInputs } from './dispatch-inputs.js';

export type Severity = 'error' | 'warning' | 'info';

export interface RehearsalFinding {
  rule: string;
  severity: Severity;
  /** Where to fix it; undefined when nothing in the repository is to blame (a tag no workflow matches and no near miss). */
  at: Place | undefined;
  message: string;
}

/** Uploads that run, or may run, in the rehearsal. */
function liveUploads(rehearsal: Rehearsal): { run: RehearsedRun; upload: RehearsedUpload }[] {
  return rehearsal.runs.flatMap((run) => run.jobs.flatMap((job) => job.uploads.filter((upload) => upload.runs !== false).map((upload) => ({ run, upload }))));
}

export function rehearsalFindings(project: Project, rehearsal: Rehearsal): RehearsalFinding[] {
  const publishers = severalPublishers(rehearsal);
  return [
    ...startsNothing(project, rehearsal),
    // One cause, one finding: the packages a stray publisher uploads carry versions no tag meant.
    ...(publishers.length > 0 ? [] : versionProblems(rehearsal)),
    ...missingPackages(rehearsal),
    ...publishers,
    ...doubleUploads(rehearsal),
    ...blockedUploads(rehearsal),
    ...emptySecrets(rehearsal),
    ...releasedBefore(project, rehearsal),
    ...dispatchVersionInputs(rehearsal),
  ];
}

/** A tag (or release) that uploads nothing: no workflow starts, or every upload is skipped. */
function startsNothing(project: Project, rehearsal: Rehearsal): RehearsalFinding[] {
  const { scenario } = rehearsal;
  if (scenario.kind !== 'tag' && scenario.kind !== 'release') return [];
  if (scenario.kind === 'release' && scenario.draft) return [];
  if (liveUploads(rehearsal).length > 0) return [];
  const what = scenario.kind === 'tag' ? `tag ${scenario.tag}` : `release ${scenario.tag}`;
  if (rehearsal.runs.length > 0) {
    const skipped = rehearsal.runs.flatMap((run) => run.jobs.flatMap((job) => job.uploads.map((upload) => `${upload.tool} at ${upload.at.file}:${upload.at.line} (${upload.why ?? 'skipped'})`)));
    const started = rehearsal.runs.map((run) => run.started.workflow.file.path).join(', ');
    // A warning: a condition may skip the upload on purpose (a pre-release, a dry run by default).
    return [{ rule: 'workflow/release-trigger', severity: 'warning', at: rehearsal.runs[0]!.at, message: `${what} starts ${started} but uploads nothing${skipped.length > 0 ? `: ${skipped.join('; ')}` : ': no job of it uploads'}` }];
  }
  if (scenario.kind === 'release') {
    return [{ rule: 'workflow/release-trigger', severity: 'error', at: undefined, message: `${what} starts no workflow: none listens to the release event (${publishTriggers(project)}); push the tag instead, or add on.release to its publish workflow` }];
  }
  const near = nearMiss(project, scenario.tag);
  const message = `tag ${scenario.tag} starts no workflow, so it publishes nothing (${publishTriggers(project)})`;
  return [{ rule: 'workflow/release-trigger', severity: 'error', at: near?.at, message: near ? `${message}; it starts like '${near.pattern}' but does not match it` : message }];
}

/** The tag patterns and release triggers of the workflows that upload, for a message. */
function publishTriggers(project: Project): string {
  const parts = workflowModels(project)
    .filter((workflow) => /publish|upload/.test(workflow.file.text) && workflow.triggers.events.some((event) => event !== 'workflow_call'))
    .map((workflow) => {
      const filter = workflow.triggers.pushTags;
      const tags = filter.kind === 'patterns' ? `tags ${filter.patterns.join(', ')}` : filter.kind === 'ignore' ? `every tag but ${filter.patterns.join(', ')}` : filter.kind === 'all' ? 'every tag' : undefined;
      const events = [tags, workflow.triggers.events.includes('release') ? 'release' : undefined].filter(Boolean);
      return events.length > 0 ? `${workflow.name}: ${events.join(', ')}` : undefined;
    })
    .filter(Boolean);
  return parts.length > 0 ? `publish triggers: ${parts.join('; ')}` : 'no workflow publishes on a tag or a release';
}

/** The pattern whose literal prefix starts the tag: the one it was probably meant for. */
function nearMiss(project: Project, tag: string): { pattern: string; at: Place } | undefined {
  let best: { pattern: string; at: Place; length: number } | undefined;
  for (const workflow of workflowModels(project)) {
    for (const entry of workflow.triggers.pushTagPatterns) {
      if (entry.pattern.startsWith('!')) continue;
      const prefix = literalPrefix({ kind: 'patterns', patterns: [entry.pattern] });
      if (prefix && tag.startsWith(prefix) && (!best || prefix.length > best.length)) best = { pattern: entry.pattern, at: placeOf(workflow.file, entry.path), length: prefix.length };
    }
  }
  return best;
}

function versionProblems(rehearsal: Rehearsal): RehearsalFinding[] {
  const findings: RehearsalFinding[] = [];
  for (const { upload } of liveUploads(rehearsal)) {
    for (const pkg of upload.packages) {
      const problem = pkg.released?.problem;
      if (problem === undefined || findings.some((finding) => finding.message.startsWith(problem))) continue;
      const stopped = upload.tagCheck ? `; the check at ${upload.tagCheck.file}:${upload.tagCheck.line} fails the run before the upload at ${upload.at.file}:${upload.at.line}` : ` (upload at ${upload.at.file}:${upload.at.line})`;
      findings.push({ rule: 'workflow/tag-version', severity: 'error', at: pkg.released!.at ?? upload.at, message: `${problem}${stopped}` });
    }
  }
  return findings;
}

/** A build of a directory (or `--package` name) that holds no package: the build fails. */
function missingPackages(rehearsal: Rehearsal): RehearsalFinding[] {
  return liveUploads(rehearsal).flatMap(({ upload }) =>
    upload.packages
      .filter((pkg) => pkg.pkg === undefined)
      .map((pkg) => ({ rule: 'workflow/publish-map', severity: 'error' as const, at: upload.at, message: `the upload at ${upload.at.file}:${upload.at.line} sends what was built from ${pkg.dir ?? pkg.name}, where there is no package: the build fails` })),
  );
}

/** Uploads to one index grouped by package: the same package uploaded twice fails the second time ("File already exists"). */
function uploadsByPackage(rehearsal: Rehearsal): Map<string, { run: RehearsedRun; upload: RehearsedUpload }[]> {
  const groups = new Map<string, { run: RehearsedRun; upload: RehearsedUpload }[]>();
  for (const entry of liveUploads(rehearsal)) {
    for (const pkg of entry.upload.packages) {
      if (!pkg.pkg) continue;
      const key = `${entry.upload.index}\u0000${pkg.pkg.dir}`;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
  }
  return groups;
}

/** One tag or release that starts the publish workflows of several packages. */
function severalPublishers(rehearsal: Rehearsal): RehearsalFinding[] {
  const { scenario } = rehearsal;
  if (scenario.kind !== 'tag' && scenario.kind !== 'release') return [];
  const publishers = new Map<string, { run: RehearsedRun; packages: Set<string> }>();
  for (const { run, upload } of liveUploads(rehearsal)) {
    if (upload.index !== 'pypi' && upload.index !== 'unknown') continue;
    const entry = publishers.get(run.started.workflow.file.path) ?? { run, packages: new Set<string>() };
    for (const pkg of upload.packages) if (pkg.pkg) entry.packages.add(pkg.name);
    publishers.set(run.started.workflow.file.path, entry);
  }
  const list = [...publishers.values()].filter((entry) => entry.packages.size > 0);
  if (list.length < 2) return [];
  const names = list.map(({ run, packages }) => `${[...packages].join(', ')} (${run.started.workflow.file.path}, ${run.started.because} at line ${run.at.line})`).join('; ');
  if (scenario.kind === 'tag') {
    return [{ rule: 'workflow/tag-overlap', severity: 'error', at: list[1]!.run.at, message: `tag ${scenario.tag} starts ${list.length} publishers: ${names}; a release tag must start one, make their tag patterns disjoint` }];
  }
  return [{ rule: 'workflow/release-trigger', severity: 'error', at: list[1]!.run.at, message: `release ${scenario.tag} publishes the packages of ${list.length} workflows: ${names}; a release is not tied to a package, so guard each publish job with if: startsWith(github.event.release.tag_name, '<its prefix>')` }];
}

/** One package uploaded twice to one index in the same rehearsal, by the same workflow (release activity types, matrix legs, two steps). */
function doubleUploads(rehearsal: Rehearsal): RehearsalFinding[] {
  const findings: RehearsalFinding[] = [];
  for (const entries of uploadsByPackage(rehearsal).values()) {
    if (entries.length < 2) continue;
    const workflows = new Set(entries.map(({ run }) => run.started.workflow.file.path));
    if (workflows.size > 1 && (rehearsal.scenario.kind === 'tag' || rehearsal.scenario.kind === 'release')) continue; // severalPublishers names it
    const pkg = entries[0]!.upload.packages.find((candidate) => candidate.pkg)!;
    const ways = entries.map(({ run, upload }) => `${upload.at.file}:${upload.at.line} in the run on ${run.started.because} (job ${upload.job.job.id}${upload.job.leg?.size ? `, leg ${[...upload.job.leg.values()].map((leg) => JSON.stringify(leg.value)).join(', ')}` : ''})`);
    const fix = rehearsal.scenario.kind === 'release' ? ': list one activity type, on.release.types: [published]' : ': upload each package once';
    const at = rehearsal.scenario.kind === 'release' ? entries[0]!.run.at : entries[1]!.upload.at;
    findings.push({ rule: 'workflow/release-trigger', severity: 'error', at, message: `${pkg.name} is uploaded ${entries.length} times to ${entries[0]!.upload.indexName}: ${ways.join('; ')}; every upload after the first fails with "File already exists"${fix}` });
  }
  return findings;
}

/** An upload whose own conditions hold but that a job it needs keeps from running. */
function blockedUploads(rehearsal: Rehearsal): RehearsalFinding[] {
  const findings: RehearsalFinding[] = [];
  for (const run of rehearsal.runs) {
    for (const job of run.jobs) {
      if (job.blockedBy.length === 0) continue;
      for (const upload of job.uploads) {
        if (upload.why !== 'its job does not run') continue;
        const needs = job.blockedBy.map((need) => `${need.label}${need.why ? ` (${need.why})` : ''}`).join(', ');
        findings.push({ rule: 'workflow/release-trigger', severity: 'error', at: job.at, message: `on ${rehearsal.title}, the upload at ${upload.at.file}:${upload.at.line} never runs: job ${job.label} needs ${needs}, which this trigger skips` });
      }
    }
  }
  return findings;
}

/** A token read from a secret the workflow's caller does not pass: the upload runs with an empty token. */
function emptySecrets(rehearsal: Rehearsal): RehearsalFinding[] {
  const findings: RehearsalFinding[] = [];
  for (const { upload } of liveUploads(rehearsal)) {
    const { credential, emptySecret: read } = upload;
    if (read === undefined || credential.kind !== 'token' || !credential.origin) continue;
    const at = placeOf(credential.origin.file, credential.origin.path);
    const caller = upload.job.frame.caller;
    const chain = caller ? ` by job ${caller.job.id} (${placeOf(caller.workflow.file, caller.job.path).file}:${placeOf(caller.workflow.file, caller.job.path).line})` : '';
    const message = `${credential.variable} reads secrets.${read} at ${at.file}:${at.line}, which is not passed${chain}: the upload at ${upload.at.file}:${upload.at.line} runs with an empty token and fails; pass it under secrets: (or secrets: inherit)`;
    if (!findings.some((finding) => finding.message === message)) findings.push({ rule: 'secrets/declared', severity: 'error', at, message });
  }
  return findings;
}

/**
 * A version this tag uploads that an existing tag of another pattern already released: `v1.4.0`
 * after `open-ticket-ai-v1.4.0` uploads 1.4.0 again, and PyPI refuses it ("File already exists").
 */
function releasedBefore(project: Project, rehearsal: Rehearsal): RehearsalFinding[] {
  const { scenario } = rehearsal;
  if (scenario.kind !== 'tag') return [];
  const live = liveUploads(rehearsal).filter(({ upload }) => upload.index === 'pypi');
  if (live.length === 0) return [];
  const tags = [...existingTags(project.root)].filter((tag) => tag !== scenario.tag);
  const findings: RehearsalFinding[] = [];
  for (const { upload } of live) {
    for (const pkg of upload.packages) {
      const version = pkg.released?.version;
      if (!pkg.pkg || version === undefined) continue;
      const publishers = new Set(releasePlan(project).routes.filter((route) => route.index.kind === 'pypi' && route.packageDirs.includes(pkg.pkg!.dir)).map((route) => route.workflow));
      // Only tags that name this version at all are rehearsed (a repository may have thousands).
      const named = tags.filter((tag) => {
        const named = versionFromTag(tag, '');
        return named !== undefined && normalizeVersion(named) === normalizeVersion(version) && isValidGitTagName(tag);
      });
      for (const tag of named) {
        const started = startedRuns(project, { kind: 'tag', tag }).find((run) => publishers.has(run.workflow));
        const prefix = started?.pattern === undefined ? '' : literalPrefix({ kind: 'patterns', patterns: [started.pattern] });
        const earlier = started && versionFromTag(tag, prefix);
        if (!started || earlier === undefined || normalizeVersion(earlier) !== normalizeVersion(version)) continue;
        const at = placeOf(started.workflow.file, started.where);
        findings.push({
          rule: 'workflow/tag-overlap',
          severity: 'error',
          at: pkg.released?.at ?? upload.at,
          message: `${pkg.name} ${version} was released already by the existing tag ${tag} (${started.because} at ${at.file}:${at.line}): the upload at ${upload.at.file}:${upload.at.line} fails with "File already exists"; bump the version before tagging`,
        });
        break;
      }
    }
  }
  return findings;
}
