import { defineRule } from '../../src/engine/rule.js';
import { readDocument, type DocCode, type DocHeading } from '../../src/markdown/index.js';
import { isDocument } from '../../src/markdown/readmes.js';
import { closest, samePrefix } from '../../src/markdown/suggest.js';
import { releasePlan, workflowModels } from '../../src/plan/release-plan.js';
import type { SourceFile } from '../../src/project/source-file.js';
import { isPatternError, parseTagPattern } from '../../src/workflow/tag-filter.js';
import { pushTo } from '../../src/group.js';

/** A section about tags or releasing: "Tag naming", "Tagging a release", "Releasing", "Publishing", "Versioning". */
const TAG_HEADING = /\b(?:tag(?:s|ging)?|releas(?:e|es|ing)|publish(?:ing)?|versioning)\b/i;
/**
 * A code span that reads as a tag pattern: tag characters and at least one wildcard, and not a
 * file glob (`*.py`, `docs/*.md`) or an API example (`glob("*")`) that happens to sit nearby.
 */
function isPattern(text: string): boolean {
  return /^[!A-Za-z0-9._/*?[\]+-]+$/.test(text) && /[*?[]/.test(text) && !/\.(?:py|pyi|md|rst|txt|toml|ya?ml|json|cfg|ini|whl|gz|zip)$/i.test(text) && text !== '*' && text !== '**';
}

/** A pattern GitHub rejects: the workflow rules report it; comparing docs with it only adds noise. */
function invalid(pattern: string): boolean {
  return isPatternError(parseTagPattern(pattern.replace(/^!/, '')));
}

interface Quoted {
  file: SourceFile;
  code: DocCode;
  section: DocHeading;
}

export default defineRule({
  meta: {
    id: 'readme/tag-docs',
    category: 'hygiene',
    enabledByDefault: false,
    defaultSeverity: 'warning',
    fixable: 'none',
    description: 'Tag patterns quoted in the docs that no workflow uses, or a publish workflow pattern the docs leave out.',
    docs: {
      catches:
        'The docs (config `docs`) quote tag patterns as inline code in sections whose heading is about tags ("Tag naming", ' +
        '"Tag patterns", "Tags"). (1) A quoted pattern (inline code with `*`, `?` or `[`) that is not a push tag pattern of ' +
        'any workflow: reported where it is quoted, with the closest real pattern. (2) A push tag pattern of a publish ' +
        'workflow that no tag section quotes: reported at the pattern in the workflow. Part (2) applies only when the docs ' +
        'have such a section with at least one quoted pattern. A workflow pattern GitHub rejects (an unclosed `[`) is left to ' +
        '`workflow/tag-overlap` and `workflow/actionlint`, and so is a doc pattern whose closest workflow pattern is such a one.',
      why:
        'Maintainers release by the docs: a documented tag that no workflow listens to is pushed, and nothing happens (the ' +
        'release silently does not go out); an undocumented pattern is a way to publish that nobody knows of.',
      failing: {
        file: 'README.md',
        content: '## Tag naming\n\n- demo: `v*`\n- demo-plugin: `plugin-v*`\n\n<!-- the plugin workflow listens to "demo-plugin-v*" -->\n',
      },
      passing: { file: 'README.md', content: '## Tag naming\n\n- demo: `v*`\n- demo-plugin: `demo-plugin-v*`\n' },
      fixSafety: 'No fix: whether the docs or the workflow is right is for the maintainers to decide.',
    },
  },
  check({ project, report }) {
    const quoted: Quoted[] = [];
    for (const file of project.docs.filter(isDocument)) {
      for (const code of readDocument(file).code) {
        // The innermost section about tags or releasing names it best ("Tag naming" inside "Releasing").
        const section = [...code.section].reverse().find((heading) => TAG_HEADING.test(heading.text));
        if (section && isPattern(code.text.trim())) quoted.push({ file, code, section });
      }
    }
    if (quoted.length === 0) return;

    const used = new Map<string, string[]>();
    for (const workflow of workflowModels(project)) {
      const tags = workflow.triggers.pushTags;
      if (tags.kind !== 'patterns' && tags.kind !== 'ignore') continue;
      for (const pattern of tags.patterns) pushTo(used, pattern, workflow.name);
    }
    const usedPatterns = [...used.keys()];
    for (const entry of quoted) {
      const pattern = entry.code.text.trim();
      if (used.has(pattern)) continue;
      const near = closest(pattern, usedPatterns) ?? samePrefix(pattern, usedPatterns);
      // The workflow's pattern is broken (workflow/tag-overlap and actionlint say so): the docs may well be right.
      if (near && invalid(near)) continue;
      const hint = near ? `; did you mean ${near} (${used.get(near)!.join(', ')})?` : usedPatterns.length > 0 ? `; the workflows use ${usedPatterns.join(', ')}` : '';
      report({
        file: entry.file,
        range: entry.code.range,
        message: `tag pattern ${pattern} quoted in ${entry.file.path} ("${entry.section.text}") is used by no workflow: a maintainer who follows the docs pushes a tag that publishes nothing; correct the docs or the workflow's on.push.tags${hint}`,
      });
    }

    const documented = new Set(quoted.map((entry) => entry.code.text.trim()));
    const sections = [...new Set(quoted.map((entry) => `${entry.file.path} ("${entry.section.text}")`))];
    for (const workflow of releasePlan(project).publishWorkflows) {
      const tags = workflow.triggers.pushTags;
      if (tags.kind !== 'patterns' || !workflow.triggers.pushTagsPath) continue;
      const listed = Array.isArray(workflow.file.get(workflow.triggers.pushTagsPath));
      tags.patterns.forEach((pattern, index) => {
        if (pattern.startsWith('!') || documented.has(pattern) || invalid(pattern)) return;
        const path = listed ? [...workflow.triggers.pushTagsPath!, index] : workflow.triggers.pushTagsPath!;
        report({
          file: workflow.file,
          range: workflow.file.rangeOfValue(path) ?? workflow.file.rangeOfNearest(path),
          message: `${workflow.name}'s tag pattern ${pattern} is quoted in no tag section of the docs (${sections.join(', ')}): maintainers releasing by the docs never use it`,
        });
      });
    }
  },
});
