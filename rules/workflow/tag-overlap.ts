import { defineRule, type RuleContext } from '../../src/engine/rule.js';
import { excerpt } from '../../src/format/mask.js';
import { releasePlan } from '../../src/plan/release-plan.js';
import type { TagPatternEntry, WorkflowModel } from '../../src/workflow/model.js';
import type { Project } from '../../src/project/project.js';
import type { Range } from '../../src/project/source-file.js';
import { eventRange, keyRange, lineOf, scalarContentStart, valueRange } from '../../src/workflow/locate.js';
import {
  DECISION_BUDGET,
  decideTagOverlap,
  isPatternError,
  literalPrefix,
  parseTagPattern,
  prefixesCompatible,
  TagFilterTooComplex,
  tagFilterMatches,
  WorkBudget,
} from '../../src/workflow/tag-filter.js';

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
        'Workflows that upload nothing (CI, docs) are never compared. The automata are built within a work limit (patterns ' +
        'like `**a[ab][ab]…[ab]` need exponentially many states, and hundreds of workflows make many pairs): what it cannot ' +
        'decide is one finding that names the pairs and the hardest pattern, at that pattern, instead of a hang.',
      why:
        'With per-package tag prefixes, `open-ticket-ai-*` for one plugin also matches `open-ticket-ai-v1.2.0`, the core\'s tag: ' +
        'pushing the core\'s tag then builds and uploads the plugin too, usually at a version that is already on PyPI (a failed ' +
        'release) or one that was never meant to ship.',
      failing: {
        file: '.github/workflows/publish-hf-local.yml',
        content:
          'on:\n  push:\n    tags:\n      - "hf-local-v*"\n' +
          '      - "open-ticket-ai-*"     # also matches open-ticket-ai-v1.4.0, the core\'s tag\njobs:\n  publish:\n' +
          '    runs-on: ubuntu-latest\n    environment: pypi\n    permissions:\n      id-token: write\n    steps:\n' +
          '      - uses: actions/checkout@v4\n      - run: python -m build plugins/hf-local --outdir dist\n' +
          '      - uses: pypa/gh-action-pypi-publish@release/v1\n',
      },
      passing: {
        file: '.github/workflows/publish-hf-local.yml',
        content:
          'on:\n  push:\n    tags:\n      - "hf-local-v*"\n      - "open-ticket-ai-hf-local-v*"\njobs:\n  publish:\n' +
          '    runs-on: ubuntu-latest\n    environment: pypi\n    permissions:\n      id-token: write\n    steps:\n' +
          '      - uses: actions/checkout@v4\n      - run: python -m build plugins/hf-local --outdir dist\n' +
          '      - uses: pypa/gh-action-pypi-publish@release/v1\n',
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
          message: `tag pattern "${excerpt(entry.pattern)}" is invalid (${parsed.error}, column ${parsed.column}): GitHub rejects it, so it triggers no release`,
        });
      }
    }

    // One budget for all the pairs (so many workflows cannot hang the run), and one per pair (so one
    // exponential pattern cannot starve the rest); what is left undecided becomes one finding.
    const budget = new WorkBudget(RULE_BUDGET);
    const undecided: Undecided[] = [];
    let compared = 0;
    let stopped: Stop | undefined;
    try {
      for (const [a, b] of candidatePairs(workflows, budget)) {
        const pairBudget = budget.child(DECISION_BUDGET);
        let result = decideTagOverlap(a.triggers.pushTags, b.triggers.pushTags, pairBudget);
        try {
          if (result.kind === 'overlap') reportOverlap(project, report, a, b, result.tag, pairBudget);
        } catch (error) {
          if (!(error instanceof TagFilterTooComplex)) throw error;
          result = { kind: 'undecided', hardest: undefined };
        }
        if (result.kind === 'undecided' && budget.exhausted) {
          stopped = { compared, next: [a, b] };
          break;
        }
        compared++;
        if (result.kind === 'undecided') {
          const [workflow, pattern] = result.hardest?.side === 'b' ? [b, result.hardest.pattern] : [a, result.hardest?.pattern];
          undecided.push({ pair: [a, b], workflow, pattern });
        }
      }
    } catch (error) {
      if (!(error instanceof TagFilterTooComplex)) throw error;
      stopped = { compared, next: undefined };
    }
    const anchor = undecided[0]?.workflow ?? stopped?.next?.[0] ?? workflows[0];
    if ((undecided.length > 0 || stopped) && anchor) reportUndecided(report, anchor, undecided, stopped);
  },
});

/**
 * Work for the whole rule (budget.ts units, ~3 s on a slow machine): a repository with 1000 publish
 * workflows of its own prefix needs under a hundredth of it.
 */
const RULE_BUDGET = 15_000_000;

type Reporter = RuleContext['report'];

function reportOverlap(project: Project, report: Reporter, a: WorkflowModel, b: WorkflowModel, witness: string, budget: WorkBudget): void {
  const sideA = decidingPattern(a, witness, budget);
  const sideB = decidingPattern(b, witness, budget);
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

/** A pair of workflows whose overlap took more than one decision's budget, and the pattern that took most. */
interface Undecided {
  pair: [WorkflowModel, WorkflowModel];
  workflow: WorkflowModel;
  pattern: string | undefined;
}

/** Where the rule's budget ran out: after how many pairs, and at which (none while it was still pairing). */
interface Stop {
  compared: number;
  next: [WorkflowModel, WorkflowModel] | undefined;
}

const LISTED_PAIRS = 3;

/** One finding for everything the budgets left undecided, at the hardest pattern of the first undecided pair. */
function reportUndecided(report: Reporter, anchor: WorkflowModel, undecided: Undecided[], stopped: Stop | undefined): void {
  const entryOf = ({ workflow, pattern }: Undecided): TagPatternEntry | undefined => (pattern === undefined ? undefined : workflow.triggers.pushTagPatterns.find((candidate) => candidate.pattern === pattern));
  const pairs = undecided.slice(0, LISTED_PAIRS).map((item) => {
    const entry = entryOf(item);
    const hardest = entry ? `; hardest: "${excerpt(entry.pattern)}" (${item.workflow.name} line ${lineOf(item.workflow.file, entry.path)})` : '';
    return `${item.pair[0].name} and ${item.pair[1].name}${hardest}`;
  });
  const more = undecided.length > LISTED_PAIRS ? `, and ${undecided.length - LISTED_PAIRS} more pairs` : '';
  const parts: string[] = [];
  if (undecided.length > 0) parts.push(`whether a tag triggers two publish workflows is too complex to decide for ${undecided.length === 1 ? 'one pair' : `${undecided.length} pairs`} (${pairs.join('; ')}${more})`);
  if (stopped) {
    const next = stopped.next ? ` (the next: ${stopped.next[0].name} and ${stopped.next[1].name})` : '';
    parts.push(`the work limit ran out after ${stopped.compared} pairs of publish workflows whose tag prefixes could overlap were compared; the rest${next} were not`);
  }
  const entry = undecided[0] && undecided[0].workflow === anchor ? entryOf(undecided[0]) : undefined;
  report({
    file: anchor.file,
    range: entry ? valueRange(anchor.file, entry.path) : anchor.triggers.pushTagsPath ? keyRange(anchor.file, anchor.triggers.pushTagsPath) : eventRange(anchor.file, 'push'),
    message:
      `${parts.join('; ')}: give each package a literal tag prefix of its own (\`NAME-v*\`) and use \`[0-9]+\` rather than long runs of classes ` +
      'and wildcards, so that a tag publishing two packages can be ruled out',
  });
}

interface Side {
  range: Range;
  line: number;
  /** `"open-ticket-ai-*"`, `tags-ignore`, `push with no tag filter`. */
  description: string;
  /** The literal prefix of the pattern that accepts the witness ('' for tags-ignore and unfiltered push). */
  prefix: string;
}

/** The entry of a workflow's filter that accepts `tag`: for `tags:`, the last pattern that matches it. */
function decidingPattern(workflow: WorkflowModel, tag: string, budget: WorkBudget): Side {
  const { file, triggers } = workflow;
  const side = (range: Range, description: string, prefix: string): Side => ({ range, line: file.positionAt(range.start).line, description, prefix });
  if (triggers.pushTags.kind === 'patterns') {
    for (let index = triggers.pushTagPatterns.length - 1; index >= 0; index--) {
      const entry = triggers.pushTagPatterns[index]!;
      if (entry.pattern.startsWith('!')) continue;
      const single = { kind: 'patterns' as const, patterns: [entry.pattern] };
      if (tagFilterMatches(single, tag, budget)) return side(valueRange(file, entry.path), `"${entry.pattern}"`, literalPrefix(single));
    }
  }
  if (triggers.pushTags.kind === 'ignore' && triggers.pushTagsPath) return side(keyRange(file, triggers.pushTagsPath), 'its tags-ignore filter', '');
  return side(eventRange(file, 'push'), 'a push trigger with no tag filter', '');
}

function packagesOf(project: Project, workflow: WorkflowModel): string[] {
  const routes = releasePlan(project).routesOfWorkflow.get(workflow) ?? [];
  const names = routes.flatMap((route) => (route.confidence === 'opaque' ? ['an unidentified package'] : route.packageDirs.map((dir) => project.packageAt(dir)?.name ?? dir)));
  return [...new Set(names)];
}

/**
 * Pairs of workflows whose filters may share a tag. Each positive pattern has a literal prefix that
 * every tag it accepts starts with; two filters can only overlap when one of their prefixes is a
 * prefix of the other's. Sorted, the prefixes compatible with `p` that sort after it are exactly
 * those extending it, and they follow `p` contiguously: each compatible pair is found once, and
 * incompatible ones are never compared. The scan spends from `budget`.
 */
function* candidatePairs(workflows: WorkflowModel[], budget: WorkBudget): Generator<[WorkflowModel, WorkflowModel]> {
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
  const paired = new Set<number>();
  for (let i = 0; i < entries.length; i++) {
    const { prefix, index } = entries[i]!;
    for (let j = i + 1; j < entries.length && prefixesCompatible(prefix, entries[j]!.prefix); j++) {
      budget.spend(1); // many patterns with nested prefixes make this scan quadratic
      const other = entries[j]!.index;
      if (other === index) continue;
      const [low, high] = index < other ? [index, other] : [other, index];
      const key = low * workflows.length + high;
      if (paired.has(key)) continue;
      paired.add(key);
      yield [workflows[low]!, workflows[high]!];
    }
  }
}
