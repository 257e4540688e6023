/**
 * The gate's pure parts, without builds: the tar reader, core metadata, twine's report,
 * Requires-Dist comparison, versions in tags, and the process runner's group kill.
 */
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CoreMetadata, readSdist, readWheel } from '../src/gate/artifacts.js';
import { runPool, runProcess } from '../src/gate/process.js';
import { canonicalRequirement, compareRequirements, declaredRequirements } from '../src/gate/requirements.js';
import { versionFromTag } from '../src/gate/tag.js';
import { readTar, readTarGz } from '../src/gate/tar.js';
import { parseTwineCheck } from '../src/gate/twine.js';
import { formatBytes, unreachableIndex } from '../src/gate/session.js';
import { twineCannotRead } from '../src/gate/tooling.js';
import { defaultConfig } from '../src/config/config.js';
import { copyPackageSource, needsRepository } from '../src/gate/copy.js';
import { Project } from '../src/project/project.js';
import { importRoots } from '../src/gate/checks.js';
import { BASE_FIXTURE, snapshotTree, tempDir } from './helpers/fixtures.js';
import type { TomlPackage } from '../src/packages/package.js';
import { writeRepo } from './helpers/repo.js';

const PYTHON = '/usr/bin/python3';

describe('the tar reader', () => {
  it('reads what Python tarfile writes: pax long names, ustar prefixes, GNU long names', () => {
    const directory = tempDir('prl-tar-');
    const splittable = `${'deep/'.repeat(30)}file.txt`; // fits ustar's 155-byte prefix + 100-byte name
    const tooLong = `${'deeper/'.repeat(45)}file.txt`; // only a pax or GNU long-name header holds it
    const script = `
import io, tarfile, sys
for fmt, out in ((tarfile.PAX_FORMAT, 'pax.tar.gz'), (tarfile.GNU_FORMAT, 'gnu.tar.gz'), (tarfile.USTAR_FORMAT, 'ustar.tar.gz')):
    with tarfile.open(sys.argv[1] + '/' + out, 'w:gz', format=fmt) as tar:
        for name, data in (('pkg-1.0/PKG-INFO', b'Metadata-Version: 2.1\\nName: pkg\\nVersion: 1.0\\n\\nbody'), ('pkg-1.0/' + sys.argv[2], b'x' * 1000), ('pkg-1.0/' + sys.argv[3], b'y')):
            if fmt == tarfile.USTAR_FORMAT and len(name) > 255:
                continue
            info = tarfile.TarInfo(name); info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
`;
    execFileSync(PYTHON, ['-c', script, directory, splittable, tooLong]);
    for (const file of ['pax.tar.gz', 'gnu.tar.gz', 'ustar.tar.gz']) {
      const entries = readTarGz(fs.readFileSync(path.join(directory, file)));
      const expected = ['pkg-1.0/PKG-INFO', `pkg-1.0/${splittable}`, ...(file === 'ustar.tar.gz' ? [] : [`pkg-1.0/${tooLong}`])];
      expect(entries.map((entry) => entry.name), file).toEqual(expected);
      expect(entries[1]!.size).toBe(1000);
    }
    const sdist = readSdist('pkg-1.0.tar.gz', fs.readFileSync(path.join(directory, 'pax.tar.gz')));
    expect(sdist.problem).toBeUndefined();
    expect(sdist.root).toBe('pkg-1.0');
    expect(sdist.files).toContain('PKG-INFO');
    expect(sdist.metadata?.get('name')).toBe('pkg');
  });

  it('rejects what is not a tar', () => {
    expect(() => readTar(new Uint8Array(1024).fill(7))).toThrow(/not a tar archive/);
  });

  it('rejects a header whose size is negative or not a number, and an archive that ends inside an entry', () => {
    expect(() => readTar(Buffer.concat([tarHeader('pkg/PKG-INFO', '-0000001000\0'), Buffer.alloc(1024)]))).toThrow(/invalid size in the tar header at byte 0/);
    expect(() => readTar(Buffer.concat([tarHeader('pkg/PKG-INFO', '0000000012x\0'), Buffer.alloc(1024)]))).toThrow(/invalid size/);
    expect(() => readTar(Buffer.concat([tarHeader('pkg/big', '00000010000\0'), Buffer.alloc(512)]))).toThrow(/truncated/);
  });

  it('stops at its limits: inflated bytes per archive, bytes per entry and of metadata, entries', () => {
    const limits = { inflatedBytes: 4096, entryBytes: 2048, keptBytes: 600, entries: 3 };
    const entry = (name: string, size: number): Buffer => Buffer.concat([tarHeader(name, `${size.toString(8).padStart(11, '0')}\0`), Buffer.alloc(Math.ceil(size / 512) * 512)]);
    expect(() => readTarGz(gzipSync(Buffer.concat([entry('p/a', 1024), entry('p/b', 1024), entry('p/c', 1024), entry('p/d', 1024)])), () => false, { ...limits, entries: 10 })).toThrow(/inflates to more than/);
    expect(() => readTarGz(gzipSync(entry('p/a', 3000)), () => false, limits)).toThrow(/has an entry \(p\/a\) of 0 MB, over the 0 MB limit for one file/);
    expect(() => readTarGz(gzipSync(entry('p/PKG-INFO', 1000)), (name) => name.endsWith('PKG-INFO'), limits)).toThrow(/limit for metadata/);
    expect(() => readTarGz(gzipSync(Buffer.concat([entry('p/a', 0), entry('p/b', 0), entry('p/c', 0), entry('p/d', 0)])), () => false, limits)).toThrow(/more than 3 entries/);
    // within the limits, only the entries asked for keep their bytes
    const entries = readTarGz(gzipSync(Buffer.concat([entry('p/PKG-INFO', 100), entry('p/a', 200)])), (name) => name.endsWith('PKG-INFO'), limits);
    expect(entries.map((item) => [item.name, item.size, item.data.length])).toEqual([['p/PKG-INFO', 100, 100], ['p/a', 200, 0]]);
  });
});

describe('the zip reader', () => {
  it('inflates only the METADATA, and at most the limit for metadata', () => {
    const bomb = zipSync({ 'x-1.0.dist-info/METADATA': new Uint8Array(20 * 1024 * 1024), 'x/__init__.py': new Uint8Array() });
    expect(() => readWheel('x-1.0-py3-none-any.whl', bomb)).toThrow(/METADATA that inflates past the 16 MB limit for metadata/);
  });

  it('rejects a central directory that claims more than it holds or points outside the file', () => {
    const good = Buffer.from(zipSync({ 'x/__init__.py': new Uint8Array([1]) }));
    const claimsMore = Buffer.from(good);
    claimsMore.writeUInt16LE(60_000, claimsMore.length - 12); // entries in the end record
    expect(() => readWheel('x.whl', claimsMore)).toThrow(/claims 60000 entries that its central directory cannot hold/);
    const outside = Buffer.from(good);
    outside.writeUInt32LE(0x7fffffff, outside.length - 6); // offset of the central directory
    expect(() => readWheel('x.whl', outside)).toThrow(/central directory outside the file/);
    expect(() => readWheel('x.whl', Buffer.alloc(100))).toThrow(/not a zip archive/);
  });
});

describe('the source copy', () => {
  it('copies the package directory without VCS data, caches, egg-info and build outputs', () => {
    const root = writeRepo({
      'pyproject.toml': '[project]\nname = "core"\nversion = "1.0"\n',
      'src/core/__init__.py': '',
      'src/core/build/__init__.py': '# a subpackage named build: kept\n',
      'src/core.egg-info/PKG-INFO': '',
      'build/lib/core/__init__.py': '',
      'dist/core-0.9.tar.gz': '',
      'node_modules/x/index.js': '',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'src/core/__pycache__/x.pyc': '',
      'plugins/p/pyproject.toml': '[project]\nname = "p"\nversion = "1.0"\n',
      'plugins/p/p/__init__.py': '',
      'plugins/p/dist/p-0.1.tar.gz': '',
    });
    const project = Project.load(root, defaultConfig());
    const core = project.packageAt('.') as TomlPackage;
    const destination = path.join(tempDir('prl-copy-'), 'src');
    expect(copyPackageSource(root, core, destination)).toBe(destination);
    expect([...snapshotTree(destination).keys()].sort()).toEqual(['plugins/p/p/__init__.py', 'plugins/p/pyproject.toml', 'pyproject.toml', 'src/core/__init__.py', 'src/core/build/__init__.py']);
    const plugin = project.packageAt('plugins/p') as TomlPackage;
    const pluginCopy = path.join(tempDir('prl-copy-'), 'src');
    copyPackageSource(root, plugin, pluginCopy);
    expect([...snapshotTree(pluginCopy).keys()].sort()).toEqual(['p/__init__.py', 'pyproject.toml']);
  });

  it('copies the whole repository with .git for a version from git tags', () => {
    const root = writeRepo({
      'pkgs/a/pyproject.toml': '[build-system]\nrequires = ["setuptools>=64", "setuptools_scm>=8"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "a"\ndynamic = ["version"]\n',
      'pkgs/a/a/__init__.py': '',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'README.md': '# repo\n',
    });
    const project = Project.load(root, defaultConfig());
    const pkg = project.packageAt('pkgs/a') as TomlPackage;
    expect(needsRepository(pkg)).toBe(true);
    const destination = path.join(tempDir('prl-copy-'), 'src');
    expect(copyPackageSource(root, pkg, destination)).toBe(path.join(destination, 'pkgs', 'a'));
    expect([...snapshotTree(destination).keys()].sort()).toEqual(['.git/HEAD', 'README.md', 'pkgs/a/a/__init__.py', 'pkgs/a/pyproject.toml']);
  });

  it('builds what a --fix pass linted: overlay texts replace their copies, never add a file or write through a link', () => {
    const outside = tempDir('prl-outside-');
    fs.writeFileSync(path.join(outside, 'target.txt'), 'untouched\n');
    const root = writeRepo({ 'plugins/p/pyproject.toml': '[project]\nname = "p"\nversion = "1.0"\n', 'plugins/p/p/__init__.py': '', 'README.md': '# repo\n' });
    fs.symlinkSync(path.join(outside, 'target.txt'), path.join(root, 'plugins/p/linked.txt'));
    const pkg = Project.load(root, defaultConfig()).packageAt('plugins/p') as TomlPackage;
    const overlay = new Map([
      ['plugins/p/pyproject.toml', '[project]\nname = "p"\nversion = "1.1"\n'],
      ['plugins/p/new.txt', 'not in the tree\n'],
      ['plugins/p/linked.txt', 'through the link\n'],
      ['README.md', 'outside the package\n'],
    ]);
    const destination = path.join(tempDir('prl-copy-'), 'src');
    copyPackageSource(root, pkg, destination, overlay);
    expect(fs.readFileSync(path.join(destination, 'pyproject.toml'), 'utf8')).toBe('[project]\nname = "p"\nversion = "1.1"\n');
    expect(fs.existsSync(path.join(destination, 'new.txt'))).toBe(false);
    expect(fs.readFileSync(path.join(outside, 'target.txt'), 'utf8')).toBe('untouched\n');
    expect(fs.readFileSync(path.join(root, 'plugins/p/pyproject.toml'), 'utf8')).toBe('[project]\nname = "p"\nversion = "1.0"\n');
  });
});

describe('import roots: which top-level import paths a package of the repo owns', () => {
  it('the seed: the core owns open_ticket_ai (src layout), each plugin its own directory', () => {
    const project = Project.load(BASE_FIXTURE, defaultConfig());
    const roots = Object.fromEntries(project.packages.map((pkg) => [pkg.dir, importRoots(project, pkg)]));
    expect(roots).toEqual({
      '.': ['open_ticket_ai'],
      'src/open_ticket_ai_hf_local': ['open_ticket_ai_hf_local'],
      'src/open_ticket_ai_otobo_znuny_plugin': ['open_ticket_ai_otobo_znuny_plugin'],
    });
  });

  it('namespace packages are owned below the namespace', () => {
    const root = writeRepo({
      'core/pyproject.toml': '[project]\nname = "ns-core"\nversion = "1"\n',
      'core/src/ns/core/__init__.py': '',
      'plugin/pyproject.toml': '[project]\nname = "ns-plugin"\nversion = "1"\n',
      'plugin/ns/plugin/__init__.py': '',
      'plugin/tests/__init__.py': '',
    });
    const project = Project.load(root, defaultConfig());
    expect(importRoots(project, project.packageAt('core')!)).toEqual(['ns/core']);
    expect(importRoots(project, project.packageAt('plugin')!)).toEqual(['ns/plugin']);
  });
});

describe('core metadata and wheels', () => {
  it('parses headers, repeated fields and folded lines, and stops at the body', () => {
    const metadata = CoreMetadata.parse('Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nRequires-Dist: a (>=1)\nRequires-Dist: b; extra == "x"\nLicense: line one\n        line two\n\nName: not-a-header\n');
    expect(metadata.get('NAME')).toBe('demo');
    expect(metadata.all('requires-dist')).toEqual(['a (>=1)', 'b; extra == "x"']);
    expect(metadata.get('license')).toBe('line one\nline two');
  });

  it('finds the METADATA of a wheel and lists its files', () => {
    const bytes = zipSync({ 'demo/__init__.py': new Uint8Array(), 'demo-1.0.dist-info/METADATA': new TextEncoder().encode('Name: demo\nVersion: 1.0\n') });
    const wheel = readWheel('demo-1.0-py3-none-any.whl', bytes);
    expect(wheel.problem).toBeUndefined();
    expect(wheel.files).toEqual(['demo-1.0.dist-info/METADATA', 'demo/__init__.py']);
    expect(wheel.metadata?.get('version')).toBe('1.0');
    expect(readWheel('x.whl', zipSync({ 'x/__init__.py': new Uint8Array() })).problem).toMatch(/no \*\.dist-info\/METADATA/);
  });
});

describe("twine check's report", () => {
  it('keeps each message with its continuation lines, without the quoted markup', () => {
    const output = [
      'Checking a-1.0-py3-none-any.whl: FAILED',
      'ERROR    `long_description` has syntax errors in markup and would not be rendered on PyPI.   ',
      '         line 8: Warning: Title underline too short.',
      '',
      '         Installation',
      '         -----',
      'Checking a-1.0.tar.gz: PASSED with warnings',
      'WARNING  `long_description_content_type` missing. defaulting to `text/x-rst`.',
      'Checking b-1.0.tar.gz: PASSED',
    ].join('\n');
    expect(parseTwineCheck(output)).toEqual([
      { file: 'a-1.0-py3-none-any.whl', passed: false, messages: ['`long_description` has syntax errors in markup and would not be rendered on PyPI. line 8: Warning: Title underline too short.'] },
      { file: 'a-1.0.tar.gz', passed: true, messages: ['warning: `long_description_content_type` missing. defaulting to `text/x-rst`.'] },
      { file: 'b-1.0.tar.gz', passed: true, messages: [] },
    ]);
  });
});

describe('Requires-Dist against the declared dependencies', () => {
  it('treats spelling differences backends introduce as equal', () => {
    const pairs: [string, string, string?][] = [
      ['open-ticket-ai>=1.4.0,<2', 'open-ticket-ai (<2,>=1.4.0)'],
      ['Transformers[Torch,Audio] >= 4.40, < 5', 'transformers[audio,torch]<5,>=4.40'],
      ['tomli>=1; python_version < "3.11"', "tomli>=1; python_version<'3.11'"],
      ['pytest>=8', 'pytest>=8; extra == "test"', 'test'],
      ['colorama; sys_platform == "win32"', 'colorama ; (sys_platform == "win32") and extra == "Win_Extra"', 'win-extra'],
      ['pkg==1.0.0-RC1', 'pkg==1.0.0rc1'],
    ];
    for (const [declared, built, group] of pairs) {
      const a = canonicalRequirement(declared, group ?? '');
      const b = canonicalRequirement(built);
      expect(a && b && [a.key, a.constraint], `${declared} vs ${built}`).toEqual(b && [b.key, b.constraint]);
    }
  });

  it('reports a different specifier, a missing and an undeclared requirement', () => {
    const declared = declaredRequirements(
      { dependencies: ['pydantic>=2.5,<3', 'pyyaml>=6'], 'optional-dependencies': { dev: ['pytest>=8'] } },
      { dependencies: true, optional: true },
    );
    const mismatches = compareRequirements(declared, ['pydantic (<3,>=2.6)', 'requests>=2', 'pytest>=8; extra == "dev"'], { dependencies: true, optional: true });
    expect(mismatches.map((item) => [item.declared?.requirement.text, item.actual?.text])).toEqual([
      ['pydantic>=2.5,<3', 'pydantic (<3,>=2.6)'],
      ['pyyaml>=6', undefined],
      [undefined, 'requests>=2'],
    ]);
    expect(compareRequirements(declared, ['pydantic>=2.5,<3', 'pyyaml>=6'], { dependencies: true, optional: false })).toEqual([]);
  });
});

describe('the version in a tag', () => {
  it.each([
    ['hf-local-v1.2.0', 'hf-local-v', '1.2.0'],
    ['v1.4.0', 'v', '1.4.0'],
    ['open-ticket-ai-v2.0.0rc1', 'open-ticket-ai-v', '2.0.0rc1'],
    ['release/pkg-v1.0', '', '1.0'],
    ['pkg-1.0.0', 'pkg-', '1.0.0'],
    ['nothing-here', 'nothing-', undefined],
  ])('%s (prefix %s) → %s', (tag, prefix, version) => {
    expect(versionFromTag(tag, prefix)).toBe(version);
  });
});

describe('the process runner', () => {
  it('kills the whole process group on timeout, grandchildren included', async () => {
    const marker = `prl-gate-unit-${process.pid}-${Date.now()}`;
    // A shell that starts a background sleeper (a grandchild of ours) and waits.
    const result = await runProcess('/bin/sh', ['-c', `sleep 30 & sleep 30; echo never`], { timeoutMs: 300, env: { ...process.env, PRL_MARKER: marker } });
    expect(result.timedOut).toBe(true);
    expect(result.output).not.toContain('never');
    await waitFor(() => processesWithMarker(marker).length === 0);
    expect(processesWithMarker(marker)).toEqual([]);
  });

  it('reports a missing executable as a spawn error', async () => {
    const result = await runProcess('/nonexistent/python', ['-V']);
    expect(result.spawnError?.code).toBe('ENOENT');
  });

  it('runs a pool with at most N jobs, results in order', async () => {
    let running = 0;
    let peak = 0;
    const results = await runPool([5, 1, 3, 2], 2, async (value) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, value * 5));
      running--;
      return value * 10;
    });
    expect(results).toEqual([50, 10, 30, 20]);
    expect(peak).toBe(2);
  });
});

/** Live (not zombie) processes whose environment carries `marker` (Linux /proc). */
function processesWithMarker(marker: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/\) Z /.test(status)) continue;
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** A ustar header for `name` with the size field written as given. */
function tarHeader(name: string, sizeField: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write(sizeField, 124);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return header;
}

describe('gate diagnostics', () => {
  it('twine against the Metadata-Version a backend writes', () => {
    expect(twineCannotRead('4.0.2', '2.4')).toBe('twine 4.0.2 cannot read Metadata 2.4: use twine >= 6.1');
    expect(twineCannotRead('3.6.0', '2.2')).toBe('twine 3.6.0 cannot read Metadata 2.2: use twine >= 3.7');
    expect(twineCannotRead('6.1.0', '2.4')).toBeUndefined();
    expect(twineCannotRead('4.0.2', '2.1')).toBeUndefined();
    expect(twineCannotRead('6.1.0', '2.5')).toBe('twine 6.1.0 may not read Metadata 2.5: use the newest twine');
    expect(twineCannotRead(undefined, '2.4')).toBeUndefined();
    expect(twineCannotRead('4.0.2', undefined)).toBeUndefined();
  });

  it("pip's no-index errors in an isolated build, and nothing else", () => {
    const isolated = '* Creating virtualenv isolated environment...\n* Installing packages in isolated environment... (hatchling)\n';
    expect(unreachableIndex(`${isolated}ERROR: No matching distribution found for hatchling\nTraceback (most recent call last):\n`)).toBe('ERROR: No matching distribution found for hatchling');
    expect(unreachableIndex(`${isolated}  WARNING: Retrying ... NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection>: Failed to establish a new connection')\n`)).toMatch(/^NewConnectionError/);
    // the backend itself failed: its own error, not the index
    expect(unreachableIndex(`${isolated}* Building wheel...\nerror: package directory 'x' does not exist\n`)).toBeUndefined();
    // a build without isolation installs nothing
    expect(unreachableIndex('ERROR: No matching distribution found for hatchling\n')).toBeUndefined();
  });

  it('artifact sizes', () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(3 * 1024 * 1024)]).toEqual(['512 B', '2.0 kB', '3.0 MB']);
  });
});
