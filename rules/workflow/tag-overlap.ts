import { defineRule } from '../../src/engine/rule.js';
import { releasePlan } from '../../src/plan/release-plan.js';
import type { WorkflowModel } from '../../src/plan/workflow.js';
import type { Project } from '../../src/project/project.js';
import type { Range } from '../../src/project/source-file.js';
import { eventRange, keyRange, scalarContentStart, valueRange } from '../../src/workflow/locate.js';
import { findTagOverlap, isPatternError, literalPrefix, parseTagPattern, prefixesCompatible, tagFilterMatches } from '../../src/workflow/tag-filter.js';

export default defineRule({
  meta: {
    id: 'workflow/tag-overlap',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    description: 'A tag that triggers the publish workflows of two packages (or of one package twice); invalid tag patterns.',
    docs: {
      catches:
        'Two publish workflows whose `on.push.tags` / `tags-ignore` filters accept a common tag. The decision is exact: ' +
        'both filters are compiled to automata (GitHub\'s `*`, `**`, `?`, `+`, `[...]`, `!` negation in order, `tags-ignore` as ' +
        'the complement), intersected, and restricted to valid git tag names; the finding names the shortest such tag and ' +
        'the pattern and line that accept it in each file. Also reports a tag pattern GitHub cannot parse (it matches nothing). ' +
        'Workflows that upload nothing (CI, docs) are never compared.',
      why:
        'With per-package tag prefixes, `open-ticket-ai-*` for one plugin also matches `open-ticket-ai-v1.2.0`, the core\'s tag: ' +
        'pushing the core\'s tag then builds and uploads the plugin too, usually at a version that is already on PyPI (a failed ' +
        'release) or one that was never meant to ship.',
      failing: {
        file: '.github/workflows/publish-hf-local.yml',
        content: 'on:\n  push:\n    tags:\n      - "hf-local-v*"\n      - "open-ticket-ai-*"     # also matches open-ticket-ai-v1.4.0, the core\'s tag\n',
      },
      passing: {
        file: '.github/workflows/publish-hf-local.yml',
        content: 'on:\n  push:\n    tags:\n      - "hf-local-v*"\n      - "open-ticket-ai-hf-local-v*"\n',
      },
      fixSafety: 'No fix: which of the two workflows should give up the tag is a release-naming decision. Make each package\'s tag prefix unique and not a prefix of another\'s.',
    },
  },
  check({ project, report }) {
    const plan = releasePlan(project);
    const workflows = plan.publishWorkflows.filter((workflow) => workflow.triggers.pushTags.kind !== 'none');

    for (const workflow of plan.publishWorkflows) {
      for (const entry of workflow.triggers.pushTagPatterns) {
        const parsed = parseTagPattern(entry.pattern);
        if (!isPatternError(parsed)) continue;
        const start = scalarContentStart(workflow.file, entry.path);
        report({
          file: workflow.file,
          range: start === undefined ? valueRange(workflow.file, entry.path) : { start: start + parsed.column - 1, end: start + parsed.column },
          message: `tag pattern "${entry.pattern}" is invalid (${parsed.error}, column ${parsed.column}): GitHub rejects it, so it triggers no release`,
        });
      }
    }

    for (const [a, b] of candidatePairs(workflows)) {
      const witness = findTagOverlap(a.triggers.pushTags, b.triggers.pushTags);
      if (witness === null) continue;
      const sideA = decidingPattern(a, witness);
      const sideB = decidingPattern(b, witness);
      // Report at the broader side (the shorter literal prefix); on a tie, at the later file.
      const aFirst = sideA.prefix.length < sideB.prefix.length || (sideA.prefix.length === sideB.prefix.length && a.file.path > b.file.path);
      const [here, there] = aFirst ? [sideA, sideB] : [sideB, sideA];
      const [hereWorkflow, thereWorkflow] = aFirst ? [a, b] : [b, a];
      const packagesHere = packagesOf(project, hereWorkflow);
      const packagesThere = packagesOf(project, thereWorkflow);
      const same = packagesHere.length === 1 && packagesThere.length === 1 && packagesHere[0] === packagesThere[0];
      const consequence = same
        ? `so pushing it publishes ${packagesHere[0]} twice (the second upload of the same version fails)`
        : `so one push starts both releases (${thereWorkflow.name}: ${packagesThere.join(', ')}; ${hereWorkflow.name}: ${packagesHere.join(', ')})`;
      report({
        file: hereWorkflow.file,
        range: here.range,
        message:
          `tag "${witness}" triggers both ${thereWorkflow.name} (line ${there.line}) and ${hereWorkflow.name} (line ${here.line}): ` +
          `${there.description} and ${here.description} both accept it, ${consequence}`,
      });
    }
  },
});

interface Side {
  range: Range;
  line: number;
  /** `"open-ticket-ai-*"`, `tags-ignore`, `push with no tag filter`. */
  description: string;
  /** The literal prefix of the pattern that accepts the witness ('' for tags-ignore and unfiltered push). */
  prefix: string;
}

/** The entry of a workflow's filter that accepts `tag`: for `tags:`, the last pattern that matches it. */
function decidingPattern(workflow: WorkflowModel, tag: string): Side {
  const { file, triggers } = workflow;
  const side = (range: Range, description: string, prefix: string): Side => ({ range, line: file.positionAt(range.start).line, description, prefix });
  if (triggers.pushTags.kind === 'patterns') {
    for (let index = triggers.pushTagPatterns.length - 1; index >= 0; index--) {
      const entry = triggers.pushTagPatterns[index]!;
      if (entry.pattern.startsWith('!')) continue;
      const single = { kind: 'patterns' as const, patterns: [entry.pattern] };
      if (tagFilterMatches(single, tag)) return side(valueRange(file, entry.path), `"${entry.pattern}"`, literalPrefix(single));
    }
  }
  if (triggers.pushTags.kind === 'ignore' && triggers.pushTagsPath) return side(keyRange(file, triggers.pushTagsPath), 'its tags-ignore filter', '');
  return side(eventRange(file, 'push'), 'a push trigger with no tag filter', '');
}

function packagesOf(project: Project, workflow: WorkflowModel): string[] {
  const routes = releasePlan(project).routes.filter((route) => route.workflow === workflow);
  const names = routes.flatMap((route) => (route.resolvedBy === 'unresolved' ? ['an unidentified package'] : route.packageDirs.map((dir) => project.packageAt(dir)?.name ?? dir)));
  return [...new Set(names)];
}

/**
 * Pairs of workflows whose filters may share a tag. Each positive pattern has a literal prefix that
 * every tag it accepts starts with; two filters can only overlap when one of their prefixes is a
 * prefix of the other's. Sorted, the prefixes compatible with `p` that sort after it are exactly
 * those extending it, and they follow `p` contiguously: each compatible pair is found once, and
 * incompatible ones are never compared.
 */
function candidatePairs(workflows: WorkflowModel[]): [WorkflowModel, WorkflowModel][] {
  const entries: { prefix: string; index: number }[] = [];
  workflows.forEach((workflow, index) => {
    const filter = workflow.triggers.pushTags;
    if (filter.kind !== 'patterns') {
      entries.push({ prefix: '', index });
      return;
    }
    const prefixes = new Set(filter.patterns.filter((pattern) => !pattern.startsWith('!')).map((pattern) => literalPrefix({ kind: 'patterns', patterns: [pattern] })));
    for (const prefix of prefixes) entries.push({ prefix, index });
  });
  entries.sort((x, y) => (x.prefix < y.prefix ? -1 : x.prefix > y.prefix ? 1 : x.index - y.index));
  const pairs = new Map<string, [WorkflowModel, WorkflowModel]>();
  for (let i = 0; i < entries.length; i++) {
    const { prefix, index } = entries[i]!;
    for (let j = i + 1; j < entries.length && prefixesCompatible(prefix, entries[j]!.prefix); j++) {
      const other = entries[j]!.index;
      if (other === index) continue;
      const [low, high] = index < other ? [index, other] : [other, index];
      pairs.set(`${low}:${high}`, [workflows[low]!, workflows[high]!]);
    }
  }
  return [...pairs.values()];
}
