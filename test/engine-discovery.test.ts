import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../src/config/config.js';
import { MAX_FILE_BYTES } from '../src/project/file-store.js';
import { Project } from '../src/project/project.js';
import { tempDir } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const PACKAGE = (name: string): string => `[project]\nname = "${name}"\nversion = "1.0"\n`;

describe('discovery', () => {
  it('finds packages, workflows and docs, honouring .gitignore (nested too) and the default skipped directories', () => {
    const root = writeRepo({
      'pyproject.toml': PACKAGE('core'),
      'plugins/a/pyproject.toml': PACKAGE('a'),
      'plugins/ignored/pyproject.toml': PACKAGE('ignored'),
      'plugins/.gitignore': 'ignored/\n',
      '.gitignore': 'scratch/\n',
      'scratch/pyproject.toml': PACKAGE('scratch'),
      'tests/sample/pyproject.toml': PACKAGE('sample'),
      'node_modules/x/pyproject.toml': PACKAGE('x'),
      '.venv/lib/pyproject.toml': PACKAGE('venv'),
      'workspace-root/pyproject.toml': '[tool.uv.workspace]\nmembers = ["packages/*"]\n',
      '.github/workflows/publish.yml': 'on: push\njobs: {}\n',
      '.github/workflows/release.yaml': 'on: push\njobs: {}\n',
      '.github/workflows/notes.txt': 'not a workflow',
      '.github/workflows/drafts/old.yml': 'on: push\njobs: {}\n',
      '.github/workflows.yml': 'not in the directory',
      '.github/actionlint.yaml': 'self-hosted-runner:\n  labels: [gpu]\n',
      'README.md': '# Demo\n',
      'docs/guide/release.md': '# Release\n',
    });
    const project = Project.load(root, defaultConfig());
    expect(project.pyprojects.map((file) => file.path)).toEqual(['plugins/a/pyproject.toml', 'pyproject.toml', 'workspace-root/pyproject.toml']);
    expect(project.packages.map((pkg) => [pkg.dir, pkg.name])).toEqual([['.', 'core'], ['plugins/a', 'a']]);
    expect(project.workflows.map((file) => file.path)).toEqual(['.github/workflows/publish.yml', '.github/workflows/release.yaml']);
    expect(project.actionlintConfig?.path).toBe('.github/actionlint.yaml');
    expect(project.docs.map((file) => file.path)).toEqual(['README.md', 'docs/guide/release.md']);
  });

  it('config ignore and skip-directories change what is found', () => {
    const root = writeRepo({ 'examples/x/pyproject.toml': PACKAGE('x'), 'tests/y/pyproject.toml': PACKAGE('y') });
    const config = { ...defaultConfig(), ignore: ['examples/**'], skipDirectories: [] };
    expect(Project.load(root, config).packages.map((pkg) => pkg.name)).toEqual(['y']);
  });

  it('an ignore glob that matches a directory skips all of it; one that matches a file skips the file', () => {
    const root = writeRepo({
      'pyproject.toml': PACKAGE('core'),
      'examples/a/pyproject.toml': PACKAGE('example-a'),
      'sandbox/b/pyproject.toml': PACKAGE('sandbox-b'),
      'src/core.egg-info/pyproject.toml': PACKAGE('egg-info'),
      'plugins/c/pyproject.toml': PACKAGE('c'),
      'plugins/d/pyproject.toml': PACKAGE('d'),
      '.config/e/pyproject.toml': PACKAGE('e'),
      '.github/workflows/old-publish.yml': 'on: push\njobs: {}\n',
      '.github/workflows/publish.yml': 'on: push\njobs: {}\n',
    });
    const config = { ...defaultConfig(), ignore: ['examples', 'sandbox/**', '**/*.egg-info', 'plugins/d/pyproject.toml', '.github/workflows/old-*'] };
    const readdir = vi.spyOn(fs, 'readdirSync');
    const project = Project.load(root, config);
    const listed = readdir.mock.calls.map(([directory]) => path.relative(root, String(directory)));
    readdir.mockRestore();
    expect(listed.filter((directory) => /^(examples|sandbox|src\/core\.egg-info)/.test(directory))).toEqual([]);
    expect(listed).toContain('plugins/d');
    // Dot directories are walked like any other.
    expect(project.pyprojects.map((file) => file.path)).toEqual(['.config/e/pyproject.toml', 'plugins/c/pyproject.toml', 'pyproject.toml']);
    expect(project.workflows.map((file) => file.path)).toEqual(['.github/workflows/publish.yml']);
  });

  it('docs globs match whatever the case of the file names', () => {
    const root = writeRepo({ 'readme.rst': 'Demo\n', 'Docs/Guide/RELEASE.MD': '# Release\n', 'docs/notes.txt': 'no', 'sub/README.md': '# not at the root\n' });
    expect(Project.load(root, defaultConfig()).docs.map((file) => file.path)).toEqual(['Docs/Guide/RELEASE.MD', 'readme.rst']);
  });

  it('never reads through a symlink that leaves the root', () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'pyproject.toml'), PACKAGE('outside'));
    const root = writeRepo({ 'pyproject.toml': PACKAGE('core') });
    fs.mkdirSync(path.join(root, 'linked'));
    fs.symlinkSync(path.join(outside, 'pyproject.toml'), path.join(root, 'linked', 'pyproject.toml'));
    fs.symlinkSync(outside, path.join(root, 'linked-dir'));
    const project = Project.load(root, defaultConfig());
    expect(project.packages.map((pkg) => pkg.name)).toEqual(['core']);
    // Discovery does not list symlinks, and a rule that asks for such a file by path gets nothing.
    expect(project.problems).toEqual([]);
    expect(project.readText('linked/pyproject.toml')).toBeUndefined();
    expect(project.readText('linked-dir/pyproject.toml')).toBeUndefined();
    expect(project.store.read('linked-dir/pyproject.toml')).toEqual({ ok: false, reason: 'the path leads outside the repository (symlink); not read' });
  });

  it('reports files over the size cap, binary files and invalid UTF-8 instead of parsing them', () => {
    const root = writeRepo({});
    fs.mkdirSync(path.join(root, 'big'));
    fs.writeFileSync(path.join(root, 'big', 'pyproject.toml'), `# ${'x'.repeat(MAX_FILE_BYTES)}\n`);
    fs.mkdirSync(path.join(root, 'bin'));
    fs.writeFileSync(path.join(root, 'bin', 'pyproject.toml'), Buffer.from([0x5b, 0x00, 0x01, 0x02]));
    fs.mkdirSync(path.join(root, 'latin'));
    fs.writeFileSync(path.join(root, 'latin', 'pyproject.toml'), Buffer.from('[project]\nname = "caf\xe9"\n', 'latin1'));
    const messages = Object.fromEntries(Project.load(root, defaultConfig()).problems.map((problem) => [problem.file, problem.message]));
    expect(messages['big/pyproject.toml']).toMatch(/over the 5 MB limit; not read/);
    expect(messages['bin/pyproject.toml']).toBe('the file is binary (it contains NUL bytes)');
    expect(messages['latin/pyproject.toml']).toBe('the file is not valid UTF-8');
  });
});
