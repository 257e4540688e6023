import { categoriesOf, codesOf, defaultLabel, enabledByDefault, fixesOf } from '../engine/codes.js';
import type { RuleMeta } from '../types.js';

const FIX_LABEL = { none: 'not fixable', safe: 'safe fix (--fix)', unsafe: 'unsafe fix (--fix --unsafe-fixes)' } as const;
const FIX_SHORT = { none: '–', safe: 'safe', unsafe: 'unsafe' } as const;

/** What --fix does to a rule's findings, over its kinds: "safe fix (--fix)", or both kinds of fix. */
function fixLabel(meta: RuleMeta): string {
  const fixes = fixesOf(meta);
  return fixes.length === 0 ? FIX_LABEL.none : fixes.map((fix) => FIX_LABEL[fix]).join(' or ');
}

function fixShort(meta: RuleMeta): string {
  const fixes = fixesOf(meta);
  return fixes.length === 0 ? FIX_SHORT.none : fixes.join(', ');
}

function fence(file: string, content: string): string {
  const language = file.endsWith('.toml') ? 'toml' : /\.ya?ml$/.test(file) ? 'yaml' : file.endsWith('.md') ? 'markdown' : '';
  return `\`${file}\`:\n\n\`\`\`${language}\n${content.replace(/\n$/, '')}\n\`\`\``;
}

/** The other files of a rule's example folders (src/docs/examples.ts), by side; the generated pages list them. */
export interface ExampleFolders {
  fail: readonly string[];
  pass: readonly string[];
}

/** The line under an example that names the folder around it, when it has one. */
function folderLine(meta: RuleMeta, side: 'fail' | 'pass', files: readonly string[] | undefined): string[] {
  if (!files || files.length === 0) return [];
  const folder = `${meta.id.split('/')[1]}/${side}/`;
  return ['', `Runs in [${folder}](${folder}) beside: ${files.map((file) => `\`${file}\``).join(', ')}.`];
}

/**
 * The rule's page, in Markdown: `explain RULE`, docs/rules/<id>.md and SARIF's help come from here.
 * With `folders` (the generated pages), each example names the files of the folder it runs in.
 */
export function renderRuleMarkdown(meta: RuleMeta, folders?: ExampleFolders): string {
  return [
    `# ${meta.id}`,
    '',
    `${meta.description}`,
    '',
    `${defaultLine(meta)} Fix: ${fixLabel(meta)}.${meta.gateOnly ? ' Runs only in `pypi-release-lint gate`.' : ''}`,
    '',
    '## What it catches',
    '',
    meta.docs.catches,
    '',
    ...kindsSection(meta),
    '## Why it matters',
    '',
    meta.docs.why,
    '',
    '## Failing example',
    '',
    fence(meta.docs.failing.file, meta.docs.failing.content),
    ...folderLine(meta, 'fail', folders?.fail),
    '',
    '## Passing example',
    '',
    fence(meta.docs.passing.file, meta.docs.passing.content),
    ...folderLine(meta, 'pass', folders?.pass),
    '',
    '## Fix safety',
    '',
    meta.docs.fixSafety,
    '',
  ].join('\n');
}

/** The rule's category and whether the default selection runs it, at which severity (per kind for a rule with kinds). */
function defaultLine(meta: RuleMeta): string {
  if (meta.kinds) {
    return `Categories: ${categoriesOf(meta).map((category) => `**${category}**`).join(', ')}; the kinds below say which run by default.`;
  }
  return enabledByDefault(meta)
    ? `Category: **${meta.category}**, on by default, severity **${meta.defaultSeverity}**.`
    : `Category: **${meta.category}**, off by default (select it: \`--extend-select ${meta.id}\`), severity **${meta.defaultSeverity}**.`;
}

/** For a rule with kinds: each kind's selector, category, default and what it is. */
function kindsSection(meta: RuleMeta): string[] {
  if (!meta.kinds) return [];
  const rows = codesOf(meta).map(
    (code) => `| \`${code.id}\` | ${code.category} | ${defaultLabel(code)} | ${FIX_SHORT[code.fixable]} | ${code.description.replace(/\|/g, '\\|')} |`,
  );
  return ['## Kinds', '', 'Each kind is selectable on its own (`select`, `ignore`, `per-file-ignores`).', '', '| Kind | Category | Default | Fix | What |', '|---|---|---|---|---|', ...rows, ''];
}

/** docs/rules/README.md: what the categories and the default set are, then every rule and kind by group. */
export function renderRuleIndex(metas: readonly RuleMeta[]): string {
  const groups = new Map<string, RuleMeta[]>();
  for (const meta of metas) {
    const group = meta.id.split('/')[0]!;
    groups.set(group, [...(groups.get(group) ?? []), meta]);
  }
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
  const lines = [
    '# Rules',
    '',
    `${metas.length} rules. \`pypi-release-lint rules\` prints this table and \`pypi-release-lint explain RULE\` prints a rule's page.`,
    '',
    'Every rule, and every kind of finding of a rule whose findings differ, has a category:',
    '',
    '- **release**: the upload fails, publishes the wrong thing or version, or never runs;',
    '- **security**: credentials, token scope, permissions of publish jobs;',
    '- **hygiene**: metadata quality, badges, install and tag docs, bounds that are good practice.',
    '',
    'The default set is every release and security check, plus, as warnings, the policy checks users asked for by name: a',
    'complete build-system, the required metadata and version constraints on runtime dependencies of every published',
    'package (`pyproject/build-system`, `pyproject/metadata/missing-required`, `pyproject/dependencies/unconstrained`),',
    'every secret documented (`secrets/documented`), the README badges of every published package, pointing where they',
    'should (`readme/badges`, `readme/badge-targets`). The rest of hygiene is off until selected. Only release and',
    'security findings are errors; a hygiene finding is a warning unless the config or `--rule` says otherwise.',
    '',
    'This changes the first rule catalogue: `pyproject/metadata` reports a missing description, readme, requires-python or',
    'license as a warning (a missing name or version stays an error), `readme/badge-targets` reports warnings,',
    '`pyproject/urls` reports a value PyPI refuses (not an http or https URL) as an error, and these are off by default:',
    '`core/unused-suppression`, `readme/install-docs`, `readme/tag-docs`, the backend lower bound of',
    '`pyproject/build-system`, the recommended fields of `pyproject/metadata`, exact pins, requires-python caps and',
    'unconstrained development extras of `pyproject/dependencies`, the upper bound of `pyproject/sibling-dependencies`,',
    'duplicate and contradicting Python classifiers, deprecated SPDX identifiers, plain-http and wrong-target project',
    'URLs, and `twine check` without `--strict`.',
    '',
    'Select rules with `select`, `extend-select` and `ignore` (config) or `--select`, `--extend-select` and `--ignore`, by',
    'id (`pyproject/metadata`), kind (`pyproject/metadata/missing-recommended`), group (`pyproject/`), glob',
    '(`workflow/tag-*`) or category (`hygiene`, `all`): see "Selecting rules" in the README. Set a rule\'s severity, or',
    'turn it off, in `[tool.pypi-release-lint.rules]` or with `--rule ID=SEVERITY`.',
    'Fix: `safe` fixes apply with `--fix`, `unsafe` ones also need `--unsafe-fixes`.',
  ];
  for (const [group, members] of groups) {
    lines.push('', `## ${group}`, '', '| Rule | Category | Default | Fix | Catches |', '|---|---|---|---|---|');
    for (const meta of members) {
      const description = cell(`${meta.description}${meta.gateOnly ? ' (`gate` only)' : ''}`);
      const codes = codesOf(meta);
      const categories = categoriesOf(meta).join(', ');
      const byDefault = meta.kinds ? 'by kind' : defaultLabel(codes[0]!);
      lines.push(`| [\`${meta.id}\`](${meta.id}.md) | ${categories} | ${byDefault} | ${fixShort(meta)} | ${description} |`);
      if (meta.kinds) for (const code of codes) lines.push(`| ↳ \`${code.id}\` | ${code.category} | ${defaultLabel(code)} | ${FIX_SHORT[code.fixable]} | ${cell(code.description)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
