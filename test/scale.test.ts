/**
 * Issue 19, linear at any size: the --timing view, the facts gathered once instead of per package
 * or per badge, and the bench's own inputs. No assertion here is about time: the bench measures.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addLargeWorkflows, generateMonorepo, largeWorkflow } from '../bench/generate.mjs';
import { Timing } from '../src/engine/timing.js';
import { closest, suggest } from '../src/markdown/suggest.js';
import { discoverFiles } from '../src/project/discover.js';
import { FileStore } from '../src/project/file-store.js';
import { WalkedTree } from '../src/project/walked-tree.js';
import { YamlFile } from '../src/project/yaml-file.js';
import { namesSecret, secretNamer } from '../src/secrets/docs.js';
import { BASE_FIXTURE, ensureBuilt, lint, REPO_ROOT, runCli, tempDir } from './helpers/fixtures.js';

beforeAll(ensureBuilt);

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 0;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('--timing', () => {
  it('prints every phase and every rule that ran on stderr, after the report on stdout', () => {
    const result = runCli([BASE_FIXTURE, '--timing', '--rule', 'workflow/actionlint=off', '--format', 'json']);
    expect(result.status).toBeLessThanOrEqual(1);
    expect(() => JSON.parse(result.stdout)).not.toThrow();
    const phases = result.stderr.split('\n\n')[0]!.match(/^(\w+) +\| +[\d.]+ \| +[\d.]+%$/gm)!.map((line) => line.split(' ')[0]);
    expect(phases).toEqual(['discover', 'cache', 'parse', 'plan', 'rules', 'actionlint', 'output', 'total']);
    expect(result.stderr).toMatch(/^Rule +\| Time \(ms\) \| Relative$/m);
    expect(result.stderr).toMatch(/^pyproject\/metadata +\| +[\d.]+ \| +[\d.]+%$/m);
    // Off rules are not timed.
    expect(result.stderr).not.toMatch(/^workflow\/actionlint /m);
  });

  it('prints nothing more without the flag', () => {
    const result = runCli([BASE_FIXTURE, '--rule', 'workflow/actionlint=off', '--format', 'json']);
    expect(result.stderr).toBe('');
  });

  it('counts a nested measurement once: the plan a rule asks for is plan time, not the rule’s', () => {
    const clock = manualClock();
    const timing = new Timing(true, clock.now);
    timing.rule('readme/badges', () => {
      clock.advance(2);
      timing.measure('plan', () => clock.advance(30));
      clock.advance(3);
    });
    timing.rule('readme/badges', () => clock.advance(1));
    const text = timing.format();
    expect(text).toMatch(/^plan +\| +30\.0 \| +83\.3%$/m);
    expect(text).toMatch(/^rules +\| +6\.0 \| +16\.7%$/m);
    expect(text).toMatch(/^readme\/badges +\| +6\.0 \| +100\.0%$/m);
  });

  it('counts the wait for an answer from elsewhere in the phase it names', async () => {
    const clock = manualClock();
    const timing = new Timing(true, clock.now);
    await timing.wait('actionlint', Promise.resolve().then(() => clock.advance(40)));
    expect(timing.format()).toMatch(/^actionlint +\| +40\.0 \| +100\.0%$/m);
  });

  it('measures nothing when off', () => {
    expect(Timing.off.measure('parse', () => 7)).toBe(7);
    expect(Timing.off.format()).toMatch(/^total +\| +0\.0 \|/m);
  });
});

describe('FileStore remembers', () => {
  it('a listing: a directory is read once per run, and a new store reads it again', () => {
    const root = tempDir('prl-scale-');
    fs.writeFileSync(path.join(root, 'a.txt'), 'a');
    const store = new FileStore(root);
    expect(store.list('.')).toEqual(['a.txt']);
    fs.writeFileSync(path.join(root, 'b.txt'), 'b');
    expect(store.list('.')).toEqual(['a.txt']);
    expect(store.withOverlay(new Map()).list('.')).toEqual(['a.txt']);
    expect(new FileStore(root).list('.')).toEqual(['a.txt', 'b.txt']);
  });

  it('a kind, and still refuses a link that leaves the root, and reads one that stays inside', () => {
    const root = tempDir('prl-scale-');
    const outside = tempDir('prl-scale-outside-');
    fs.mkdirSync(path.join(root, 'docs'));
    fs.writeFileSync(path.join(root, 'docs', 'real.md'), 'inside');
    fs.writeFileSync(path.join(outside, 'secret.md'), 'outside');
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(root, 'docs', 'away.md'));
    fs.symlinkSync('real.md', path.join(root, 'docs', 'near.md'));
    fs.symlinkSync(outside, path.join(root, 'elsewhere'));
    const store = new FileStore(root);
    expect(store.stat('docs')).toBe('directory');
    expect(store.read('docs/real.md')).toEqual({ ok: true, text: 'inside' });
    expect(store.read('docs/near.md')).toEqual({ ok: true, text: 'inside' });
    expect(store.read('docs/away.md').ok).toBe(false);
    expect(store.read('elsewhere/secret.md').ok).toBe(false);
    expect(store.stat('elsewhere/secret.md')).toBe('missing');
  });
});

describe("FileStore asks discovery's walk before it stats", () => {
  /** A repo with every kind of entry the walk can meet, and what a store that trusts the walk says of each path. */
  function walkedRepo(): { root: string; walked: WalkedTree } {
    const root = tempDir('prl-scale-');
    const outside = tempDir('prl-scale-outside-');
    for (const directory of ['pkg/src', 'node_modules/dep', 'away-target']) fs.mkdirSync(path.join(root, directory), { recursive: true });
    fs.writeFileSync(path.join(root, 'pkg', 'README.md'), '# pkg');
    fs.writeFileSync(path.join(root, 'pkg', 'src', 'mod.py'), '');
    fs.writeFileSync(path.join(root, 'node_modules', 'dep', 'setup.py'), '');
    fs.writeFileSync(path.join(outside, 'setup.py'), '');
    fs.symlinkSync(path.join(root, 'pkg', 'src'), path.join(root, 'near'));
    fs.symlinkSync(outside, path.join(root, 'elsewhere'));
    fs.symlinkSync('README.md', path.join(root, 'pkg', 'LINKED.md'));
    const walked = new WalkedTree();
    discoverFiles(root, { ignore: [], skipDirectories: [], docs: [] }, walked);
    return { root, walked };
  }

  it('answers every stat as lstat does: files, directories, missing names, links, skipped directories, odd paths', () => {
    const { root, walked } = walkedRepo();
    const paths = ['pkg', 'pkg/README.md', 'pkg/setup.py', 'pkg/src', 'pkg/src/mod.py', 'pkg/LINKED.md', 'pkg/readme.md', 'pkg/README.MD', 'pkg/ré.md', 'pkg/nowhere/x.py'];
    paths.push('near', 'near/mod.py', 'elsewhere', 'elsewhere/setup.py', 'node_modules/dep', 'node_modules/dep/setup.py', './pkg/README.md', 'pkg//README.md', 'pkg/../pkg/README.md', '../x', '.', '');
    const trusting = new FileStore(root, new Map(), walked);
    const plain = new FileStore(root);
    expect(paths.map((asked) => [asked, trusting.stat(asked)])).toEqual(paths.map((asked) => [asked, plain.stat(asked)]));
    expect(paths.map((asked) => [asked, trusting.read(asked).ok])).toEqual(paths.map((asked) => [asked, plain.read(asked).ok]));
  });

  it('tells only what readdir said for certain: a link, a case twin and a skipped directory are left to lstat', () => {
    const { walked } = walkedRepo();
    const told = ['pkg', 'pkg/README.md', 'pkg/setup.py', 'pkg/LINKED.md', 'pkg/readme.md', 'pkg/ré.md', 'near', 'node_modules/dep', 'node_modules/dep/setup.py', './pkg', 'pkg/nowhere/x.py'];
    expect(told.map((asked) => [asked, walked.kindAt(asked)])).toEqual([
      ['pkg', 'directory'],
      ['pkg/README.md', 'file'],
      ['pkg/setup.py', 'missing'],
      ['pkg/LINKED.md', undefined],
      ['pkg/readme.md', undefined],
      ['pkg/ré.md', undefined],
      ['near', undefined],
      ['node_modules/dep', undefined],
      ['node_modules/dep/setup.py', undefined],
      ['./pkg', undefined],
      ['pkg/nowhere/x.py', undefined],
    ]);
  });
});

describe('facts gathered once answer as the scans did', () => {
  it('a secret named in the docs: one word set answers as namesSecret on each text', () => {
    const texts = ['Set `PYPI_TOKEN` in the settings.', 'pypi_token_core-x and PYPI_TOKEN_PLUGIN.', 'MY_PYPI_TOKEN2'];
    const named = secretNamer(texts);
    for (const name of ['PYPI_TOKEN', 'pypi_token', 'PYPI_TOKEN_CORE', 'PYPI_TOKEN_CORE-X', 'PYPI_TOKEN_PLUGIN', 'TOKEN', 'MY_PYPI_TOKEN2', 'PYPI']) {
      expect([name, named(name)]).toEqual([name, texts.some((text) => namesSecret(text, name))]);
    }
  });

  it('the closest name: the first of the nearest, none past the bound', () => {
    expect(closest('publish-pkg12.yml', ['publish-pkg1.yml', 'publish-pkg13.yml', 'publish-pkg12.yaml'])).toBe('publish-pkg1.yml');
    expect(closest('release.yml', ['publish.yml', 'docs.yml'])).toBeUndefined();
    expect(closest('Publish.yml', ['ci.yml', 'publish.yml'])).toBe('publish.yml');
  });

  it('a suggestion names a few of many candidates, not all of them', () => {
    const candidates = Array.from({ length: 40 }, (_, index) => `workflow-number-${index}.yml`);
    expect(suggest('zzz.yml', candidates)).toBe(` (there are: ${candidates.slice(0, 10).join(', ')} and 30 more)`);
  });
});

describe('the bench inputs', () => {
  it('a generated monorepo exercises the per-package rules without reports of their own', async () => {
    const root = tempDir('prl-scale-');
    generateMonorepo(root, 7);
    const findings = await lint(root, { ruleOverrides: ['workflow/actionlint=off'], select: ['readme', 'secrets', 'pyproject/package-contents', 'pyproject/sibling-dependencies'] });
    expect(findings.map((finding) => `${finding.ruleId} ${finding.file}:${finding.line}`)).toEqual([]);
    expect(fs.readFileSync(path.join(root, 'packages/pkg6/pyproject.toml'), 'utf8')).toContain('"bench-pkg2>=1.0,<2"');
  });

  it('a large generated workflow is about 130 KB and parses', () => {
    const text = largeWorkflow();
    expect(text.length).toBeGreaterThan(128 * 1024);
    expect(text.length).toBeLessThan(140 * 1024);
    const file = new YamlFile('.github/workflows/ci.yml', text);
    expect(file.parseError).toBeUndefined();
    expect(Object.keys(file.get(['jobs']) as object).length).toBeGreaterThan(50);
  });

  it('actionlint alone reads only the workflow files, not a folder beside them', () => {
    const root = tempDir('prl-scale-');
    generateMonorepo(root, 1);
    addLargeWorkflows(root, 1, 4 * 1024);
    expect(fs.statSync(path.join(root, '.github/workflows/scripts')).isDirectory()).toBe(true);
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bench/actionlint-alone.mjs'), root], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+$/);
  });
});
