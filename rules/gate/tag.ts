import { defineRule, type Report } from '../../src/engine/rule.js';
import { repositoryFile } from '../../src/gate/locate.js';
import { normalizeVersion, type TagMatch } from '../../src/gate/tag.js';
import { releasePlan } from '../../src/plan/release-plan.js';
import type { WorkflowModel } from '../../src/workflow/model.js';
import type { Project } from '../../src/project/project.js';
import type { Range } from '../../src/project/source-file.js';
import { literalPrefix } from '../../src/workflow/tag-filter.js';

/** The range of a workflow's tag pattern (or of its tag filter). */
function patternRange(workflow: WorkflowModel, index: number | undefined): Range {
  const base = workflow.triggers.pushTagsPath;
  if (!base) return workflow.file.rangeOfNearest(['on']);
  return (index !== undefined ? workflow.file.rangeOfValue([...base, index]) : undefined) ?? workflow.file.rangeOfNearest(base);
}

function describeMatch(match: TagMatch): string {
  return match.pattern !== undefined ? `'${match.pattern}' in ${match.workflow.name}` : `${match.workflow.name}'s tag filter`;
}

/** Every publish workflow's tag patterns, for a message. */
function knownPatterns(project: Project): string {
  const workflows = [...new Set(releasePlan(project).routes.map((route) => route.workflow))];
  const parts = workflows.map((workflow) => {
    const filter = workflow.triggers.pushTags;
    const patterns = filter.kind === 'patterns' ? filter.patterns.join(', ') : filter.kind === 'ignore' ? `every tag but ${filter.patterns.join(', ')}` : filter.kind === 'all' ? 'every tag' : 'no push tags';
    return `${workflow.name}: ${patterns}`;
  });
  return parts.length > 0 ? parts.join('; ') : 'there is no publish workflow';
}

/** A pattern whose literal prefix starts the tag: the workflow the tag was probably meant for. */
function nearMiss(project: Project, tag: string): { workflow: WorkflowModel; index: number; pattern: string } | undefined {
  let best: { workflow: WorkflowModel; index: number; pattern: string; length: number } | undefined;
  for (const workflow of new Set(releasePlan(project).routes.map((route) => route.workflow))) {
    const filter = workflow.triggers.pushTags;
    if (filter.kind !== 'patterns') continue;
    filter.patterns.forEach((pattern, index) => {
      if (pattern.startsWith('!')) return;
      const prefix = literalPrefix({ kind: 'patterns', patterns: [pattern] });
      if (prefix && tag.startsWith(prefix) && (!best || prefix.length > best.length)) best = { workflow, index, pattern, length: prefix.length };
    });
  }
  return best;
}

export default defineRule({
  meta: {
    id: 'gate/tag',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    gateOnly: true,
    description: 'With --tag: the tag does not resolve to exactly one package, or its version is not the package version.',
    docs: {
      catches:
        '`pypi-release-lint gate --tag TAG` (a tag name like `hf-local-v1.2.0`, or `refs/tags/hf-local-v1.2.0` as in ' +
        '`$GITHUB_REF`) resolves TAG through the publish workflows: which of their `on.push.tags` filters match it, and ' +
        'which packages those workflows publish. It reports a tag that is not a valid tag name, that no publish workflow ' +
        'matches (naming the pattern that starts like it, if one does), or that triggers the workflows of several packages ' +
        '(naming them). For the one package it resolves to, the version part of the tag — the text after the literal prefix ' +
        'of the pattern that matched, without a leading `v` — must equal the package version (the built version, else the ' +
        'pyproject one) after PEP 440 normalisation. Only that package is built.',
      why:
        'The tag is what starts the release: a tag that publishes nothing, publishes two packages, or publishes a version ' +
        'other than the one it names, is a release that fails half-way or puts the wrong version on PyPI — which can never ' +
        'be uploaded again under that number.',
      failing: {
        file: '.github/workflows/publish-plugin.yml',
        content: 'on:\n  push:\n    tags: ["plugin-v*"]\n# pyproject.toml: version = "1.10.0"\n# $ pypi-release-lint gate --tag plugin-v1.1.0\n',
      },
      passing: {
        file: '.github/workflows/publish-plugin.yml',
        content: 'on:\n  push:\n    tags: ["plugin-v*"]\n# pyproject.toml: version = "1.10.0"\n# $ pypi-release-lint gate --tag plugin-v1.10.0\n',
      },
      fixSafety: 'No fix: either the tag or the version is wrong, and only you know which.',
    },
  },
  async check({ project, report, run }) {
    // The gate's machinery (processes, archive readers) loads only when a gate runs.
    const { gateRun } = await import('../../src/gate/session.js');
    const gate = await gateRun(project, run);
    const resolution = gate.tag;
    if (!resolution) return;
    const fallbackFile = repositoryFile(project);
    const atRepository = (message: string): void => {
      if (fallbackFile) report({ file: fallbackFile, message });
    };
    const atMatch = (match: TagMatch, message: string): void => report({ file: match.workflow.file, range: patternRange(match.workflow, match.patternIndex), message } satisfies Report);
    const { tag } = resolution;
    if (resolution.invalid) {
      atRepository(`--tag ${resolution.raw}: ${resolution.invalid}`);
      return;
    }
    if (resolution.matches.length === 0) {
      const near = nearMiss(project, tag);
      const message = `tag ${tag} triggers no publish workflow, so it publishes nothing (publish workflows' tag patterns: ${knownPatterns(project)})`;
      if (near) {
        report({
          file: near.workflow.file,
          range: patternRange(near.workflow, near.index),
          message: `tag ${tag} is not matched by '${near.pattern}' in ${near.workflow.name}, though it starts like it; it triggers no publish workflow (${knownPatterns(project)})`,
        });
      } else {
        atRepository(message);
      }
      return;
    }
    if (resolution.packages.length === 0) {
      for (const match of resolution.matches) {
        atMatch(match, `tag ${tag} triggers ${match.workflow.name} (${describeMatch(match)}), but the package it publishes could not be resolved; map it with [tool.pypi-release-lint.packages."DIR"] workflow = "${match.workflow.name}"`);
      }
      return;
    }
    if (resolution.packages.length > 1) {
      const names = resolution.packages.map((pkg) => `${pkg.name ?? pkg.dir} (${pkg.dir})`).join(', ');
      const through = resolution.matches.map(describeMatch).join(', ');
      atMatch(resolution.matches[0]!, `tag ${tag} resolves to ${resolution.packages.length} packages: ${names}, through ${through}; a release tag must name exactly one package, so nothing was built`);
      return;
    }
    const pkg = project.packageAt(resolution.packages[0]!.dir) ?? resolution.packages[0]!;
    const match = resolution.versionMatch;
    if (resolution.version === undefined || !match) {
      atMatch(resolution.matches[0]!, `tag ${tag} (${describeMatch(resolution.matches[0]!)}) carries no PEP 440 version after its prefix, so it cannot be checked against ${pkg.name ?? pkg.dir}`);
      return;
    }
    const outcome = gate.outcomes.get(pkg.dir);
    const built = outcome?.artifacts.find((artifact) => artifact.kind === 'wheel')?.metadata?.get('version');
    const packageVersion = built ?? pkg.version;
    if (packageVersion === undefined) {
      atMatch(match, `tag ${tag} is version ${resolution.version}, but ${pkg.name ?? pkg.dir} has a dynamic version and did not build, so the two cannot be compared`);
      return;
    }
    if (normalizeVersion(resolution.version) === normalizeVersion(packageVersion)) return;
    const source = built !== undefined ? 'the built wheel is' : 'pyproject.toml says';
    const versionRange = pkg.pyproject?.rangeOfValue(pkg.versionPath);
    const message = `tag ${tag} is version ${resolution.version} (after '${match.prefix}', the prefix of ${describeMatch(match)}), but ${pkg.name ?? pkg.dir} is version ${packageVersion} (${source}); the release would publish ${packageVersion} under tag ${tag}`;
    if (versionRange) report({ file: pkg.declaredIn, range: versionRange, message });
    else atMatch(match, message);
  },
});
