/**
 * `gate --tag TAG`: which package does pushing TAG release? The release plan's routes say which
 * entry workflow publishes which package directories; a route is triggered by TAG when its
 * workflow's `on.push.tags` / `tags-ignore` filter matches it. The version part of the tag is the
 * text after the literal prefix of the pattern that matched (`hf-local-v*` → `1.2.0` in
 * `hf-local-v1.2.0`), without a leading `v`. The packages are those the rehearsal of the tag push
 * uploads (src/rehearse/), the same evaluation `pypi-release-lint rehearse --tag` prints.
 */
import { clean } from '@renovatebot/pep440';
import { releasePlan } from '../plan/release-plan.js';
import { rehearse } from '../rehearse/rehearse.js';
import type { WorkflowModel } from '../workflow/model.js';
import type { Package, Project } from '../project/project.js';
import { DECISION_BUDGET, isValidGitTagName, literalPrefix, TagFilterTooComplex, tagFilterMatches, WorkBudget, type TagFilter } from '../workflow/tag-filter.js';

export interface TagMatch {
  workflow: WorkflowModel;
  /** The pattern that decided the match, and its index under on.push.tags; undefined for tags-ignore or an unfiltered push. */
  pattern: string | undefined;
  patternIndex: number | undefined;
  /** The pattern's literal prefix ('' when none). */
  prefix: string;
  /** Package directories the workflow's routes publish ([] when the plan could not resolve them). */
  packageDirs: string[];
}

export interface TagResolution {
  /** As given (`refs/tags/hf-local-v1.2.0`). */
  raw: string;
  /** The tag name (`hf-local-v1.2.0`). */
  tag: string;
  /** Why TAG is not a tag name at all, if it is not. */
  invalid: string | undefined;
  matches: TagMatch[];
  /** The distinct packages the matching workflows publish. */
  packages: Package[];
  /** The version read from the tag through the (first) matching pattern, when one could be read. */
  version: string | undefined;
  /** The match the version was read through. */
  versionMatch: TagMatch | undefined;
}

export function tagName(raw: string): string {
  return raw.trim().replace(/^refs\/tags\//, '');
}

export function resolveTag(project: Project, raw: string): TagResolution {
  const tag = tagName(raw);
  const resolution: TagResolution = { raw, tag, invalid: undefined, matches: [], packages: [], version: undefined, versionMatch: undefined };
  if (/^refs\/(?:heads|remotes|pull)\//.test(raw.trim())) {
    resolution.invalid = `${raw} is a branch or pull request ref, not a tag`;
    return resolution;
  }
  if (!isValidGitTagName(tag)) {
    resolution.invalid = `'${tag}' is not a valid git tag name`;
    return resolution;
  }
  try {
    resolution.matches = matchingWorkflows(project, tag);
    narrowToRehearsal(project, tag, resolution.matches);
  } catch (error) {
    if (!(error instanceof TagFilterTooComplex)) throw error;
    resolution.invalid = `the publish workflows' tag patterns are too complex to match '${tag}' against within the work limit (workflow/tag-overlap names them)`;
    return resolution;
  }
  const seen = new Set<string>();
  for (const match of resolution.matches) {
    for (const dir of match.packageDirs) {
      const pkg = project.packageAt(dir);
      if (pkg && !seen.has(pkg.dir)) {
        seen.add(pkg.dir);
        resolution.packages.push(pkg);
      }
    }
  }
  for (const match of resolution.matches) {
    const version = versionFromTag(tag, match.prefix);
    if (version !== undefined) {
      resolution.version = version;
      resolution.versionMatch = match;
      break;
    }
  }
  return resolution;
}

/** The workflows `tag` triggers, each with the pattern that decides it; TagFilterTooComplex past the work budget. */
function matchingWorkflows(project: Project, tag: string): TagMatch[] {
  const budget = new WorkBudget(DECISION_BUDGET);
  const byWorkflow = new Map<WorkflowModel, TagMatch>();
  for (const route of releasePlan(project).routes) {
    const filter = route.workflow.triggers.pushTags;
    if (!tagFilterMatches(filter, tag, budget)) continue;
    const existing = byWorkflow.get(route.workflow);
    if (existing) {
      for (const dir of route.packageDirs) if (!existing.packageDirs.includes(dir)) existing.packageDirs.push(dir);
      continue;
    }
    byWorkflow.set(route.workflow, { workflow: route.workflow, ...decidingPattern(filter, tag, budget), packageDirs: [...route.packageDirs] });
  }
  return [...byWorkflow.values()];
}

/**
 * What the rehearsal of a push of `tag` uploads to PyPI, per workflow: a single publisher that
 * picks the package from the tag (`${GITHUB_REF_NAME%-v*}`) publishes one package on this tag,
 * not every package its routes can publish. A workflow whose rehearsal uploads no package keeps
 * its routes' packages.
 */
function narrowToRehearsal(project: Project, tag: string, matches: TagMatch[]): void {
  const rehearsal = rehearse(project, { kind: 'tag', tag });
  for (const match of matches) {
    const dirs = rehearsal.runs
      .filter((run) => run.started.workflow === match.workflow)
      .flatMap((run) => run.jobs.flatMap((job) => job.uploads))
      .filter((upload) => upload.runs !== false && (upload.index === 'pypi' || upload.index === 'unknown'))
      .flatMap((upload) => upload.packages.flatMap((pkg) => (pkg.pkg ? [pkg.pkg.dir] : [])));
    if (dirs.length > 0) match.packageDirs = [...new Set(dirs)];
  }
}

/** GitHub's ordered rule: the last pattern that matches decides; that pattern's literal prefix. */
function decidingPattern(filter: TagFilter, tag: string, budget: WorkBudget): Pick<TagMatch, 'pattern' | 'patternIndex' | 'prefix'> {
  if (filter.kind !== 'patterns') return { pattern: undefined, patternIndex: undefined, prefix: '' };
  for (let index = filter.patterns.length - 1; index >= 0; index--) {
    const pattern = filter.patterns[index]!;
    if (pattern.startsWith('!')) continue;
    const single: TagFilter = { kind: 'patterns', patterns: [pattern] };
    if (tagFilterMatches(single, tag, budget)) return { pattern, patternIndex: index, prefix: literalPrefix(single) };
  }
  return { pattern: undefined, patternIndex: undefined, prefix: '' };
}

/**
 * The version in a tag: the text after `prefix` without a leading `v`; when that is not a PEP 440
 * version (a pattern like `*-v*` has no useful prefix), the longest suffix after a `-`, `_`, `/`
 * or `@` that is one (`release/pkg-v1.2.0` → `1.2.0`).
 */
export function versionFromTag(tag: string, prefix: string): string | undefined {
  const candidates: string[] = [];
  if (tag.startsWith(prefix)) candidates.push(tag.slice(prefix.length));
  for (let index = 1; index < tag.length; index++) {
    if ('-_/@'.includes(tag[index - 1]!)) candidates.push(tag.slice(index));
  }
  candidates.push(tag);
  for (const candidate of candidates) {
    const stripped = candidate.replace(/^[vV](?=\d)/, '');
    if (/^\d/.test(stripped) && clean(stripped) !== null) return stripped;
  }
  return undefined;
}

/** PEP 440 normal form (`1.0.0-RC1` → `1.0.0rc1`), or the text itself when it is not a version. */
export function normalizeVersion(version: string): string {
  return clean(version) ?? version;
}
