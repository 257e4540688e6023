import { defineRule } from './rule.js';
import { UNUSED_SUPPRESSION_RULE } from './suppressions.js';

/**
 * The engine itself finds unused suppressions after every rule ran (suppressions.ts):
 * only then is it known which suppressions matched a finding. This module gives the rule its id,
 * severity and documentation, so it can be configured and explained like any other.
 */
export const unusedSuppressionRule = defineRule({
  meta: {
    id: UNUSED_SUPPRESSION_RULE,
    category: 'hygiene',
    enabledByDefault: false,
    defaultSeverity: 'warning',
    fixable: 'none',
    description: 'A suppression comment that suppresses nothing.',
    docs: {
      catches:
        'A `# pypi-release-lint: disable=RULE` (TOML, YAML) or `<!-- pypi-release-lint-disable RULE -->` (Markdown) comment ' +
        'whose rule reported nothing on the line it covers, or that names an unknown rule.',
      why: 'A stale suppression hides the next real finding on that line, and tells readers of the file about a problem that no longer exists.',
      failing: { file: 'pyproject.toml', content: '[project]\nname = "demo"  # pypi-release-lint: disable=pyproject/unique-names\n' },
      passing: { file: 'pyproject.toml', content: '[project]\nname = "demo"\n' },
      fixSafety: 'No fix: remove the comment by hand once you have checked that the problem is gone.',
    },
  },
});
