import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { refusalToWrite, replaceFile, writeNewFile, WriteRefusedError } from '../src/project/safe-write.js';
import { snapshotTree, tempDir } from './helpers/fixtures.js';

/** A base directory and, outside it, a directory whose contents must not change. */
function setUp(): { base: string; outside: string; before: Map<string, Buffer> } {
  const base = tempDir('prl-base-');
  const outside = tempDir('prl-outside-');
  fs.writeFileSync(path.join(outside, 'victim.txt'), 'victim\n');
  return { base, outside, before: snapshotTree(outside) };
}

describe('refusalToWrite', () => {
  it('allows a regular file and a path not there yet, below real directories', () => {
    const { base } = setUp();
    fs.mkdirSync(path.join(base, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(base, 'a', 'b', 'file.txt'), '');
    expect(refusalToWrite(base, path.join(base, 'a', 'b', 'file.txt'))).toBeUndefined();
    expect(refusalToWrite(base, path.join(base, 'a', 'new', 'deeper', 'file.txt'))).toBeUndefined();
  });

  it('names the link, the file used as a directory, the special file, or the way out', () => {
    const { base, outside } = setUp();
    fs.mkdirSync(path.join(base, 'real'));
    fs.symlinkSync('real', path.join(base, 'inside-link'));
    fs.symlinkSync(outside, path.join(base, 'docs'));
    fs.symlinkSync(path.join(outside, 'victim.txt'), path.join(base, 'real', 'README.md'));
    fs.writeFileSync(path.join(base, 'plain'), '');
    execFileSync('mkfifo', [path.join(base, 'fifo')]);
    expect(refusalToWrite(base, path.join(base, 'docs', 'releasing.md'))).toBe('docs is a symbolic link');
    expect(refusalToWrite(base, path.join(base, 'inside-link', 'x.md'))).toBe('inside-link is a symbolic link');
    expect(refusalToWrite(base, path.join(base, 'real', 'README.md'))).toBe('real/README.md is a symbolic link');
    expect(refusalToWrite(base, path.join(base, 'plain', 'x'))).toBe('plain is not a directory');
    expect(refusalToWrite(base, path.join(base, 'fifo'))).toBe('fifo is not a regular file');
    expect(refusalToWrite(base, path.join(outside, 'victim.txt'))).toBe(`${path.join(outside, 'victim.txt')} is outside ${base}`);
  });
});

describe('writeNewFile', () => {
  it('creates the file and its directories', () => {
    const { base } = setUp();
    writeNewFile(base, path.join(base, '.github', 'workflows', 'x.yml'), 'on: push\n');
    expect(fs.readFileSync(path.join(base, '.github', 'workflows', 'x.yml'), 'utf8')).toBe('on: push\n');
  });

  it('never writes over anything at the name: a file, or a link (even a dangling one)', () => {
    const { base, outside, before } = setUp();
    fs.writeFileSync(path.join(base, 'exists.md'), 'mine\n');
    fs.symlinkSync(path.join(outside, 'victim.txt'), path.join(base, 'link.md'));
    fs.symlinkSync(path.join(outside, 'not-yet.txt'), path.join(base, 'dangling.md'));
    expect(() => writeNewFile(base, path.join(base, 'exists.md'), 'x')).toThrow(/EEXIST/);
    expect(() => writeNewFile(base, path.join(base, 'link.md'), 'x')).toThrow(new WriteRefusedError('link.md is a symbolic link'));
    expect(() => writeNewFile(base, path.join(base, 'dangling.md'), 'x')).toThrow(new WriteRefusedError('dangling.md is a symbolic link'));
    expect(fs.readFileSync(path.join(base, 'exists.md'), 'utf8')).toBe('mine\n');
    expect(snapshotTree(outside)).toEqual(before);
  });

  it('creates no directory through a link', () => {
    const { base, outside, before } = setUp();
    fs.symlinkSync(outside, path.join(base, '.github'));
    expect(() => writeNewFile(base, path.join(base, '.github', 'workflows', 'x.yml'), 'x')).toThrow(new WriteRefusedError('.github is a symbolic link'));
    expect(fs.readdirSync(outside)).toEqual(['victim.txt']);
    expect(snapshotTree(outside)).toEqual(before);
  });
});

describe('replaceFile', () => {
  it('replaces the content, keeps the mode and leaves no temporary file', () => {
    const { base } = setUp();
    const file = path.join(base, 'pyproject.toml');
    fs.writeFileSync(file, 'old\n');
    fs.chmodSync(file, 0o640);
    replaceFile(base, file, 'new\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('new\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(base)).toEqual(['pyproject.toml']);
  });

  it('creates a file that is not there yet', () => {
    const { base } = setUp();
    replaceFile(base, path.join(base, 'cache', 'cache.json'), '{}');
    expect(fs.readFileSync(path.join(base, 'cache', 'cache.json'), 'utf8')).toBe('{}');
  });

  it('never replaces a link, nor writes through one on the way', () => {
    const { base, outside, before } = setUp();
    fs.symlinkSync(path.join(outside, 'victim.txt'), path.join(base, 'README.md'));
    fs.symlinkSync(outside, path.join(base, 'docs'));
    expect(() => replaceFile(base, path.join(base, 'README.md'), 'x')).toThrow(new WriteRefusedError('README.md is a symbolic link'));
    expect(() => replaceFile(base, path.join(base, 'docs', 'victim.txt'), 'x')).toThrow(new WriteRefusedError('docs is a symbolic link'));
    expect(fs.lstatSync(path.join(base, 'README.md')).isSymbolicLink()).toBe(true);
    expect(snapshotTree(outside)).toEqual(before);
  });
});
