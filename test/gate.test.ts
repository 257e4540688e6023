/**
 * `pypi-release-lint gate` with real builds (no mocks): Debian's /usr/bin/python3 with python3-build,
 * twine, python3-setuptools (and python3-hatchling) installed, building offline with --no-isolation.
 * Every fixture is copied and committed to a fresh git repository first, so "the tree is left exactly
 * as it was" is checked with `git status --porcelain --ignored` (the fixture's .gitignore hides
 * dist/, build/ and *.egg-info, which are exactly what a build in place would leave) and a byte
 * snapshot.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateRules } from '../rules/gate/index.js';
import type { ProgressReporter } from '../src/engine/context.js';
import type { GateOptions } from '../src/gate/options.js';
import type { Finding } from '../src/types.js';
import { CLI, REPO_ROOT, ensureBuilt, materialize, snapshotTree, tempDir, runWith } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const PYTHON = '/usr/bin/python3';
/** The built CLI (PRL_GATE_CLI may point at a build elsewhere, e.g. a tsc --outDir under node_modules/.cache). */
const GATE_CLI = process.env.PRL_GATE_CLI ?? CLI;

beforeAll(() => {
  if (GATE_CLI === CLI) ensureBuilt();
}, 120_000);

function runCli(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [GATE_CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', ...options.env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A fixture (or variant) copied into a temp dir and committed to a new git repository. */
function prepare(name: string): string {
  const root = materialize(name);
  const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.email=gate@test', '-c', 'user.name=gate', ...args], { cwd: root, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'fixture');
  return root;
}

function gitStatus(root: string): string {
  return execFileSync('git', ['status', '--porcelain', '--ignored', '--untracked-files=all'], { cwd: root, encoding: 'utf8' });
}

/** A progress sink that records what the gate reported, to see which packages were built. */
function recorder(): ProgressReporter & { logs: string[] } {
  const logs: string[] = [];
  return { logs, update() {}, log: (line) => logs.push(line), done() {} };
}

async function gate(root: string, options: Partial<GateOptions> = {}): Promise<{ findings: Finding[]; gateFindings: Finding[]; built: string[] }> {
  const progress = recorder();
  // Only the gate rules: the lint rules have their own tests, and the builds are what this file is about.
  const { findings } = await runWith(root, gateRules, {}, { gate: { python: PYTHON, isolation: false, jobs: 2, timeoutSeconds: 120, ...options }, progress });
  return { findings, gateFindings: findings.filter((finding) => finding.ruleId.startsWith('gate/')), built: [...new Set(progress.logs.map((line) => /^built (.+?): /.exec(line)?.[1]).filter((label): label is string => label !== undefined))].sort() };
}

function gateTemps(): Set<string> {
  return new Set(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('prl-gate-')));
}

interface JsonReport {
  findings: Finding[];
}

describe('gate on the seed fixture', () => {
  it('builds all three packages, passes, and leaves the tree exactly as it was (CLI)', () => {
    const root = prepare('open-ticket-ai');
    const before = snapshotTree(root);
    const tempsBefore = gateTemps();
    const result = runCli(['gate', root, '--python', PYTHON, '--no-isolation', '--jobs', '2', '--format', 'json']);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.filter((finding) => finding.ruleId.startsWith('gate/'))).toEqual([]);
    expect(result.status, result.stdout).toBe(0);
    // json output: no progress line on stderr, whatever the terminal.
    expect(result.stderr).toBe('');
    expect(gitStatus(root)).toBe('');
    expect(snapshotTree(root)).toEqual(before);
    // Every temporary build directory is gone.
    expect([...gateTemps()].filter((name) => !tempsBefore.has(name))).toEqual([]);
  });

  it('builds each published package exactly once, all gate rules sharing the builds', async () => {
    const root = prepare('open-ticket-ai');
    const { gateFindings, built } = await gate(root);
    expect(gateFindings).toEqual([]);
    expect(built).toEqual(['open-ticket-ai', 'open-ticket-ai-hf-local', 'open-ticket-ai-otobo-znuny-plugin']);
    expect(gitStatus(root)).toBe('');
  });
});

describe('gate findings on broken fixtures', () => {
  it('build-fails: gate/build at the stale package name, with the output tail; the tree stays clean', async () => {
    const root = prepare('build-fails');
    const { gateFindings, built } = await gate(root);
    expect(gateFindings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['gate/build', 'src/open_ticket_ai_hf_local/pyproject.toml', 42]]);
    const [finding] = gateFindings;
    expect(finding!.message).toMatch(/^open-ticket-ai-hf-local: python -m build failed \(exit 1\): error: package directory 'open_ticket_ai_huggingface_local' does not exist/);
    expect(finding!.message).toContain('output tail of `/usr/bin/python3 -m build --sdist --wheel --outdir DIST --no-isolation --skip-dependency-check src/open_ticket_ai_hf_local`');
    expect(finding!.message).toContain('ERROR Backend subprocess exited when trying to invoke build_sdist');
    expect(finding!.message).not.toMatch(/prl-gate-|\/tmp\//);
    // The other two still build, each once (the gate rules share one set of builds).
    expect(built).toEqual(['open-ticket-ai', 'open-ticket-ai-otobo-znuny-plugin']);
    // A failed setuptools build leaves an .egg-info behind: in the temporary copy, not here.
    expect(gitStatus(root)).toBe('');
  });

  it('broken-rst: gate/twine-check at the readme line twine names, for the wheel and the sdist', async () => {
    const root = prepare('broken-rst');
    // Only the broken package (through its tag) to keep the file fast; the others are built above.
    const { gateFindings, built } = await gate(root, { tag: 'hf-local-v1.0.0' });
    expect(built).toEqual(['open-ticket-ai-hf-local']);
    expect(gateFindings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['gate/twine-check', 'src/open_ticket_ai_hf_local/README.rst', 8]]);
    expect(gateFindings[0]!.message).toBe(
      'open-ticket-ai-hf-local: twine check --strict FAILED on open_ticket_ai_hf_local-1.0.0-py3-none-any.whl and open-ticket-ai-hf-local-1.0.0.tar.gz: ' +
        '`long_description` has syntax errors in markup and would not be rendered on PyPI. line 8: Warning: Title underline too short. ' +
        '(readme = "README.rst" is at src/open_ticket_ai_hf_local/pyproject.toml:9)',
    );
  });

  it('core-swallows-plugins: gate/artifact names the plugin files in the core wheel', async () => {
    const root = prepare('core-swallows-plugins');
    // The plugins' files are known from their directories: the core alone is enough to build.
    const { gateFindings, built } = await gate(root, { tag: 'open-ticket-ai-v1.4.0' });
    expect(built).toEqual(['open-ticket-ai']);
    expect(gateFindings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['gate/artifact', 'pyproject.toml', 43]]);
    const message = gateFindings[0]!.message;
    expect(message).toMatch(/^open-ticket-ai: open_ticket_ai-1\.4\.0-py3-none-any\.whl contains files of other packages of this repository: /);
    for (const file of [
      'open_ticket_ai_hf_local/__init__.py',
      'open_ticket_ai_hf_local/hf_local_classifier.py',
      'open_ticket_ai_otobo_znuny_plugin/__init__.py',
      'open_ticket_ai_otobo_znuny_plugin/otobo_znuny_ticket_system.py',
    ]) {
      expect(message).toContain(file);
    }
    expect(message).toContain('(package open-ticket-ai-hf-local in src/open_ticket_ai_hf_local)');
    expect(message).toContain('(package open-ticket-ai-otobo-znuny-plugin in src/open_ticket_ai_otobo_znuny_plugin)');
  });

  it('a setuptools config that selects no package: gate/artifact, the wheel has no importable code', async () => {
    const root = prepare('open-ticket-ai');
    const pyproject = path.join(root, 'src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml');
    fs.writeFileSync(pyproject, fs.readFileSync(pyproject, 'utf8').replace('packages = ["open_ticket_ai_otobo_znuny_plugin"]', 'packages = []'));
    const { gateFindings } = await gate(root, { tag: 'otobo-znuny-v1.1.0' });
    expect(gateFindings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['gate/artifact', 'src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml', 43]]);
    expect(gateFindings[0]!.message).toMatch(/^open-ticket-ai-otobo-znuny-plugin: open_ticket_ai_otobo_znuny_plugin-1\.1\.0-py3-none-any\.whl has no importable code .*it holds only its \.dist-info/);
  });
});

describe('gate on a hatchling package', () => {
  it('normalised names and versions, extras and markers in Requires-Dist: no finding', async () => {
    const root = writeRepo({
      'pyproject.toml': [
        '[build-system]',
        'requires = ["hatchling>=1.0"]',
        'build-backend = "hatchling.build"',
        '',
        '[project]',
        'name = "Demo.Pkg"',
        'version = "1.0.0-RC1"',
        'description = "A demo package."',
        'readme = "README.md"',
        'requires-python = ">=3.9"',
        'license = { file = "LICENSE" }',
        'dependencies = ["requests >= 2.0, < 3", "tomli>=1; python_version < \'3.11\'", "Colorama[Win32]"]',
        '',
        '[project.optional-dependencies]',
        'Dev_Tools = ["pytest>=8", "coverage[toml]>=7; sys_platform != \'win32\'"]',
        '',
        '[tool.hatch.build.targets.wheel]',
        'packages = ["src/demo_pkg"]',
        '',
      ].join('\n'),
      'README.md': '# Demo\n\nA demo package.\n',
      'LICENSE': 'MIT License\n',
      'src/demo_pkg/__init__.py': '__version__ = "1.0.0rc1"\n',
    });
    const { gateFindings, built } = await gate(root);
    expect(gateFindings).toEqual([]);
    expect(built).toEqual(['Demo.Pkg']);
  });
});

describe('gate --tag', () => {
  it('builds only the tag package and passes when the versions agree (refs/tags/ form)', async () => {
    const root = prepare('open-ticket-ai');
    const { gateFindings, built } = await gate(root, { tag: 'refs/tags/hf-local-v1.0.0' });
    expect(gateFindings).toEqual([]);
    expect(built).toEqual(['open-ticket-ai-hf-local']);
  });

  it('tag-version-mismatch: otobo-znuny-v1.1.0 resolves to the plugin, which is 1.10.0', async () => {
    const root = prepare('tag-version-mismatch');
    const { gateFindings, built } = await gate(root, { tag: 'otobo-znuny-v1.1.0' });
    expect(built).toEqual(['open-ticket-ai-otobo-znuny-plugin']);
    expect(gateFindings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['gate/tag', 'src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml', 7]]);
    expect(gateFindings[0]!.message).toBe(
      "tag otobo-znuny-v1.1.0 is version 1.1.0 (after 'otobo-znuny-v', the prefix of 'otobo-znuny-v[0-9].[0-9].[0-9]' in publish-otobo-znuny.yml), " +
        'but open-ticket-ai-otobo-znuny-plugin is version 1.10.0 (the built wheel is); the release would publish 1.10.0 under tag otobo-znuny-v1.1.0',
    );
  });

  it('tag-version-mismatch: otobo-znuny-v1.10.0 matches no pattern, reported at the pattern that starts like it; nothing is built', async () => {
    const root = prepare('tag-version-mismatch');
    const { gateFindings, built } = await gate(root, { tag: 'otobo-znuny-v1.10.0' });
    expect(built).toEqual([]);
    expect(gateFindings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['gate/tag', '.github/workflows/publish-otobo-znuny.yml', 6]]);
    expect(gateFindings[0]!.message).toMatch(/^tag otobo-znuny-v1\.10\.0 is not matched by 'otobo-znuny-v\[0-9\]\.\[0-9\]\.\[0-9\]' in publish-otobo-znuny\.yml/);
  });

  it('--tag hf-local-v9.9.9 on the seed: gate/tag, exit 1 (CLI)', () => {
    const root = prepare('open-ticket-ai');
    const result = runCli(['gate', root, '--python', PYTHON, '--no-isolation', '--tag', 'hf-local-v9.9.9', '--format', 'json']);
    expect(result.status).toBe(1);
    const findings = (JSON.parse(result.stdout) as JsonReport).findings.filter((finding) => finding.ruleId.startsWith('gate/'));
    expect(findings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['gate/tag', 'src/open_ticket_ai_hf_local/pyproject.toml', 7]]);
    expect(findings[0]!.message).toContain("tag hf-local-v9.9.9 is version 9.9.9 (after 'hf-local-v', the prefix of 'hf-local-v*' in publish-hf-local.yml), but open-ticket-ai-hf-local is version 1.0.0");
  });

  it('a tag no workflow knows, and one that two workflows publish, name what they match', async () => {
    const root = prepare('open-ticket-ai');
    const none = await gate(root, { tag: 'docs-v1.0.0' });
    expect(none.gateFindings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['gate/tag', 'pyproject.toml', 1]]);
    expect(none.gateFindings[0]!.message).toContain("tag docs-v1.0.0 triggers no publish workflow, so it publishes nothing (publish workflows' tag patterns: publish-hf-local.yml: hf-local-v*");
    // A second workflow that also publishes on v*: the core's 'v*' and this one both match v1.4.0.
    const extra = path.join(root, '.github/workflows/publish-hf-local-too.yml');
    fs.writeFileSync(extra, fs.readFileSync(path.join(root, '.github/workflows/publish-hf-local.yml'), 'utf8').replace('"hf-local-v*"', '"v*"'));
    const several = await gate(root, { tag: 'v1.4.0' });
    expect(several.built).toEqual([]);
    const tagFindings = several.gateFindings.filter((finding) => finding.ruleId === 'gate/tag');
    expect(tagFindings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['gate/tag', '.github/workflows/publish-hf-local-too.yml', 6]]);
    expect(tagFindings[0]!.message).toMatch(/^tag v1\.4\.0 resolves to 2 packages: open-ticket-ai-hf-local \(src\/open_ticket_ai_hf_local\), open-ticket-ai \(\.\)|^tag v1\.4\.0 resolves to 2 packages: open-ticket-ai \(\.\), open-ticket-ai-hf-local/);
  });
});

describe('gate tooling', () => {
  it('--python /nonexistent: gate/tooling says how to install, exit 1 (CLI)', () => {
    const root = prepare('open-ticket-ai');
    const result = runCli(['gate', root, '--python', '/nonexistent', '--format', 'json']);
    expect(result.status).toBe(1);
    const findings = (JSON.parse(result.stdout) as JsonReport).findings.filter((finding) => finding.ruleId.startsWith('gate/'));
    expect(findings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['gate/tooling', 'pyproject.toml', 1]]);
    expect(findings[0]!.message).toContain('`/nonexistent` was not found');
    expect(findings[0]!.message).toContain('pip install build twine');
    expect(findings[0]!.message).toContain('python3-build twine');
  });

  it('a Python without build and twine: one gate/tooling finding for each, nothing built', async () => {
    // Debian's python3 with -S does not see dist-packages, where python3-build and twine live.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'prl-python-'));
    const python = path.join(bin, 'python3');
    fs.writeFileSync(python, `#!/bin/sh\nexec ${PYTHON} -S "$@"\n`, { mode: 0o755 });
    const root = prepare('open-ticket-ai');
    const { gateFindings, built } = await gate(root, { python }).finally(() => fs.rmSync(bin, { recursive: true, force: true }));
    expect(built).toEqual([]);
    expect(gateFindings.map((finding) => finding.ruleId)).toEqual(['gate/tooling', 'gate/tooling']);
    expect(gateFindings.map((finding) => finding.message.split(':')[0])).toEqual(['build', 'twine']);
    for (const finding of gateFindings) expect(finding.message).toMatch(/No module named (build|twine).*pip install build twine.*python3-build twine/);
  });
});

describe('gate --timeout', () => {
  let server: net.Server;
  let port = 0;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    // A package index that accepts connections and never answers: pip waits on it.
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('an isolated build that cannot reach an index is stopped, with its process group, and says why (CLI)', async () => {
    const root = prepare('open-ticket-ai');
    const marker = `prl-gate-timeout-${process.pid}-${Date.now()}`;
    // The temporary directory of this run alone: what the killed build leaves there is a leak.
    const runTmp = tempDir('prl-gate-tmp-');
    const started = Date.now();
    const result = runCli(['gate', root, '--python', PYTHON, '--tag', 'hf-local-v1.0.0', '--timeout', '2', '--format', 'json'], {
      env: { TMPDIR: runTmp, PRL_GATE_TEST_MARKER: marker, PIP_INDEX_URL: `http://127.0.0.1:${port}/simple/`, PIP_FIND_LINKS: '', PIP_NO_INDEX: '', PIP_DEFAULT_TIMEOUT: '60', PIP_RETRIES: '0' },
    });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.status).toBe(1);
    const findings = (JSON.parse(result.stdout) as JsonReport & { findings: (Finding & { kind?: string })[] }).findings.filter((finding) => finding.ruleId.startsWith('gate/'));
    expect(findings.map((finding) => [finding.ruleId, finding.file, finding.line, finding.kind])).toEqual([['gate/build', 'src/open_ticket_ai_hf_local/pyproject.toml', 1, 'timeout']]);
    expect(findings[0]!.message).toMatch(/^open-ticket-ai-hf-local: python -m build timed out after 2 s and was stopped \(its whole process group killed\)\. An isolated build first installs the build requirements/);
    expect(findings[0]!.message).toContain(
      'An isolated build first installs the build requirements (build-system.requires: setuptools>=64) from a package index: if this machine cannot reach one ' +
        `(offline, firewall, proxy), install them into that Python (\`${PYTHON} -m pip install 'setuptools>=64'\`) and pass --no-isolation, or raise --timeout.`,
    );
    // Nothing the build started is still running: pip, the backend, the venv's python. (SIGKILL
    // was sent before the CLI exited; give the kernel a moment to finish them.)
    const deadline = Date.now() + 3000;
    while (processesWithMarker(marker).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(processesWithMarker(marker)).toEqual([]);
    expect(gitStatus(root)).toBe('');
    // Nor is anything left behind: the isolated build's virtualenv (build-env-*) went with the gate's own temporary directory.
    expect(fs.readdirSync(runTmp)).toEqual([]);
  });
});

describe('gate: no index reachable', () => {
  it('an isolated build whose pip finds no index fails fast with the timeout\'s advice, not a traceback (CLI)', () => {
    const root = prepare('open-ticket-ai');
    const started = Date.now();
    // A port nothing listens on: pip's connections are refused at once, and it gives up.
    const result = runCli(['gate', root, '--python', PYTHON, '--tag', 'hf-local-v1.0.0', '--format', 'json'], {
      env: { PIP_CONFIG_FILE: '/dev/null', PIP_INDEX_URL: 'http://127.0.0.1:9/simple/', PIP_FIND_LINKS: '', PIP_EXTRA_INDEX_URL: '', PIP_NO_INDEX: '', PIP_RETRIES: '0' },
    });
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(result.status).toBe(1);
    const findings = (JSON.parse(result.stdout) as JsonReport & { findings: (Finding & { kind?: string })[] }).findings.filter((finding) => finding.ruleId.startsWith('gate/'));
    expect(findings.map((finding) => [finding.ruleId, finding.file, finding.line, finding.kind])).toEqual([['gate/build', 'src/open_ticket_ai_hf_local/pyproject.toml', 2, 'failed']]);
    expect(findings[0]!.message).toBe(
      'open-ticket-ai-hf-local: the isolated build could not install its build requirements, so the backend never ran ' +
        '(pip: ERROR: Could not find a version that satisfies the requirement setuptools>=64 (from versions: none)). ' +
        'An isolated build first installs the build requirements (build-system.requires: setuptools>=64) from a package index: if this machine cannot reach one ' +
        `(offline, firewall, proxy), install them into that Python (\`${PYTHON} -m pip install 'setuptools>=64'\`) and pass --no-isolation.`,
    );
    expect(result.stdout).not.toContain('Traceback');
  });
});

/** A one-package repo whose in-tree backend writes Metadata-Version 2.4, as hatchling >= 1.26 does for a license expression. */
function metadata24Repo(): string {
  const metadata = 'Metadata-Version: 2.4\nName: meta-demo\nVersion: 1.0.0\nSummary: A demo.\nLicense-Expression: MIT\n';
  return writeRepo({
    'pyproject.toml':
      '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n\n[project]\nname = "meta-demo"\nversion = "1.0.0"\ndescription = "A demo."\nlicense = "MIT"\n',
    'backend.py': `# A PEP 517 backend in the repository: one wheel and one sdist with core metadata 2.4.
import io, os, tarfile, zipfile

METADATA = ${JSON.stringify(metadata)}


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "meta_demo-1.0.0-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as wheel:
        wheel.writestr("meta_demo/__init__.py", "")
        wheel.writestr("meta_demo-1.0.0.dist-info/METADATA", METADATA)
        wheel.writestr("meta_demo-1.0.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: backend\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
        wheel.writestr("meta_demo-1.0.0.dist-info/RECORD", "")
    return name


def build_sdist(sdist_directory, config_settings=None):
    name = "meta_demo-1.0.0.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as sdist:
        for member in ("pyproject.toml", "backend.py"):
            sdist.add(member, "meta_demo-1.0.0/" + member)
        data = METADATA.encode()
        info = tarfile.TarInfo("meta_demo-1.0.0/PKG-INFO")
        info.size = len(data)
        sdist.addfile(info, io.BytesIO(data))
    return name
`,
  });
}

describe('gate: twine older than the metadata', () => {
  it("twine 4.0.2 on Metadata 2.4 is gate/tooling with the twine to use, not a twine-check error of the package", async () => {
    const root = metadata24Repo();
    const { gateFindings, built } = await gate(root);
    expect(built).toEqual(['meta-demo']);
    expect(gateFindings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['gate/tooling', 'pyproject.toml', 1]]);
    expect(gateFindings[0]!.message).toBe(
      'twine 4.0.2 cannot read Metadata 2.4: use twine >= 6.1 (the builds of meta-demo write it, and this twine fails them as if their metadata lacked Name and Version); ' +
        `upgrade it: \`${PYTHON} -m pip install --upgrade "twine>=6.1"\``,
    );
  });
});

describe('gate outside a terminal', () => {
  it('prints one line per artifact built and checked: name, size, time, twine (CLI, stylish)', () => {
    const root = prepare('open-ticket-ai');
    const result = runCli(['gate', root, '--python', PYTHON, '--no-isolation', '--tag', 'hf-local-v1.0.0', '--rule', 'workflow/actionlint=off']);
    const lines = result.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^built open-ticket-ai-hf-local: open[-_]ticket[-_]ai[-_]hf[-_]local-1\.0\.0(?:-py3-none-any\.whl|\.tar\.gz), \d+\.\d kB, \d+\.\d s, twine check --strict passed$/);
    // json (read by programs) and --quiet print none
    expect(runCli(['gate', root, '--python', PYTHON, '--no-isolation', '--tag', 'hf-local-v1.0.0', '--rule', 'workflow/actionlint=off', '--quiet']).stderr).toBe('');
  });
});

/** Live (not zombie) processes whose environment carries `marker` (Linux /proc). */
function processesWithMarker(marker: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (/\) Z /.test(fs.readFileSync(`/proc/${entry}/stat`, 'utf8'))) continue;
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) found.push(fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1').replace(/\0/g, ' '));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}
