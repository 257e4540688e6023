/**
 * `init`: plans the publishing setup for the packages found (plan.ts), renders it (templates.ts)
 * and writes it. It never overwrites a file: a new file is created with O_EXCL, an existing one is
 * skipped and said so; the only edit of an existing file is inserting missing badges into the root
 * README. It writes nothing at all when a file it would write is a symbolic link or has one on the
 * way (src/project/safe-write.ts). Running it twice writes nothing the second time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ruleMetas } from '../../rules/index.js';
import { loadProject } from '../engine/run.js';
import { badgeInsertion } from '../markdown/badge-insert.js';
import { badgeOfImage } from '../markdown/badges.js';
import { readDocument } from '../markdown/index.js';
import { rootReadme } from '../markdown/readmes.js';
import type { RepositoryId } from '../project/git-remote.js';
import { refusalToWrite, replaceFile, writeNewFile } from '../project/safe-write.js';
import { normalizePackageName, type Project } from '../project/project.js';
import type { TextEdit } from '../types.js';
import { InitError, planInit, type InitPackage, type InitPlan } from './plan.js';
import { callerWorkflow, markdownBadge, newReadme, pypiBadge, releasingDoc, reusableWorkflow, workflowBadge, type Badge } from './templates.js';

export interface InitOptions {
  trustedPublishing?: boolean;
  /** Scaffold although publishers exist (src/init/publishers.ts); a package a workflow uploads still gets none. */
  force?: boolean;
  /** owner/name for the workflow badges (else config `repository`, else the git remote). */
  repository?: string;
  /** Compute and report, write nothing. */
  dryRun?: boolean;
  configFile?: string;
}

export interface InitAction {
  /** Repo-relative POSIX path. */
  file: string;
  action: 'create' | 'update' | 'skip' | 'unchanged';
  /** What it holds or why it was skipped. */
  detail: string;
}

export interface InitResult {
  root: string;
  plan: InitPlan;
  actions: InitAction[];
  dryRun: boolean;
}

interface PlannedWrite {
  file: string;
  content: string;
  detail: string;
  /** For an update: the text it was computed from (written only if the file still holds it). */
  original?: string;
}

export async function runInit(rootArgument: string, options: InitOptions = {}): Promise<InitResult> {
  const project = loadProject(rootArgument, { configFile: options.configFile, catalog: [...ruleMetas.values()] });
  const { root } = project;
  const plan = planInit(project, { trustedPublishing: options.trustedPublishing, force: options.force, repository: parseRepository(options.repository) });
  const actions: InitAction[] = [];
  const writes: PlannedWrite[] = [];
  if (plan.packages.length > 0) {
    const newFile = (file: string, content: string, detail: string, whenExists: (existing: string) => InitAction): void => {
      const existing = project.readText(file);
      if (existing === undefined && !project.exists(file)) writes.push({ file, content, detail });
      else actions.push(whenExists(existing ?? ''));
    };
    const reusable = `.github/workflows/${plan.reusableFile}`;
    const contract =
      plan.mode === 'token'
        ? 'inputs package-name, package-path, tag-prefix, python-version, dry-run and secret pypi-token'
        : 'inputs package-name, package-path, tag-prefix and python-version, and an artifact dist-<package-name>';
    newFile(reusable, reusableWorkflow(plan), plan.mode === 'token' ? 'reusable: build, twine check --strict, tag check, upload' : 'reusable: build, twine check --strict, tag check', (existing) =>
      existing === reusableWorkflow(plan)
        ? { file: reusable, action: 'unchanged', detail: 'already what init writes' }
        : { file: reusable, action: 'skip', detail: `exists, not overwritten; the new callers expect its ${contract}` },
    );
    for (const entry of plan.packages) {
      const file = `.github/workflows/${entry.workflowFile}`;
      const credential = entry.secret ? `secret ${entry.secret}` : 'trusted publishing';
      newFile(file, callerWorkflow(plan, entry), `${entry.name}: tags ${entry.tagPattern}, ${credential}`, () => ({
        file,
        action: 'skip',
        detail: `exists, not overwritten: ${entry.name} gets no publish workflow from init`,
      }));
    }
    newFile('docs/releasing.md', releasingDoc(plan), plan.mode === 'token' ? 'the tag patterns and the secrets to create' : 'the tag patterns and the trusted publishers to add on PyPI', () => ({
      file: 'docs/releasing.md',
      action: 'skip',
      detail: 'exists, not overwritten: add the tag patterns and secrets yourself',
    }));
    planReadme(project, plan, writes, actions);
  }

  refuseLinks(root, writes);
  if (!options.dryRun) for (const write of writes) apply(root, write);
  for (const write of writes) actions.push({ file: write.file, action: write.original === undefined ? 'create' : 'update', detail: write.detail });
  const order = (action: InitAction): number => ['create', 'update', 'unchanged', 'skip'].indexOf(action.action);
  actions.sort((a, b) => order(a) - order(b));
  return { root, plan, actions, dryRun: options.dryRun ?? false };
}

function parseRepository(value: string | undefined): RepositoryId | undefined {
  if (value === undefined) return undefined;
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value.trim());
  if (!match) throw new InitError(`--repository must be owner/name, got "${value}"`);
  return { owner: match[1]!, name: match[2]!, source: 'config' };
}

/** Badges for the new packages: inserted into the root README, or a new README.md. */
function planReadme(project: Project, plan: InitPlan, writes: PlannedWrite[], actions: InitAction[]): void {
  const wanted: { entry: InitPackage; badge: Badge; kind: 'pypi' | 'workflow' }[] = [];
  for (const entry of plan.packages) {
    wanted.push({ entry, badge: pypiBadge(entry), kind: 'pypi' });
    const workflow = workflowBadge(plan, entry);
    if (workflow) wanted.push({ entry, badge: workflow, kind: 'workflow' });
  }
  const noRepository = plan.repository ? '' : ' (no workflow status badges: owner/repo unknown; pass --repository or add a git remote)';
  const readme = rootReadme(project);
  if (!readme) {
    const core = plan.packages.find((entry) => entry.isCore);
    const title = core?.name ?? plan.repository?.name ?? path.basename(project.root);
    writes.push({ file: 'README.md', content: newReadme(plan, title, wanted.map((item) => item.badge)), detail: `${wanted.length} badges, install commands${noRepository}` });
    return;
  }
  const doc = readDocument(readme);
  const present = doc.images.map((image) => badgeOfImage(image.src));
  const missing = wanted.filter(({ entry, kind }) =>
    !present.some((target) =>
      kind === 'pypi'
        ? target?.kind === 'pypi' && target.version && normalizePackageName(target.name) === entry.normalizedName
        : target?.kind === 'workflow' && target.file === entry.workflowFile && sameRepository(target, plan.repository),
    ),
  );
  if (missing.length === 0) {
    actions.push({ file: readme.path, action: 'unchanged', detail: `has the badges${noRepository}` });
    return;
  }
  const edits = badgeInsertion(doc, missing.map((item) => item.badge));
  if (!edits) {
    actions.push({ file: readme.path, action: 'skip', detail: `cannot follow its badge layout; add by hand: ${missing.map((item) => markdownBadge(item.badge)).join(' ')}` });
    return;
  }
  const heading = doc.headings[0];
  writes.push({
    file: readme.path,
    content: readme.serialize(applyEdits(readme.text, edits)),
    original: readme.serialize(readme.text),
    detail: `${missing.length} badge${missing.length === 1 ? '' : 's'}${heading ? ` under "${heading.text}"` : ''}${noRepository}`,
  });
}

function sameRepository(target: { owner: string; repo: string }, repository: RepositoryId | undefined): boolean {
  return repository !== undefined && target.owner.toLowerCase() === repository.owner.toLowerCase() && target.repo.toLowerCase() === repository.name.toLowerCase();
}

function applyEdits(text: string, edits: TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/**
 * A checkout may hold `.github` or `docs` as a link to anywhere: init writes nothing when any file it
 * would write has a link on the way (or is one), so a dry run says the same as the real run.
 */
function refuseLinks(root: string, writes: PlannedWrite[]): void {
  for (const write of writes) {
    const refusal = refusalToWrite(root, absolutePath(root, write.file));
    if (refusal !== undefined) throw new InitError(`${refusal}: init writes regular files only, never through a link; nothing written`);
  }
}

function absolutePath(root: string, file: string): string {
  return path.join(root, ...file.split('/'));
}

function apply(root: string, write: PlannedWrite): void {
  const absolute = absolutePath(root, write.file);
  if (write.original === undefined) {
    // Created exclusively: a file that appeared since the plan is not overwritten either.
    writeNewFile(root, absolute, write.content);
    return;
  }
  if (fs.readFileSync(absolute, 'utf8') !== write.original) throw new InitError(`${write.file} changed while init ran; run it again`);
  replaceFile(root, absolute, write.content);
}
