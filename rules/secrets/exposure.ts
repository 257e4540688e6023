import { defineRule } from '../../src/engine/rule.js';
import { workflowModels } from '../../src/plan/release-plan.js';
import type { Range } from '../../src/project/source-file.js';
import { stepLabel } from '../../src/secrets/describe.js';
import { secretsInValue } from '../../src/secrets/references.js';
import { printedSecrets } from '../../src/secrets/shell.js';

export default defineRule({
  meta: {
    id: 'secrets/exposure',
    category: 'security',
    defaultSeverity: 'error',
    fixable: 'none',
    description: 'A secret expanded into a run: script that prints it.',
    docs: {
      catches:
        'A `run:` script that prints a secret: `echo`, `printf`, `cat` (also of a heredoc), `printenv`, or a bare `env`/`printenv`, ' +
        'whose arguments hold `${{ secrets.X }}`, or an env variable the step, job or workflow binds to a secret (`$TOKEN`, ' +
        '`${TOKEN}`, `${{ env.TOKEN }}`), and whose output reaches the log: not redirected to a file and not piped into another ' +
        'program (`| docker login --password-stdin` is fine; `| base64` or `| tee` still prints). `echo "::add-mask::..."` is ' +
        "GitHub's masking command and is not reported. `$TOKEN` in single quotes or a quoted heredoc is not expanded and not reported.",
      why:
        'GitHub masks the exact value of a secret in logs, nothing else: a token printed base64-encoded, split, URL-encoded or ' +
        'with a changed character is readable by everyone who can see the run, which for a public repository is everyone. ' +
        'And a secret expanded into the script text itself ends up in a file on the runner.',
      failing: {
        file: '.github/workflows/publish.yml',
        content:
          'jobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - name: Debug\n        run: echo "token is ${{ secrets.PYPI_API_TOKEN }}"\n',
      },
      passing: {
        file: '.github/workflows/publish.yml',
        content:
          'jobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - name: Upload\n        run: twine upload dist/*\n        env:\n' +
          '          TWINE_USERNAME: __token__\n          TWINE_PASSWORD: ${{ secrets.PYPI_API_TOKEN }}\n',
      },
      fixSafety: 'No fix: the printing command has to go, and the secret may have to be rotated if the run was public.',
    },
  },
  check({ project, report }) {
    for (const workflow of workflowModels(project)) {
      const file = workflow.file;
      for (const job of workflow.jobs) {
        for (const step of job.steps) {
          if (!step.run) continue;
          const environment = { ...workflow.env, ...job.env, ...step.env };
          const bindings = new Map<string, string>();
          for (const [variable, value] of Object.entries(environment)) {
            const secret = secretsInValue(value)[0];
            if (secret) bindings.set(variable, secret);
          }
          const bound = (variable: string): string | undefined => (variable === '*' ? [...bindings.values()][0] : bindings.get(variable));
          const printed = printedSecrets(step.run, bound);
          if (printed.length === 0) continue;
          const runRange = file.rangeOfValue([...step.path, 'run']);
          if (!runRange) continue;
          const locate = occurrenceLocator(step.run, file.text.slice(runRange.start, runRange.end));
          for (const entry of printed) {
            const found = locate(entry.start, entry.end);
            const range = found === undefined ? runRange : { start: runRange.start + found.start, end: runRange.start + found.end };
            const via =
              entry.variable === '*'
                ? `every env variable, including ${[...bindings].map(([variable, secret]) => `$${variable} (bound to secrets.${secret})`).join(', ')},`
                : entry.variable
                  ? `$${entry.variable} (env, bound to secrets.${entry.secret})`
                  : `secrets.${entry.secret}`;
            report({
              file,
              range,
              message:
                `${via} is expanded into the run: script of step ${stepLabel(step)} (job ${job.id}) of ${workflow.name}, which prints it with ${entry.command}: ` +
                'GitHub masks only the exact value, so any altered or partial copy in the log is readable; pass the secret to the command that needs it and never print it',
            });
          }
        }
      }
    }
  },
});

/**
 * Maps spans of the script (the parsed value) to the source text of the scalar: the same text, at
 * the same occurrence. Each needle's occurrences are counted once, resuming where the last span of
 * the same text left off (spans come in order), so a script printing one variable ten thousand
 * times is not recounted from its start for each.
 */
function occurrenceLocator(script: string, source: string): (start: number, end: number) => Range | undefined {
  const cursors = new Map<string, { scriptAt: number; count: number; sourceAt: number; sourceIndex: number }>();
  return (start, end) => {
    const needle = script.slice(start, end);
    let cursor = cursors.get(needle);
    if (!cursor || cursor.scriptAt >= start) cursor = { scriptAt: script.indexOf(needle), count: 0, sourceAt: source.indexOf(needle), sourceIndex: 0 };
    cursors.set(needle, cursor);
    for (; cursor.scriptAt >= 0 && cursor.scriptAt < start; cursor.scriptAt = script.indexOf(needle, cursor.scriptAt + 1)) cursor.count++;
    for (; cursor.sourceAt >= 0 && cursor.sourceIndex < cursor.count; cursor.sourceIndex++) cursor.sourceAt = source.indexOf(needle, cursor.sourceAt + 1);
    return cursor.sourceAt < 0 ? undefined : { start: cursor.sourceAt, end: cursor.sourceAt + needle.length };
  };
}
