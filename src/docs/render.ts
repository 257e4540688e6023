import type { RuleMeta } from '../types.js';

const FIX_LABEL = { none: 'not fixable', safe: 'safe fix (--fix)', unsafe: 'unsafe fix (--fix --unsafe-fixes)' } as const;

function fence(file: string, content: string): string {
  const language = file.endsWith('.toml') ? 'toml' : /\.ya?ml$/.test(file) ? 'yaml' : file.endsWith('.md') ? 'markdown' : '';
  return `\`${file}\`:\n\n\`\`\`${language}\n${content.replace(/\n$/, '')}\n\`\`\``;
}

/** The rule's page, in Markdown: `explain RULE`, docs/rules/<id>.md and SARIF's help come from here. */
export function renderRuleMarkdown(meta: RuleMeta): string {
  return [
    `# ${meta.id}`,
    '',
    `${meta.description}`,
    '',
    `Default severity: **${meta.defaultSeverity}**. Fix: ${FIX_LABEL[meta.fixable]}.${meta.gateOnly ? ' Runs only in `pypi-release-lint gate`.' : ''}`,
    '',
    '## What it catches',
    '',
    meta.docs.catches,
    '',
    '## Why it matters',
    '',
    meta.docs.why,
    '',
    '## Failing example',
    '',
    fence(meta.docs.failing.file, meta.docs.failing.content),
    '',
    '## Passing example',
    '',
    fence(meta.docs.passing.file, meta.docs.passing.content),
    '',
    '## Fix safety',
    '',
    meta.docs.fixSafety,
    '',
  ].join('\n');
}
