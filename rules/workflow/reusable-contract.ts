import { isScalar } from 'yaml';
import { defineRule } from '../../src/engine/rule.js';
import { workflowModels } from '../../src/plan/release-plan.js';
import type { InputDeclaration } from '../../src/workflow/model.js';
import { localReusableTarget } from '../../src/workflow/model.js';
import { keyRange, lineOf, valueRange } from '../../src/workflow/locate.js';
import { expressionReferences } from '../../src/workflow/references.js';

export default defineRule({
  meta: {
    id: 'workflow/reusable-contract',
    category: 'release',
    defaultSeverity: 'error',
    kinds: {
      broken: {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'A call that breaks the called workflow\'s declared inputs and secrets, or a callee reading an input it never declares.',
      },
      'secrets-inherit': {
        category: 'security',
        defaultSeverity: 'warning',
        enabledByDefault: true,
        description: 'secrets: inherit, which hands every repository secret to the called workflow.',
      },
    },
    fixable: 'none',
    description: 'A call of a local reusable workflow that breaks its declared inputs and secrets; a reusable workflow reading inputs it never declares.',
    docs: {
      catches:
        'For every job that calls a local reusable workflow (`uses: ./.github/workflows/x.yml`): a called file that does not ' +
        'exist or has no `on.workflow_call`; a required input or secret that is not passed (at the `uses:`); an input or secret ' +
        'passed but not declared (at its key, with the declared names); a value of the wrong type for the declared `type:` ' +
        '(`"false"` to a boolean, `true` to a number, an unquoted `3.10` that YAML reads as 3.1). In the reusable workflow: ' +
        '`inputs.X` read but never declared under `on.workflow_call.inputs` (at the reference; an undeclared `secrets.X` is ' +
        'reported by `secrets/declared`). All of these are kind `broken`, errors. And, as a warning of kind ' +
        '`secrets-inherit` (security), `secrets: inherit`.',
      why:
        'GitHub evaluates reusable-workflow contracts only when the run starts, so a broken call shows up on release day. ' +
        'Worse, an undeclared `secrets.X` in the called workflow is not an error at all: it is silently empty, so the upload ' +
        'runs without a token and fails with a 403 after the build. `secrets: inherit` hands every repository secret to the ' +
        'called workflow, where one scoped secret would do.',
      failing: {
        file: '.github/workflows/publish-plugin.yml',
        content:
          'jobs:\n  publish:\n    uses: ./.github/workflows/publish-to-pypi.yml   # requires package-name and the secret pypi-token\n    with:\n' +
          '      package-path: src/plugin\n      dry-run: "false"        # declared type: boolean\n      python: "3.12"          # declared: python-version\n',
      },
      passing: {
        file: '.github/workflows/publish-plugin.yml',
        content:
          'jobs:\n  publish:\n    uses: ./.github/workflows/publish-to-pypi.yml\n    with:\n      package-name: plugin\n      package-path: src/plugin\n' +
          '      dry-run: false\n      python-version: "3.12"\n    secrets:\n      pypi-token: ${{ secrets.PYPI_TOKEN_PLUGIN }}\n',
      },
      fixSafety: 'No fix: a missing or misspelt input needs the value the caller meant.',
    },
  },
  check({ project, report }) {
    const workflows = workflowModels(project);
    const byName = new Map(workflows.map((workflow) => [workflow.name, workflow]));

    for (const caller of workflows) {
      for (const job of caller.jobs) {
        const target = localReusableTarget(job.uses, project.repository);
        if (!target) continue;
        const file = caller.file;
        const usesRange = valueRange(file, [...job.path, 'uses']);
        const callee = byName.get(target);
        if (!callee) {
          const broken = project.workflows.find((candidate) => candidate.path.endsWith(`/${target}`));
          if (!broken && job.uses?.startsWith('./')) report({ kind: 'broken', file, range: usesRange, message: `job ${job.id} calls ${job.uses}, which does not exist in .github/workflows` });
          continue;
        }
        const { callInputs, callSecrets } = callee.triggers;
        if (!callInputs || !callSecrets) {
          report({ kind: 'broken', file, range: usesRange, message: `job ${job.id} calls ${callee.name}, which has no on.workflow_call trigger: GitHub refuses to run the call` });
          continue;
        }

        for (const input of callInputs) {
          if (input.required && !(input.name in job.with)) {
            report({ kind: 'broken', file, range: usesRange, message: `${callee.name} requires input "${input.name}" (declared at line ${lineOf(callee.file, input.path)}), which job ${job.id} does not pass` });
          }
        }
        for (const [name, value] of Object.entries(job.with)) {
          const declared = callInputs.find((input) => input.name === name);
          if (!declared) {
            report({
              kind: 'broken',
              file,
              range: keyRange(file, [...job.path, 'with', name]),
              message: `input "${name}" is not declared by ${callee.name} (declared: ${callInputs.map((input) => input.name).join(', ') || 'none'})${didYouMean(name, callInputs.map((input) => input.name))}`,
            });
            continue;
          }
          const mismatch = typeMismatch(declared, value, file.text, file.rangeOfValue([...job.path, 'with', name]), file.node([...job.path, 'with', name]));
          if (mismatch) {
            report({
              kind: 'broken',
              file,
              range: valueRange(file, [...job.path, 'with', name]),
              message: `input "${name}" is declared type: ${declared.type} by ${callee.name} (line ${lineOf(callee.file, declared.path)}); ${mismatch}`,
            });
          }
        }

        if (job.secrets === 'inherit') {
          const read = [...new Set(expressionReferences(callee.file).filter((reference) => reference.context === 'secrets' && reference.name.toUpperCase() !== 'GITHUB_TOKEN').map((reference) => reference.name))];
          report({
            kind: 'secrets-inherit',
            file,
            range: valueRange(file, [...job.path, 'secrets']),
            message:
              `secrets: inherit hands every repository secret to ${callee.name}, which reads ${read.length ? read.join(', ') : 'none'}; ` +
              (read.length ? `declare ${read.length > 1 ? 'them' : 'it'} under its on.workflow_call.secrets and pass ${read.length > 1 ? 'them' : 'it'} here by name` : 'drop secrets: inherit'),
          });
          continue;
        }
        const passed = job.secrets ?? {};
        for (const secret of callSecrets) {
          if (secret.required && !(secret.name in passed)) {
            report({ kind: 'broken', file, range: usesRange, message: `${callee.name} requires secret "${secret.name}" (declared at line ${lineOf(callee.file, secret.path)}), which job ${job.id} does not pass` });
          }
        }
        for (const name of Object.keys(passed)) {
          if (callSecrets.some((secret) => secret.name === name)) continue;
          report({
            kind: 'broken',
            file,
            range: keyRange(file, [...job.path, 'secrets', name]),
            message:
              `secret "${name}" is not declared by ${callee.name} (declared: ${callSecrets.map((secret) => secret.name).join(', ') || 'none'}): ` +
              `the called workflow cannot read it${didYouMean(name, callSecrets.map((secret) => secret.name))}`,
          });
        }
      }
    }

    // The called side: inputs.X read but never declared. An undeclared secrets.X is secrets/declared's.
    for (const callee of workflows) {
      const { callInputs, dispatchInputs } = callee.triggers;
      if (!callInputs) continue;
      const inputNames = new Set([...callInputs, ...(dispatchInputs ?? [])].map((input) => input.name));
      for (const reference of expressionReferences(callee.file)) {
        if (reference.context !== 'inputs' || reference.eventInputs || inputNames.has(reference.name)) continue;
        report({
          kind: 'broken',
          file: callee.file,
          range: reference.range,
          message: `${callee.name} reads inputs.${reference.name}, which on.workflow_call.inputs never declares: it is always empty (declared: ${[...inputNames].join(', ') || 'none'})`,
        });
      }
    }
  },
});

/** Why a literal `with:` value does not fit the declared input type (actionlint's rules); undefined when it fits. */
function typeMismatch(declared: InputDeclaration, value: unknown, text: string, range: { start: number; end: number } | undefined, node: unknown): string | undefined {
  const type = declared.type;
  if (typeof value === 'string' && value.includes('${{')) return undefined;
  const source = range ? text.slice(range.start, range.end) : String(value);
  if (value === null) return `the call passes null (write ${type === 'string' ? "''" : 'a value'})`;
  if (type === 'boolean' && typeof value !== 'boolean') return `the call passes the ${typeof value} ${source}, and GitHub fails the run with "Unexpected value" (write ${/^["']?true["']?$/.test(source) ? 'true' : 'false'} unquoted)`;
  if (type === 'number' && typeof value !== 'number') return `the call passes the ${typeof value} ${source}; GitHub expects a number`;
  if (type === 'string' && typeof value === 'boolean') return `the call passes the boolean ${source} (quote it to pass a string)`;
  if (type === 'string' && typeof value === 'number' && isScalar(node) && String(value) !== source.trim()) {
    return `the call passes the unquoted ${source.trim()}, which YAML reads as the number ${String(value)} (quote it: "${source.trim()}")`;
  }
  return undefined;
}

/** " (did you mean python-version?)" for a near miss. */
function didYouMean(name: string, declared: string[]): string {
  const lower = name.toLowerCase();
  const close = declared.find((candidate) => {
    const other = candidate.toLowerCase();
    return other.startsWith(lower) || lower.startsWith(other) || other.replace(/[-_]/g, '') === lower.replace(/[-_]/g, '') || distance(lower, other) <= 2;
  });
  return close ? ` (did you mean ${close}?)` : '';
}

/** Edit distance; only whether it is at most 2 matters, so names whose lengths differ more are not compared (the table is |a|·|b|). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length * b.length > 1_000_000) return Infinity;
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
