/**
 * What `pypi-release-lint plan` prints: for each package its routes (upload ← artifact ← build ←
 * directory ← trigger), index, credential and how each is known, with file:line evidence; then
 * the publish steps the linter could not follow. `planEntries` is the same as data (--format json).
 */
import type { Package, Project } from '../project/project.js';
import { eventRange } from '../workflow/locate.js';
import { describeEvidence, evidenceLine } from './evidence.js';
import { describeIndex } from './indexes.js';
import type { TriggerEvent } from './events.js';
import { releasePlan, uploadsToPyPI, type Credential, type PublishRoute, type RouteConfidence } from './release-plan.js';

export interface RouteEntry {
  /** The entry workflow (the caller, for a reusable workflow). */
  file: string;
  job: string;
  /** The events on which the upload may run: `push tags`, `push branches`, `release`, `workflow_dispatch`... */
  events: string[];
  tagPatterns: string[];
  /** `tags-ignore` patterns list what does NOT trigger. */
  tagFilter: 'tags' | 'tags-ignore' | 'all' | 'none';
  releaseTypes: string[] | undefined;
  /** The job and file that build the distributions, when found. */
  build: { file: string; job: string; line: number } | undefined;
  uploadFile: string;
  uploadLine: number;
  uploadJob: string;
  uploadTool: string;
  index: 'pypi' | 'testpypi' | 'other' | 'unknown';
  indexName: string | undefined;
  credential: string;
  /** The secret the entry workflow passes (undefined for trusted publishing). */
  secret: string | undefined;
  trustedPublishing: boolean;
  python: string[];
  confidence: RouteConfidence;
  /** Why the package was inferred rather than read. */
  reason: string | undefined;
  /** The links followed, upload first, each as `what` at `file:line`. */
  route: { what: string; file: string; line: number }[];
}

export interface PlanEntry {
  package: string | undefined;
  directory: string;
  version: string | undefined;
  /** How the package is declared: pep621, poetry, setup.cfg, setup.py, unparsed. */
  kind: Package['kind'];
  /**
   * published (to pypi.org), rehearsed (TestPyPI or another index only), unknown (a publish step
   * the linter cannot follow may publish it), unpublished, or never (it cannot be published).
   */
  status: 'published' | 'rehearsed' | 'unknown' | 'unpublished' | 'never';
  /** Why it can never be published, when it cannot. */
  never: string | undefined;
  workflows: RouteEntry[];
}

export interface OpaqueEntry {
  file: string;
  line: number;
  /** The entry workflow whose run reaches the step. */
  workflow: string;
  reason: string;
}

const TAG_FILTER = { patterns: 'tags', ignore: 'tags-ignore', all: 'all', none: 'none' } as const;

export function eventLabel(event: TriggerEvent): string {
  if (event.kind === 'push-tag') return 'push tags';
  if (event.kind === 'push-branch') return 'push branches';
  return event.name;
}

/** The line where an event's trigger is written: the tag patterns for a tag push, else the event's entry under `on:`. */
function eventLine(route: PublishRoute, event: TriggerEvent): number {
  const { file, triggers } = route.workflow;
  if (event.kind === 'push-tag' && triggers.pushTagsPath) return evidenceLine({ file, path: triggers.pushTagsPath });
  return file.positionAt(eventRange(file, event.name).start).line;
}

export function describeCredential(credential: Credential): string {
  if (credential.kind === 'trusted') return 'trusted publishing (OIDC)';
  if (credential.kind === 'external') return "no token in the workflow (the runner's own configuration: a .pypirc, a keyring)";
  return credential.secret ? `secret ${credential.secret} (${credential.variable})` : `token in ${credential.variable}, not a secret`;
}

function routeEntry(route: PublishRoute, pkg: Package | undefined): RouteEntry {
  const { triggers } = route.workflow;
  const target = pkg ? route.targets.find((candidate) => candidate.pkg === pkg) : undefined;
  return {
    file: route.workflow.file.path,
    job: route.job.id,
    events: route.events.map(eventLabel),
    tagPatterns: triggers.pushTags.kind === 'patterns' || triggers.pushTags.kind === 'ignore' ? triggers.pushTags.patterns : [],
    tagFilter: TAG_FILTER[triggers.pushTags.kind],
    releaseTypes: triggers.releaseTypes,
    build: route.build && { file: route.build.evidence.file.path, job: route.build.job.id, line: evidenceLine(route.build.evidence) },
    uploadFile: route.upload.evidence.file.path,
    uploadLine: evidenceLine(route.upload.evidence),
    uploadJob: route.upload.job.id,
    uploadTool: route.upload.tool,
    index: route.index.kind,
    indexName: route.index.name,
    credential: describeCredential(route.credential),
    secret: route.credential.kind === 'token' ? route.credential.secret : undefined,
    trustedPublishing: route.credential.kind === 'trusted',
    python: route.pythonVersions,
    confidence: target?.confidence ?? route.confidence,
    reason: target?.reason,
    route: [
      ...(target?.chain ?? []).map((link) => ({ what: link.what, file: link.evidence.file.path, line: evidenceLine(link.evidence) })),
      ...(target?.origin ? [{ what: `directory ${pkg!.dir}`, file: target.origin.file.path, line: evidenceLine(target.origin) }] : []),
      // From the upload outwards: the innermost caller first, the entry workflow's job last.
      ...[...route.calls].reverse().map((call) => ({ what: `called by job ${call.job.id}`, file: call.workflow.file.path, line: evidenceLine({ file: call.workflow.file, path: [...call.job.path, 'uses'] }) })),
      ...route.events.map((event) => ({ what: `on ${eventLabel(event)}`, file: route.workflow.file.path, line: eventLine(route, event) })),
    ],
  };
}

/** Package → routes, what `plan --format json` prints under "packages". */
export function planEntries(project: Project): PlanEntry[] {
  const plan = releasePlan(project);
  const checked = new Set(plan.checkedPackages);
  return project.packages.map((pkg) => {
    const routes = plan.routesOfPackage.get(pkg.dir) ?? [];
    const published = routes.some(uploadsToPyPI);
    const maybe = plan.routes.some((route) => route.confidence === 'opaque') && checked.has(pkg);
    return {
      package: pkg.name,
      directory: pkg.dir,
      version: pkg.version,
      kind: pkg.kind,
      status: published ? 'published' : routes.length > 0 ? 'rehearsed' : pkg.notPublishable ? 'never' : maybe ? 'unknown' : 'unpublished',
      never: pkg.notPublishable?.reason,
      workflows: routes.map((route) => routeEntry(route, pkg)),
    };
  });
}

/** The publish steps the plan cannot follow, once each. */
export function opaqueEntries(project: Project): OpaqueEntry[] {
  const seen = new Set<string>();
  const entries: OpaqueEntry[] = [];
  for (const route of releasePlan(project).routes) {
    if (route.confidence !== 'opaque') continue;
    for (const link of route.opaque) {
      const key = `${describeEvidence(link.evidence)}\u0000${link.reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push({ file: link.evidence.file.path, line: evidenceLine(link.evidence), workflow: route.workflow.file.path, reason: link.reason });
    }
  }
  return entries;
}

/** What `plan --format json` prints: the packages with their routes, and the steps it could not follow. */
export function planJson(project: Project): { version: 1; root: string; packages: PlanEntry[]; opaque: OpaqueEntry[] } {
  return { version: 1, root: project.root, packages: planEntries(project), opaque: opaqueEntries(project) };
}

export function formatPlanText(project: Project): string {
  const lines: string[] = [];
  for (const entry of planEntries(project)) {
    lines.push(`${entry.package ?? '(unnamed)'} ${entry.version ?? '(dynamic version)'}  [${entry.directory}]`);
    if (entry.status === 'never') lines.push(`  never published: ${entry.never}`);
    if (entry.status === 'unknown') lines.push('  maybe published by a publish step the linter cannot follow (see below)');
    if (entry.status === 'unpublished') lines.push('  not published by any workflow');
    for (const route of entry.workflows) {
      lines.push(`  workflow   ${route.file} (job ${route.job}; on ${route.events.join(', ') || 'no event'})`);
      if (route.tagFilter === 'tags') lines.push(`  tags       ${route.tagPatterns.join(', ')}`);
      if (route.tagFilter === 'tags-ignore') lines.push(`  tags       every tag except ${route.tagPatterns.join(', ')}`);
      if (route.tagFilter === 'all') lines.push('  tags       every tag (push with no filter)');
      if (route.releaseTypes !== undefined) lines.push(`  release    ${route.releaseTypes.join(', ') || 'every activity type'}`);
      lines.push(`  route      ${route.route.map((link) => `${link.what} (${link.file}:${link.line})`).join(' ← ')}`);
      lines.push(`  index      ${describeIndex({ kind: route.index, name: route.indexName })}`);
      lines.push(`  credential ${route.credential}`);
      if (route.python.length > 0) lines.push(`  python     ${route.python.join(', ')}`);
      lines.push(`  known      ${route.confidence}${route.reason ? `: ${route.reason}` : ''}`);
    }
  }
  const opaque = opaqueEntries(project);
  if (opaque.length > 0) {
    lines.push('', 'publish steps the linter cannot follow:');
    for (const entry of opaque) lines.push(`? ${entry.file}:${entry.line} (run by ${entry.workflow}): ${entry.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
