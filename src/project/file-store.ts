import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { gitOriginUrl } from './git-remote.js';
import { MAX_FILE_BYTES, readRegularFile } from './safe-read.js';

export { MAX_FILE_BYTES } from './safe-read.js';

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

// ignoreBOM keeps the BOM in the text, so SourceFile can remember it and write it back.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type EntryKind = 'file' | 'directory' | 'missing';

export interface GlobOptions {
  onlyFiles?: boolean;
  dot?: boolean;
  caseSensitiveMatch?: boolean;
  ignore?: string[];
}

/**
 * Every question a run asked of the file system and a fingerprint of the answer
 * ('read:pyproject.toml' → content hash). A cache entry holds it; the entry is still valid when
 * asking the same questions again gives the same answers (src/engine/cache.ts).
 */
export type Accesses = Map<string, string>;

function fingerprint(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

/**
 * Reads repo files once each, within the root (regular files only, the size cap applied while
 * reading: safe-read.ts), and answers every other question rules ask of the
 * checkout (exists, stat, list, glob), so all of it is bounded to the root and recorded in
 * `accesses`. During --fix passes it serves the fixed text from memory (`overlay`) so re-linting
 * sees the edits before anything is written.
 */
export class FileStore {
  private readonly cache = new Map<string, ReadResult>();
  /**
   * Listings and kinds, asked once per path: rules ask for the same directory per package or per
   * badge (.github/workflows, a package's directory), and a run must not read it again each time.
   */
  private readonly listings = new Map<string, string[]>();
  private readonly kinds = new Map<string, EntryKind>();
  /** Real paths of the directories files were asked about (undefined: missing), resolved once each. */
  private readonly realDirectories = new Map<string, string | undefined>();
  private readonly realRoot: string;
  /**
   * Each question's answer, fingerprinted only when asked for: only runs with --cache need the
   * fingerprints, and hashing every file read cost the others time (and the load of node:crypto).
   */
  private readonly answers = new Map<string, () => string>();

  constructor(
    readonly root: string,
    /** Texts that stand in for files on disk (fixes not yet written, an editor's buffers), by repo path. */
    readonly overlay: ReadonlyMap<string, string> = new Map(),
  ) {
    this.realRoot = safeRealpath(root) ?? path.resolve(root);
  }

  /** A new store that sees `overlay` on top of the files this one already read. */
  withOverlay(overlay: ReadonlyMap<string, string>): FileStore {
    const store = new FileStore(this.root, new Map([...this.overlay, ...overlay]));
    for (const [file, result] of this.cache) if (!overlay.has(file)) store.cache.set(file, result);
    for (const [directory, names] of this.listings) store.listings.set(directory, names);
    for (const [entry, kind] of this.kinds) store.kinds.set(entry, kind);
    return store;
  }

  read(relativePath: string): ReadResult {
    const overlaid = this.overlay.get(relativePath);
    if (overlaid !== undefined) return { ok: true, text: overlaid };
    let result = this.cache.get(relativePath);
    if (!result) {
      result = this.readFromDisk(relativePath);
      this.cache.set(relativePath, result);
      const read = result;
      this.answers.set(`read:${relativePath}`, () => (read.ok ? fingerprint(read.text) : `unreadable:${read.reason}`));
    }
    return result;
  }

  exists(relativePath: string): boolean {
    if (this.overlay.has(relativePath)) return true;
    return this.stat(relativePath) !== 'missing';
  }

  /** Whether a repo path is a file, a directory, or missing (or outside the root). */
  stat(relativePath: string): EntryKind {
    if (this.overlay.has(relativePath)) return 'file';
    const known = this.kinds.get(relativePath);
    if (known !== undefined) return known;
    const absolute = this.absolute(relativePath);
    let kind: EntryKind = 'missing';
    try {
      if (absolute !== undefined) {
        const stats = fs.statSync(absolute);
        kind = stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'missing';
      }
    } catch {
      kind = 'missing';
    }
    this.kinds.set(relativePath, kind);
    this.answers.set(`stat:${relativePath}`, () => kind);
    return kind;
  }

  /** The sorted names in a repo directory ([] when missing or outside the root), read once. */
  list(relativePath: string): readonly string[] {
    const known = this.listings.get(relativePath);
    if (known) return known;
    const absolute = this.absolute(relativePath);
    let names: string[] = [];
    try {
      if (absolute !== undefined) names = fs.readdirSync(absolute).sort();
    } catch {
      names = [];
    }
    this.listings.set(relativePath, names);
    this.answers.set(`list:${relativePath}`, () => fingerprint(names.join('\n')));
    return names;
  }

  /** Repo-relative paths under `base` matching `pattern`; never follows symlinks. */
  glob(base: string, pattern: string, options: GlobOptions = {}): string[] {
    const absolute = this.absolute(base);
    let matches: string[] = [];
    if (absolute !== undefined && fs.existsSync(absolute)) {
      matches = fg.sync(pattern, { cwd: absolute, followSymbolicLinks: false, suppressErrors: true, ...options }).sort(); // an unreadable directory is core/parse-error's
    }
    this.answers.set(`glob:${JSON.stringify([base, pattern, options])}`, () => fingerprint(matches.join('\n')));
    return matches;
  }

  /** The URL of the git remote origin (the repository id when the config names none). */
  gitOriginUrl(): string | undefined {
    const url = gitOriginUrl(this.root);
    // Fingerprinted like every answer: a remote URL may hold credentials (https://user:token@host/...).
    this.answers.set('git:origin', () => fingerprint(url ?? ''));
    return url;
  }

  /** Every question asked so far, with the fingerprint of its answer. */
  get accesses(): Accesses {
    return new Map([...this.answers].map(([question, answer]) => [question, answer()]));
  }

  /** Asks every recorded question again: true when every answer is the same. */
  answersMatch(recorded: Iterable<[string, string]>): boolean {
    for (const [question, answer] of recorded) {
      if (this.answer(question) !== answer) return false;
    }
    return true;
  }

  private answer(question: string): string | undefined {
    const colon = question.indexOf(':');
    const kind = question.slice(0, colon);
    const subject = question.slice(colon + 1);
    if (kind === 'read') this.read(subject);
    else if (kind === 'stat') this.stat(subject);
    else if (kind === 'list') this.list(subject);
    else if (kind === 'glob') {
      const [base, pattern, options] = JSON.parse(subject) as [string, string, GlobOptions];
      this.glob(base, pattern, options);
    } else if (kind === 'git') this.gitOriginUrl();
    else return undefined;
    return this.answers.get(question)?.();
  }

  /** The absolute path of a repo file, or undefined when it resolves outside the root. */
  absolute(relativePath: string): string | undefined {
    return this.locate(relativePath)?.absolute;
  }

  /** The absolute path of a repo file and its real path (undefined when it does not exist), or undefined outside the root. */
  private locate(relativePath: string): { absolute: string; real: string | undefined } | undefined {
    const joined = path.resolve(this.root, relativePath);
    const parent = this.realDirectory(path.dirname(joined));
    const real = parent === undefined ? undefined : this.realPathIn(parent, joined);
    if (real === undefined) {
      // A file that does not exist yet: judge by its parent directory.
      return parent !== undefined && this.inside(parent) ? { absolute: joined, real } : undefined;
    }
    return this.inside(real) ? { absolute: joined, real } : undefined;
  }

  private realDirectory(directory: string): string | undefined {
    if (!this.realDirectories.has(directory)) this.realDirectories.set(directory, safeRealpath(directory));
    return this.realDirectories.get(directory);
  }

  /**
   * The real path of `file`, whose directory's real path is `parent`: that directory joined with its
   * name unless the name is itself a link (resolved in full then), so the thousands of files of a
   * directory cost one lstat each rather than a resolution of every component.
   */
  private realPathIn(parent: string, file: string): string | undefined {
    let stats: fs.Stats;
    try {
      stats = fs.lstatSync(file);
    } catch {
      return undefined;
    }
    return stats.isSymbolicLink() ? safeRealpath(file) : path.join(parent, path.basename(file));
  }

  private inside(real: string): boolean {
    return real === this.realRoot || real.startsWith(this.realRoot + path.sep);
  }

  private readFromDisk(relativePath: string): ReadResult {
    const located = this.locate(relativePath);
    if (located === undefined) return { ok: false, reason: 'the path leads outside the repository (symlink); not read' };
    // locate() checked where links lead; the real path is opened without following another one.
    const read = readRegularFile(located.real ?? located.absolute, MAX_FILE_BYTES);
    if (!read.ok) return read;
    const bytes = read.bytes;
    if (bytes.includes(0)) return { ok: false, reason: 'the file is binary (it contains NUL bytes)' };
    try {
      return { ok: true, text: strictUtf8.decode(bytes) };
    } catch {
      return { ok: false, reason: 'the file is not valid UTF-8' };
    }
  }
}

function safeRealpath(file: string): string | undefined {
  try {
    // The native call resolves the whole path at once; the JavaScript one lstat()s it component by component.
    return fs.realpathSync.native(file);
  } catch {
    return undefined;
  }
}
