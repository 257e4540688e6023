import type { Project } from '../project/project.js';
import { releasePlan, type Credential, type PublishRoute } from './release-plan.js';

export interface PlanEntry {
  package: string | undefined;
  directory: string;
  version: string | undefined;
  workflows: {
    file: string;
    job: string;
    events: string[];
    tagPatterns: string[];
    /** `tags-ignore` patterns list what does NOT trigger. */
    tagFilter: 'tags' | 'tags-ignore' | 'all' | 'none';
    releaseTypes: string[] | undefined;
    /** The job and file that build the distributions, when found. */
    build: { file: string; job: string } | undefined;
    uploadFile: string;
    uploadJob: string;
    uploadTool: string;
    credential: string;
    /** The secret the entry workflow passes (undefined for trusted publishing). */
    secret: string | undefined;
    trustedPublishing: boolean;
    python: string[];
    mappedBy: PublishRoute['resolvedBy'];
  }[];
}

const TAG_FILTER = { patterns: 'tags', ignore: 'tags-ignore', all: 'all', none: 'none' } as const;

function describeCredential(credential: Credential): string {
  if (credential.kind === 'trusted') return 'trusted publishing (OIDC)';
  return credential.secret ? `secret ${credential.secret} (${credential.variable})` : `token in ${credential.variable}, not a secret`;
}

/** Package → publish workflow → tag patterns → credential: what `plan` prints. */
export function planEntries(project: Project): PlanEntry[] {
  const plan = releasePlan(project);
  return project.packages.map((pkg) => ({
    package: pkg.name,
    directory: pkg.dir,
    version: pkg.version,
    workflows: plan.routes
      .filter((entry) => entry.packageDirs.includes(pkg.dir))
      .map((entry) => ({
        file: entry.workflow.file.path,
        job: entry.job.id,
        events: entry.workflow.triggers.events,
        tagPatterns: entry.workflow.triggers.pushTags.kind === 'patterns' || entry.workflow.triggers.pushTags.kind === 'ignore' ? entry.workflow.triggers.pushTags.patterns : [],
        tagFilter: TAG_FILTER[entry.workflow.triggers.pushTags.kind],
        releaseTypes: entry.workflow.triggers.releaseTypes,
        build: entry.build && { file: entry.build.workflow.file.path, job: entry.build.job.id },
        uploadFile: entry.upload.workflow.file.path,
        uploadJob: entry.upload.job.id,
        uploadTool: entry.upload.tool,
        credential: describeCredential(entry.credential),
        secret: entry.credential.kind === 'token' ? entry.credential.secret : undefined,
        trustedPublishing: entry.credential.kind === 'trusted',
        python: entry.pythonVersions,
        mappedBy: entry.resolvedBy,
      })),
  }));
}

export function formatPlanText(project: Project): string {
  const plan = releasePlan(project);
  const lines: string[] = [];
  for (const entry of planEntries(project)) {
    lines.push(`${entry.package ?? '(unnamed)'} ${entry.version ?? '(dynamic version)'}  [${entry.directory}]`);
    if (entry.workflows.length === 0) lines.push('  not published by any workflow');
    for (const workflow of entry.workflows) {
      lines.push(`  workflow   ${workflow.file} (job ${workflow.job}; on ${workflow.events.join(', ')})`);
      if (workflow.tagFilter === 'tags') lines.push(`  tags       ${workflow.tagPatterns.join(', ')}`);
      if (workflow.tagFilter === 'tags-ignore') lines.push(`  tags       every tag except ${workflow.tagPatterns.join(', ')}`);
      if (workflow.tagFilter === 'all') lines.push('  tags       every tag (push with no filter)');
      if (workflow.releaseTypes !== undefined) lines.push(`  release    ${workflow.releaseTypes.join(', ') || 'every activity type'}`);
      if (workflow.build && (workflow.build.job !== workflow.uploadJob || workflow.build.file !== workflow.uploadFile)) lines.push(`  builds     in job ${workflow.build.job} of ${workflow.build.file}`);
      lines.push(`  uploads    ${workflow.uploadTool} in ${workflow.uploadFile}`);
      lines.push(`  credential ${workflow.credential}`);
      if (workflow.python.length > 0) lines.push(`  python     ${workflow.python.join(', ')}`);
    }
  }
  const unresolved = plan.routes.filter((entry) => entry.resolvedBy === 'unresolved');
  for (const entry of unresolved) lines.push(`? ${entry.workflow.file.path} (job ${entry.job.id}) uploads a package this linter could not identify`);
  return `${lines.join('\n')}\n`;
}
