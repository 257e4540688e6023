import { defineRule } from '../../src/engine/rule.js';

/**
 * An invalid config stops the run with exit code 2 before any rule runs (src/config/load.ts), so
 * this module only gives the check its id and documentation.
 */
export default defineRule({
  meta: {
    id: 'core/config',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    description: 'An invalid linter configuration (exit code 2).',
    docs: {
      catches:
        'A `[tool.pypi-release-lint]` table, `.pypi-release-lint.toml` or `--config` file that does not match ' +
        '`schemas/config.schema.json`, an unknown rule id, an invalid `--rule ID=SEVERITY`, a rule selector (in `select`, ' +
        '`extend-select`, `ignore`, `per-file-ignores` or `--select`, `--extend-select`, `--ignore`) that selects no rule, ' +
        'or an `ignore` that mixes rule selectors and paths. Every problem is printed ' +
        'with its path in the config, e.g. `rules."workflow/tag-overlap": must be "off", "info", "warning" or "error"`, ' +
        'and the run exits with code 2.',
      why: 'A config the linter misreads silently turns checks off; failing loudly is the only safe reading.',
      failing: { file: 'pyproject.toml', content: '[tool.pypi-release-lint.rules]\n"workflow/tag-overlap" = "fatal"\n' },
      passing: { file: 'pyproject.toml', content: '[tool.pypi-release-lint.rules]\n"workflow/tag-overlap" = "warning"\n' },
      fixSafety: 'No fix.',
    },
  },
});
