/**
 * `npx pypi-release-lint` from the packed tarball, as a user gets it: `npm pack`, the tarball's file
 * list and size, `npm install <tarball>` into an empty project (dependencies come from the npm
 * registry), then the installed bin on fixture copies; and `npx --package TARBALL` from an empty
 * directory, the README's way to run a release before the package is on the registry.
 *
 * The tarball is packed from the dist/ that `npm test` has just built (`--ignore-scripts`: running
 * `prepare` here would recompile dist/ under the feet of the tests that run the CLI in parallel).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, ensureBuilt, materialize, tempDir } from './helpers/fixtures.js';

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };

/**
 * The environment for a child npm: without what `npm test` exports about *this* package (its
 * prefix, lifecycle and package variables), so the child works in its own project.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_config_(local_prefix|prefix|global_prefix)|npm_package_|npm_lifecycle_|npm_command$|init_cwd$)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', npm_config_update_notifier: 'false' };
}

/** Runs a command without blocking the event loop (vitest's worker must stay responsive). */
function run(command: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** Paths the tarball may hold: the compiled code, the data it reads at run time, and the package's papers. */
const ALLOWED = /^(dist\/src\/|dist\/rules\/|schemas\/|data\/)|^(dist\/cli\.cjs|dist\/linter\.cjs|dist\/worker\.cjs|dist\/actionlint\.snapshot|package\.json|README\.md|LICENSE)$/;
/**
 * About 0.9 MB packed and 3.1 MB unpacked without the snapshot of actionlint's start-up
 * (dist/actionlint.snapshot: 5 MB, 0.84 MB packed), which holds Go's memory as the thread reads it
 * straight into place (src/actionlint/snapshot.ts says why not rebuilt from the module's data).
 */
const MAX_PACKED_BYTES = 2_000_000;
const MAX_UNPACKED_BYTES = 9_000_000;

let pack: PackResult;
let project: string;
/** The packed tarball's path. */
let installedTarball: string;

beforeAll(async () => {
  ensureBuilt();
  const destination = tempDir('prl-pack-');
  const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], REPO_ROOT);
  expect(packed.status, packed.stderr).toBe(0);
  pack = (JSON.parse(packed.stdout) as PackResult[])[0]!;

  project = tempDir('prl-npx-project-');
  fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'npx-smoke-test', version: '0.0.0', private: true }, null, 2)}\n`);
  installedTarball = path.join(destination, pack.filename);
  const installed = await run('npm', ['install', installedTarball, '--no-audit', '--no-fund', '--loglevel=error'], project, 120_000);
  expect(installed.status, installed.stderr).toBe(0);
}, 180_000);

describe('the packed tarball', () => {
  it('holds only what runs: the bundled bin, linter and worker, the actionlint snapshot, dist/src, dist/rules, schemas, data, package.json, README.md, LICENSE', () => {
    const paths = pack.files.map((file) => file.path);
    expect(paths.filter((file) => !ALLOWED.test(file))).toEqual([]);
    // TypeScript sources, tests and fixtures stay home; declarations (.d.ts) are the package's types.
    expect(paths.filter((file) => /\.ts$/.test(file) && !/\.d\.ts$/.test(file))).toEqual([]);
    expect(paths.filter((file) => /(^|\/)(test|tests|fixtures|node_modules)\//.test(file))).toEqual([]);
    for (const needed of ['package.json', 'README.md', 'LICENSE', packageJson.bin['pypi-release-lint']!, 'schemas/config.schema.json', 'dist/src/actionlint/worker.js', 'dist/linter.cjs', 'dist/worker.cjs', 'dist/actionlint.snapshot']) {
      expect(paths, needed).toContain(needed);
    }
    expect(paths.some((file) => file.startsWith('data/'))).toBe(true);
  });

  it('has the files package.json names as entry points (bin, main, exports)', () => {
    const paths = new Set(pack.files.map((file) => file.path));
    const manifest = packageJson as typeof packageJson & { main?: string; exports?: Record<string, string> };
    const entries = [...Object.values(manifest.bin), ...(manifest.main ? [manifest.main] : []), ...Object.values(manifest.exports ?? {})];
    expect(entries.map((entry) => entry.replace(/^\.\//, '')).filter((entry) => !paths.has(entry))).toEqual([]);
  });

  it(`is small: under ${MAX_PACKED_BYTES / 1_000_000} MB packed, ${MAX_UNPACKED_BYTES / 1_000_000} MB unpacked`, () => {
    expect(pack.size).toBeLessThan(MAX_PACKED_BYTES);
    expect(pack.unpackedSize).toBeLessThan(MAX_UNPACKED_BYTES);
  });
});

describe('npx pypi-release-lint, installed from the tarball', () => {
  it('is the installed package (its bin, its version)', async () => {
    const installedBin = path.join(project, 'node_modules', packageJson.name, packageJson.bin['pypi-release-lint']!);
    expect(fs.existsSync(installedBin)).toBe(true);
    const version = await run('npx', ['pypi-release-lint', '--version'], project);
    expect(version.stdout.trim()).toBe(packageJson.version);
    expect(version.status).toBe(0);
  });

  it('exits 0 on the good repository', async () => {
    const result = await run('npx', ['pypi-release-lint', materialize('open-ticket-ai')], project);
    expect(result.stderr.replace(/^npm warn .*\n/gm, '')).toBe('');
    expect(result.stdout).toMatch(/✔ no problems/);
    expect(result.status).toBe(0);
  });

  it('exits 1 on a broken variant and names the rule', async () => {
    // The unbounded backend requirement is a hygiene kind, off by default: selected here.
    const result = await run('npx', ['pypi-release-lint', materialize('missing-build-system'), '--format', 'json', '--extend-select', 'pyproject/build-system/backend-lower-bound'], project);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; line: number; message: string }[] };
    expect(report.findings.filter((finding) => finding.ruleId === 'pyproject/build-system').map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toEqual([
      ['pyproject/build-system', 'pyproject.toml', 1, 'open-ticket-ai: no [build-system] table; pip and build fall back to the legacy setuptools backend; --unsafe-fixes would declare setuptools.build_meta'],
      ['pyproject/build-system', 'src/open_ticket_ai_hf_local/pyproject.toml', 1, 'open-ticket-ai-hf-local: [build-system] has no "build-backend"; pip falls back to setuptools.build_meta:__legacy__'],
      ['pyproject/build-system', 'src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml', 2, 'open-ticket-ai-otobo-znuny-plugin: the backend requirement "setuptools" has no lower bound; an isolated build may install a setuptools too old for this pyproject'],
    ]);
  });

  it('runs the embedded actionlint from the installed files (its worker thread and wasm)', async () => {
    const result = await run('npx', ['pypi-release-lint', materialize('actionlint-errors'), '--format', 'json'], project);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; line: number; message: string }[] };
    const actionlint = report.findings.filter((finding) => finding.ruleId === 'workflow/actionlint');
    expect(actionlint.map((finding) => [finding.file, finding.line])).toEqual([['.github/workflows/ci.yml', 23]]);
    expect(actionlint[0]!.message).toMatch(/^\[expression\] property "python" is not defined/);
  });

  it('runs once from the tarball without installing it into a project (the README\'s npx --package)', async () => {
    const empty = tempDir('prl-npx-once-');
    const version = await run('npx', ['--yes', '--package', installedTarball, 'pypi-release-lint', '--version'], empty, 120_000);
    expect(version.stdout.trim()).toBe(packageJson.version);
    expect(version.status).toBe(0);
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  it('the README gives these install commands for this version', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`/releases/download/v${packageJson.version}/${pack.filename}`);
    expect(readme).toContain(`npx --yes --package ./${pack.filename} pypi-release-lint`);
    expect(readme).toContain(`github:pypi-release-lint/pypi-release-lint#v${packageJson.version}`);
  });

  it('rules and explain work from the installed files', async () => {
    const rules = await run('npx', ['pypi-release-lint', 'rules', '--format', 'json'], project);
    expect(rules.status).toBe(0);
    const ids = (JSON.parse(rules.stdout) as { id: string }[]).map((rule) => rule.id);
    expect(ids).toContain('pyproject/build-system');
    const explain = await run('npx', ['pypi-release-lint', 'explain', 'pyproject/build-system'], project);
    expect(explain.status).toBe(0);
    expect(explain.stdout).toMatch(/^# pyproject\/build-system\n/);
  });
});
