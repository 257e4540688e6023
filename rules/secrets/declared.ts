import { defineRule } from '../../src/engine/rule.js';
import { workflowModels } from '../../src/plan/release-plan.js';
import { isGithubToken, sameSecret, secretReads, type SecretRead } from '../../src/secrets/references.js';
import { declaredSecrets, isReusable, localCallers } from '../../src/secrets/usage.js';
import { pushTo } from '../../src/group.js';

export default defineRule({
  meta: {
    id: 'secrets/declared',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    description: 'A reusable workflow reads secrets.X but does not declare X under on.workflow_call.secrets.',
    docs: {
      catches:
        'A workflow triggered by `workflow_call` that reads `secrets.X` (in a `${{ }}` expression or an `if:`) while ' +
        '`on.workflow_call.secrets` does not declare `X`. `GITHUB_TOKEN` is always available and never reported. When every ' +
        'caller in this repository passes `secrets: inherit`, the undeclared secret does reach the workflow, and the rule stays ' +
        'silent (`workflow/reusable-contract` warns about `inherit` itself). So it does when no workflow here calls it and it ' +
        'has a trigger of its own (a `workflow_dispatch`, a tag push): those runs get every secret. A reusable-only workflow ' +
        'that nothing here calls gets a warning: a caller elsewhere must pass `secrets: inherit`. The finding points at the ' +
        'first read and names the secrets the callers actually pass, which is usually the name the workflow should read.',
      why:
        'A reusable workflow sees only the secrets it declares and its caller passes. An undeclared one is not an error at run ' +
        'time: it is an empty string. The upload then fails with 403, or, worse, a `twine upload` with an empty password ' +
        'prompts and hangs until the job times out. The typical cause is a rename on one side only: the callers pass ' +
        '`pypi-token`, the workflow reads `secrets.PYPI_API_TOKEN`.',
      failing: {
        file: '.github/workflows/publish-to-pypi.yml',
        content:
          'on:\n  workflow_call:\n    inputs:\n      package-path: { type: string, required: true }\n' +
          'jobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: twine upload dist/*\n        env:\n' +
          '          TWINE_USERNAME: __token__\n          TWINE_PASSWORD: ${{ secrets.PYPI_API_TOKEN }}\n',
      },
      passing: {
        file: '.github/workflows/publish-to-pypi.yml',
        content:
          'on:\n  workflow_call:\n    inputs:\n      package-path: { type: string, required: true }\n    secrets:\n      pypi-token:\n        required: true\n' +
          'jobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: twine upload dist/*\n        env:\n' +
          '          TWINE_USERNAME: __token__\n          TWINE_PASSWORD: ${{ secrets.pypi-token }}\n',
      },
      fixSafety: 'No fix: whether to declare the secret or to read the name the callers pass is a decision about the interface of the workflow.',
    },
  },
  check({ project, report }) {
    const callers = localCallers(project);
    for (const workflow of workflowModels(project)) {
      if (!isReusable(workflow)) continue;
      const calls = callers.get(workflow.name) ?? [];
      if (calls.length > 0 && calls.every((call) => call.job.secrets === 'inherit')) continue;
      // Called by no workflow here: run by a trigger of its own (a dispatch, a tag), it gets every
      // secret; called from elsewhere only, its caller (in the same organisation) may pass secrets: inherit.
      const uncalled = calls.length === 0;
      if (uncalled && workflow.triggers.events.some((event) => event !== 'workflow_call')) continue;
      const declared = declaredSecrets(workflow);
      const undeclared = new Map<string, SecretRead[]>();
      for (const read of secretReads(workflow.file)) {
        if (isGithubToken(read.name) || declared.some((name) => sameSecret(name, read.name))) continue;
        const key = read.name.toUpperCase();
        pushTo(undeclared, key, read);
      }
      for (const reads of undeclared.values()) {
        const first = reads[0]!;
        const declaration = declared.length === 0 ? 'on.workflow_call declares no secrets' : `on.workflow_call.secrets declares only ${declared.join(', ')}`;
        const passed = new Map<string, string[]>();
        for (const call of calls) {
          if (!call.job.secrets || call.job.secrets === 'inherit') continue;
          for (const name of Object.keys(call.job.secrets)) pushTo(passed, name, call.workflow.name);
        }
        const passedText =
          passed.size === 0 ? '' : `; its callers pass ${[...passed].map(([name, files]) => `${name} (${[...new Set(files)].join(', ')})`).join(', ')}`;
        const more = reads.length > 1 ? ` (also read on line${reads.length > 2 ? 's' : ''} ${reads.slice(1).map((read) => workflow.file.positionAt(read.range.start).line).join(', ')})` : '';
        report({
          file: workflow.file,
          range: first.range,
          message: uncalled
            ? `reusable workflow ${workflow.name} reads secrets.${first.name}${more}, but ${declaration} and no workflow of this repository calls it: ` +
              `the value is empty unless its caller passes secrets: inherit (possible within its organisation only); declare ${first.name} under on.workflow_call.secrets`
            : `reusable workflow ${workflow.name} reads secrets.${first.name}${more}, but ${declaration}${passedText}: ` +
              `the value is empty at run time; declare ${first.name} under on.workflow_call.secrets or read a secret the callers pass`,
          ...(uncalled ? { severity: 'warning' as const } : {}),
        });
      }
    }
  },
});
