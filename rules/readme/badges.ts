import { defineRule } from '../../src/engine/rule.js';
import { badgeInsertion, badgePlace, type NewBadge } from '../../src/markdown/badge-insert.js';
import { badgeOfImage, queryOf } from '../../src/markdown/badges.js';
import { readDocument } from '../../src/markdown/index.js';
import { publishedWithWorkflows } from '../../src/markdown/published.js';
import { rootReadme } from '../../src/markdown/readmes.js';
import type { WorkflowModel } from '../../src/workflow/model.js';
import type { RepositoryId } from '../../src/project/git-remote.js';
import { normalizePackageName, type Package } from '../../src/project/project.js';
import type { Fix } from '../../src/types.js';
import { pushTo } from '../../src/group.js';
import { summarizeList } from '../../src/summarize.js';

interface Missing {
  pkg: Package;
  kind: 'pypi' | 'workflow';
  workflow: WorkflowModel;
}

export default defineRule({
  meta: {
    id: 'readme/badges',
    category: 'hygiene',
    defaultSeverity: 'warning',
    fixable: 'safe',
    description: 'The root README lacks the PyPI version badge or the publish workflow status badge of a published package.',
    docs: {
      catches:
        'For every package a publish workflow uploads: no PyPI version badge for its exact name (shields.io `pypi/v/NAME` or ' +
        'badge.fury.io) in the root README, or no status badge of a workflow that publishes it ' +
        '(`github.com/OWNER/REPO/actions/workflows/FILE/badge.svg`, the older `/workflows/NAME/badge.svg`, or shields.io ' +
        '`github/actions/workflow/status`) for this repository. Badges are read from Markdown (inline, reference-style, HTML ' +
        '`<img>`, tables) and reStructuredText (`.. image::` and `|substitution|` images). Reported at the first badge already there (where the fix adds the new ones), else at the first heading.',
      why:
        'The version badge shows at a glance which release is on PyPI (and that the name is the one on PyPI); the status badge ' +
        'shows whether the last release run failed, which otherwise nobody notices until a user asks why the fix is not out.',
      failing: { file: 'README.md', content: '# demo\n\nA demo package.\n' },
      passing: {
        file: 'README.md',
        content:
          '# demo\n\n[![PyPI - demo](https://img.shields.io/pypi/v/demo)](https://pypi.org/project/demo/)\n' +
          '[![publish](https://github.com/example/demo/actions/workflows/publish.yml/badge.svg)](https://github.com/example/demo/actions/workflows/publish.yml)\n\nA demo package.\n',
      },
      fixSafety:
        'Safe: the missing badges are inserted next to the badges already under the first heading, in their syntax (inline or ' +
        'reference-style Markdown, HTML, reST directives or substitutions), one per line or on one line as those are, reusing ' +
        'their query string (style); with no badges yet, as a block right under the first heading. Only text is added. The ' +
        'workflow badge needs owner/repo, from config `repository` or `git remote get-url origin`; without it only the PyPI ' +
        'badge is added. Badges kept in a table are not extended automatically.',
    },
  },
  check({ project, report }) {
    const readme = rootReadme(project);
    const published = publishedWithWorkflows(project);
    if (!readme || published.length === 0) return;
    const doc = readDocument(readme);
    const repository = project.repository;
    const badges = doc.images.map((image) => ({ image, target: badgeOfImage(image.src) }));
    // What the badges show, gathered once: each package is then a few lookups.
    const pypiNames = new Set<string>();
    const workflowFiles = new Set<string>();
    const workflowNames = new Set<string | undefined>();
    for (const { target } of badges) {
      if (target?.kind === 'pypi' && target.version) pypiNames.add(normalizePackageName(target.name));
      if (target?.kind === 'workflow' && sameRepository(target, repository)) {
        if (target.file !== undefined) workflowFiles.add(target.file);
        if (target.name !== undefined) workflowNames.add(target.name);
      }
    }
    const missing: Missing[] = [];
    for (const { pkg, workflows } of published) {
      if (!pypiNames.has(pkg.normalizedName!)) missing.push({ pkg, kind: 'pypi', workflow: workflows[0]! });
      const hasWorkflow = workflows.some((workflow) => workflowFiles.has(workflow.name) || workflowNames.has(workflowName(workflow)));
      if (!hasWorkflow) missing.push({ pkg, kind: 'workflow', workflow: workflows[0]! });
    }
    if (missing.length === 0) return;
    const fixable = missing.filter((entry) => entry.kind === 'pypi' || repository !== undefined);
    const fix = buildFix(doc, fixable, repository, badges.map((badge) => badge.image.src));
    // Beside the badges already there (where --fix adds the new ones), else at the first heading.
    const range = badgePlace(doc);
    // One finding per cause: the PyPI badges the README lacks, and each workflow's missing status badge.
    const pypi = missing.filter((entry) => entry.kind === 'pypi');
    if (pypi.length > 0) {
      const names = pypi.map((entry) => `${entry.pkg.name!} (published by ${entry.workflow.name})`);
      const message =
        pypi.length === 1
          ? `${readme.path} has no PyPI version badge for ${names[0]}`
          : `${readme.path} has no PyPI version badge for ${pypi.length} published packages: ${summarizeList(names, 3)}`;
      report({ file: readme, range, message, fix });
    }
    const byWorkflow = new Map<WorkflowModel, Missing[]>();
    for (const entry of missing) if (entry.kind === 'workflow') pushTo(byWorkflow, entry.workflow, entry);
    for (const [workflow, entries] of byWorkflow) {
      const names = entries.map((entry) => entry.pkg.name!);
      const message =
        `${readme.path} has no status badge of ${workflow.name}, the workflow that publishes ${summarizeList(names, 3)}` +
        (repository ? '' : ' (owner/repo unknown: set repository in the config or add a git remote so --fix can add it)');
      report({ file: readme, range, message, fix: repository ? fix : undefined });
    }
  },
});

function sameRepository(target: { owner: string; repo: string }, repository: RepositoryId | undefined): boolean {
  return !repository || (target.owner.toLowerCase() === repository.owner.toLowerCase() && target.repo.toLowerCase() === repository.name.toLowerCase());
}

function workflowName(workflow: WorkflowModel): string | undefined {
  const name = workflow.file.get(['name']);
  return typeof name === 'string' ? name : undefined;
}

function buildFix(doc: ReturnType<typeof readDocument>, missing: Missing[], repository: RepositoryId | undefined, existing: string[]): Fix | undefined {
  const pypiQuery = queryOf(existing.find((src) => badgeOfImage(src)?.kind === 'pypi' && /shields\.io\/pypi\/v\//.test(src)) ?? '');
  const workflowQuery = queryOf(existing.find((src) => /github\.com\/[^/]+\/[^/]+\/actions\/workflows\/[^/]+\/badge\.svg/.test(src)) ?? '');
  const badges: NewBadge[] = missing.map((entry) => {
    const name = entry.pkg.name!;
    if (entry.kind === 'pypi') return { alt: `PyPI - ${name}`, src: `https://img.shields.io/pypi/v/${name}${pypiQuery}`, href: `https://pypi.org/project/${name}/`, label: `pypi-${entry.pkg.normalizedName}` };
    const base = `https://github.com/${repository!.owner}/${repository!.name}/actions/workflows/${entry.workflow.name}`;
    const stem = entry.workflow.name.replace(/\.ya?ml$/i, '');
    return { alt: stem, src: `${base}/badge.svg${workflowQuery}`, href: base, label: stem };
  });
  // One badge per workflow, even when it publishes several packages.
  const sources = new Set<string>();
  const unique = badges.filter((badge) => {
    if (sources.has(badge.src)) return false;
    sources.add(badge.src);
    return true;
  });
  const edits = badgeInsertion(doc, unique);
  if (!edits) return undefined;
  return { applicability: 'safe', description: `add ${unique.length} badge${unique.length > 1 ? 's' : ''} to ${doc.file.path}`, edits };
}
