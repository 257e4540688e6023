import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { describeError, describeKind, MAX_FILE_BYTES, readRegularFile } from './safe-read.js';
import type { WalkedTree } from './walked-tree.js';

/** Directories that never hold a package of the repo's own: environments, build outputs, VCS data. */
export const ALWAYS_SKIPPED_DIRECTORIES = ['node_modules', '.venv', 'venv', '.tox', '.nox', 'build', 'dist', 'site-packages', '.git'];
/** Skipped by default, configurable with `skip-directories`: they hold sample packages, not releases. */
export const DEFAULT_SKIPPED_DIRECTORIES = ['tests', 'test', 'fixtures', 'testdata', 'templates'];
/** Directory names of project templates (cookiecutter, copier): `{{cookiecutter.project_slug}}`. */
const TEMPLATE_PLACEHOLDER = /\{\{|\{%/;
/** Where secrets and tag conventions are documented, unless the config says otherwise. */
export const DEFAULT_DOCS = ['README*', 'docs/**/*.md', 'CONTRIBUTING*', 'RELEASING*'];

/** What the globs `.github/workflows/*.{yml,yaml}` and `.github/actionlint.{yaml,yml}` match. */
const WORKFLOW_FILE = /^\.github\/workflows\/[^/]*\.(?:yml|yaml)$/;
const ACTIONLINT_CONFIG = /^\.github\/actionlint\.(?:yaml|yml)$/;

export interface DiscoveryOptions {
  /** Extra glob patterns to skip (config `ignore`). */
  ignore: string[];
  /** Directory names skipped anywhere (defaults to DEFAULT_SKIPPED_DIRECTORIES). */
  skipDirectories: string[];
  /** Globs of documentation files (config `docs`), matched without regard to case. */
  docs: string[];
}

export interface DiscoveredFiles {
  pyprojects: string[];
  /** setup.cfg and setup.py files: packages declared the setuptools way. */
  setupCfgs: string[];
  setupPys: string[];
  /** hatch.toml files (hatchling merges them over [tool.hatch]). */
  hatchTomls: string[];
  /** action.yml / action.yaml files: local actions a workflow may use (`uses: ./path`). */
  actions: string[];
  workflows: string[];
  docs: string[];
  /** .github/actionlint.yaml or .yml, when present. */
  actionlintConfig: string | undefined;
  /** Directories (or entries) the walk could not look into, with why: reported as `core/parse-error`. */
  unreadable: { path: string; reason: string }[];
}

/**
 * Lists the files the linter reads, as sorted repo-relative POSIX paths: every pyproject.toml,
 * setup.cfg, setup.py and hatch.toml, local actions, the workflows, and the docs. Honours .gitignore files and never follows a symlink out of the root.
 * What the walk saw of each directory it listed is recorded in `walked`, for the FileStore.
 */
export function discoverFiles(root: string, options: DiscoveryOptions, walked?: WalkedTree): DiscoveredFiles {
  const { files, special, unreadable } = listFiles(root, new Set([...ALWAYS_SKIPPED_DIRECTORIES, ...options.skipDirectories]), options.ignore, walked);
  const byName = filesNamed(files, ['.gitignore', 'pyproject.toml', 'setup.cfg', 'setup.py', 'hatch.toml', 'action.yml', 'action.yaml']);
  const named = (name: string): string[] => byName.get(name) ?? [];
  const gitignore = loadGitignores(root, named('.gitignore'));
  const keep = (found: string[]): string[] => found.filter((file) => !gitignore.ignores(file)).sort();
  const isDoc = globMatcher(options.docs, { dot: true, nocase: true });
  const wouldRead = (file: string): boolean => path.posix.basename(file) === 'pyproject.toml' || WORKFLOW_FILE.test(file) || ACTIONLINT_CONFIG.test(file) || isDoc(file);
  // a FIFO or a device where a pyproject, a workflow or a doc belongs is reported, not read
  for (const entry of special) if (wouldRead(entry.path)) unreadable.push({ path: entry.path, reason: `the path is ${entry.kind}, not a regular file; not read` });
  return {
    pyprojects: keep(named('pyproject.toml')),
    setupCfgs: keep(named('setup.cfg')),
    setupPys: keep(named('setup.py')),
    hatchTomls: keep(named('hatch.toml')),
    actions: keep([...named('action.yml'), ...named('action.yaml')]),
    workflows: keep(files.filter((file) => WORKFLOW_FILE.test(file))),
    docs: keep(files.filter((file) => isDoc(file))),
    actionlintConfig: keep(files.filter((file) => ACTIONLINT_CONFIG.test(file)))[0],
    unreadable: unreadable.filter((entry) => !gitignore.ignores(entry.path)),
  };
}

/** The files (of `files`) whose name is one of `names`, by name, in one pass over what may be a hundred thousand files. */
function filesNamed(files: readonly string[], names: readonly string[]): Map<string, string[]> {
  const byName = new Map(names.map((name) => [name, [] as string[]]));
  for (const file of files) byName.get(file.slice(file.lastIndexOf('/') + 1))?.push(file);
  return byName;
}

/**
 * picomatch(globs, options) for POSIX paths, without the two result objects its matcher builds for
 * every path it is given (testing the doc globs against the 30 000 files of 5000 packages took ~0.1 s
 * of a warm --cache run): the same test, a path equal to a glob or matched by its regular expression.
 */
function globMatcher(globs: readonly string[], options: picomatch.PicomatchOptions): (file: string) => boolean {
  const compiled = globs.map((glob) => ({ glob, regex: picomatch.makeRe(glob, options) }));
  return (file) => compiled.some(({ glob, regex }) => file === glob || regex.test(file));
}

/**
 * Every regular file under `root`, dot files included, as a repo-relative POSIX path. Symlinks are
 * neither listed nor followed, and FIFOs, devices and sockets are not files. A directory named in
 * `skippedNames`, or matched by an `ignore` glob (`examples`, `examples/**`), is not read at all; a
 * file an `ignore` glob matches is left out. A directory that cannot be listed (no permission, a
 * path longer than PATH_MAX) is noted in `unreadable` and the walk goes on. The walk keeps its own
 * stack, so no nesting depth can overflow the call stack.
 * One walk with plain readdir: fast-glob took ~15 ms of a run for the same list (its matchers are
 * compiled and run per entry), the walk under 1 ms.
 */
function listFiles(root: string, skippedNames: ReadonlySet<string>, ignoreGlobs: string[], walked?: WalkedTree): { files: string[]; special: { path: string; kind: string }[]; unreadable: DiscoveredFiles['unreadable'] } {
  const ignored = ignoreGlobs.length > 0 ? picomatch(ignoreGlobs, { dot: true }) : () => false;
  const files: string[] = [];
  const special: { path: string; kind: string }[] = [];
  const unreadable: DiscoveredFiles['unreadable'] = [];
  const pending = [''];
  for (let directory = pending.pop(); directory !== undefined; directory = pending.pop()) {
    const listing = readDirectory(root, directory);
    if (listing.listed) walked?.addListing(directory, listing.entries);
    for (const entry of listing.unreadable) unreadable.push(entry);
    for (const entry of listing.entries) {
      const relative = directory === '' ? entry.name : `${directory}/${entry.name}`;
      if (entry.kind === 'directory') {
        // A template's placeholder directory (`{{cookiecutter.name}}`) holds Jinja, not the repo's files.
        if (!skippedNames.has(entry.name) && !TEMPLATE_PLACEHOLDER.test(entry.name) && !ignored(relative)) pending.push(relative);
      } else if (entry.kind === 'file' && !ignored(relative)) {
        files.push(relative);
      } else if (entry.special !== undefined && !ignored(relative)) {
        special.push({ path: relative, kind: entry.special });
      }
    }
  }
  return { files, special, unreadable };
}

interface Listing {
  /** Whether the directory's names were read (an entry whose kind could not be read is `other`, and in `unreadable`). */
  listed: boolean;
  /** `special` says what an entry that is neither a file, a directory nor a link is (a FIFO, a device...). */
  entries: { name: string; kind: 'file' | 'directory' | 'other'; special?: string }[];
  unreadable: DiscoveredFiles['unreadable'];
}

/**
 * A directory's entries and their kinds, from the types readdir gives (no stat per entry). When
 * that fails for one entry (readdir then lstat()s the entries whose type the file system did not
 * say, and a name can be too long to lstat), the entries are read one by one so only that one is
 * lost. A directory that vanished (or became a file) since it was listed has no entries.
 */
function readDirectory(root: string, directory: string): Listing {
  const absolute = directory === '' ? root : path.join(root, directory);
  const shown = directory === '' ? '.' : directory;
  try {
    const entries = fs.readdirSync(absolute, { withFileTypes: true });
    return { listed: true, entries: entries.map((entry) => ({ name: entry.name, kind: kindOf(entry), special: specialKind(entry) })), unreadable: [] };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { listed: false, entries: [], unreadable: [] };
    let names: string[];
    try {
      names = fs.readdirSync(absolute);
    } catch (listError) {
      return { listed: false, entries: [], unreadable: [{ path: shown, reason: `${describeError(listError, 'the directory')}: nothing under it is linted` }] };
    }
    const listing: Listing = { listed: true, entries: [], unreadable: [] };
    for (const name of names) {
      const relative = directory === '' ? name : `${directory}/${name}`;
      try {
        const stat = fs.lstatSync(path.join(absolute, name));
        listing.entries.push({ name, kind: kindOf(stat), special: specialKind(stat) });
      } catch (entryError) {
        listing.entries.push({ name, kind: 'other' });
        listing.unreadable.push({ path: relative, reason: describeError(entryError, 'the entry') });
      }
    }
    return listing;
  }
}

function kindOf(entry: fs.Dirent | fs.Stats): 'file' | 'directory' | 'other' {
  return entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : 'other';
}

function specialKind(entry: fs.Dirent | fs.Stats): string | undefined {
  return entry.isFIFO() || entry.isSocket() || entry.isCharacterDevice() || entry.isBlockDevice() ? describeKind(entry) : undefined;
}

/** The given .gitignore files (paths from the root), each applied to the paths below its own directory. */
function loadGitignores(root: string, sources: string[]): Ignore {
  const matcher = ignore();
  for (const source of [...sources].sort()) {
    const base = path.posix.dirname(source);
    const text = safeRead(path.join(root, source));
    for (const rawLine of text.split(/\r?\n/)) {
      const line = rawLine.trim();
      if (!line || line.startsWith('#')) continue;
      matcher.add(base === '.' ? line : prefixGitignoreLine(base, line));
    }
  }
  const exclude = safeRead(path.join(root, '.git', 'info', 'exclude'));
  matcher.add(exclude.split(/\r?\n/).filter((line) => line.trim() && !line.startsWith('#')));
  return matcher;
}

/** Rewrites a nested .gitignore line so it applies relative to the root. */
function prefixGitignoreLine(base: string, line: string): string {
  const negated = line.startsWith('!');
  const pattern = negated ? line.slice(1) : line;
  // A pattern with a slash before its end is anchored to its .gitignore's directory.
  const anchored = pattern.replace(/\/$/, '').includes('/');
  const rooted = anchored ? `${base}/${pattern.replace(/^\//, '')}` : `${base}/**/${pattern}`;
  return negated ? `!${rooted}` : rooted;
}

/** An ignore file's text, or '' when it is not a readable regular file (a FIFO, a link to /dev/zero). */
function safeRead(file: string): string {
  const read = readRegularFile(file, MAX_FILE_BYTES);
  return read.ok ? read.bytes.toString('utf8') : '';
}
