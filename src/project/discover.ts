import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';

/** Directories that never hold a package of the repo's own (RULES.md). */
export const ALWAYS_SKIPPED_DIRECTORIES = ['node_modules', '.venv', 'venv', '.tox', '.nox', 'build', 'dist', 'site-packages', '.git'];
/** Skipped by default, configurable with `skip-directories`: they hold sample packages, not releases. */
export const DEFAULT_SKIPPED_DIRECTORIES = ['tests', 'test', 'fixtures', 'testdata', 'templates'];
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
  /** Globs of documentation files (config `docs`). */
  docs: string[];
}

export interface DiscoveredFiles {
  pyprojects: string[];
  workflows: string[];
  docs: string[];
  /** .github/actionlint.yaml or .yml, when present. */
  actionlintConfig: string | undefined;
}

/**
 * Lists the files the linter reads, as sorted repo-relative POSIX paths: every pyproject.toml, the
 * workflows, and the docs. Honours .gitignore files and never follows a symlink out of the root.
 */
export function discoverFiles(root: string, options: DiscoveryOptions): DiscoveredFiles {
  const skipped = [...ALWAYS_SKIPPED_DIRECTORIES, ...options.skipDirectories].map((name) => `**/${name}/**`);
  const globOptions = { cwd: root, dot: true, followSymbolicLinks: false, onlyFiles: true, ignore: [...skipped, ...options.ignore] };
  // One walk of the whole tree finds all but the docs (whose globs match case-insensitively): each
  // fast-glob call compiles the skip patterns anew.
  const walked = fg.sync(['**/.gitignore', '**/pyproject.toml', '.github/workflows/*.{yml,yaml}', '.github/actionlint.{yaml,yml}'], globOptions);
  const named = (name: string): string[] => walked.filter((file) => path.posix.basename(file) === name);
  const gitignore = loadGitignores(root, named('.gitignore'));
  // Symlinks that leave the root are dropped later by the FileStore, which reports them.
  const keep = (files: string[]): string[] => files.filter((file) => !gitignore.ignores(file)).sort();

  const pyprojects = keep(named('pyproject.toml'));
  const workflows = keep(walked.filter((file) => WORKFLOW_FILE.test(file)));
  const docs = keep(fg.sync(options.docs, { ...globOptions, caseSensitiveMatch: false }));
  const actionlintConfig = keep(walked.filter((file) => ACTIONLINT_CONFIG.test(file)))[0];
  return { pyprojects, workflows, docs, actionlintConfig };
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

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
