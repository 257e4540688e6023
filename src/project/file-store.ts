import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { gitOriginUrl } from './git-remote.js';
import { MAX_FILE_BYTES, readRegularFile } from './safe-read.js';
import { WalkedTree } from './walked-tree.js';

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
 * A question a run asked of the file system, a fingerprint of the answer ('read:pyproject.toml' →
 * content hash) and, for a file read, its stamp (see stampOf). A cache entry holds them; the entry is
 * still valid when asking the same questions again gives the same answers (src/engine/cache.ts).
 */
export type Access = [question: string, answer: string, stamp?: string];

/**
 * Where a repo path is: its absolute path, and when it exists its real path, what its lstat says it
 * is, and a regular file's stamp (kept rather than the Stats, which a run of 5000 packages would hold
 * by the ten thousand, each with its four Dates, for the garbage collector to move).
 */
interface Located {
  absolute: string;
  real?: string;
  kind?: 'file' | 'directory' | 'link' | 'other';
  stamp?: string;
}

function fingerprint(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

/**
 * How long before it is looked at a file must have last changed to get a stamp. An mtime has a
 * granularity (a few ms on Linux's coarse clock, up to 2 s on FAT): a file written again within the
 * tick in which it was read keeps its size and mtime with other bytes. ESLint's metadata cache
 * accepts that; here a file that changed less than this before its lstat gets no stamp, so the next
 * run compares its bytes (as git does with its "racily clean" index entries), and that run records
 * the stamp once the file has settled. A clock that runs 2 s apart from the file system's (a network
 * share) can still defeat it; a changed size, ctime or inode is seen regardless.
 */
const SETTLE_MS = 2000;

/**
 * What the cache compares instead of a file's bytes: its size, mtime, ctime and inode, all from the
 * lstat that locating the file takes anyway. ESLint's metadata strategy keeps size and mtime; ctime
 * and inode cost nothing more and catch what restores an mtime (tar, cp -p and rsync -t write a new
 * inode, and no one can set a ctime). Only a regular file that has settled is stamped, never a link
 * (whose own stat says nothing of its target's bytes).
 */
function stampOf(stats: fs.Stats): string | undefined {
  if (!stats.isFile() || Math.max(stats.mtimeMs, stats.ctimeMs) >= Date.now() - SETTLE_MS) return undefined;
  return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
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
  /**
   * Where each path asked about is (locate()), found once: a run stats a package's README, then reads
   * it, and every file of a directory needs that directory's real path.
   */
  private readonly located = new Map<string, Located | undefined>();
  private readonly absoluteRoot: string;
  /** The absolute root with one trailing separator (the root `/` has it already). */
  private readonly rootPrefix: string;
  private readonly realRoot: string;
  /**
   * Each question's answer, fingerprinted only when asked for: only runs with --cache need the
   * fingerprints, and hashing every file read cost the others time (and the load of node:crypto).
   */
  private readonly answers = new Map<string, () => string>();
  /** The stamps of the files read whose stat can stand for their bytes next time, by question. */
  private readonly stamps = new Map<string, string>();

  constructor(
    readonly root: string,
    /** Texts that stand in for files on disk (fixes not yet written, an editor's buffers), by repo path. */
    readonly overlay: ReadonlyMap<string, string> = new Map(),
    /** What discovery's walk saw, once it has walked: lstat is asked only what the walk cannot tell. */
    private readonly walked: WalkedTree = new WalkedTree(),
  ) {
    this.absoluteRoot = path.resolve(root);
    this.rootPrefix = this.absoluteRoot.endsWith(path.sep) ? this.absoluteRoot : this.absoluteRoot + path.sep;
    this.realRoot = safeRealpath(root) ?? this.absoluteRoot;
  }

  /** A new store that sees `overlay` on top of the files this one already read. */
  withOverlay(overlay: ReadonlyMap<string, string>): FileStore {
    const store = new FileStore(this.root, new Map([...this.overlay, ...overlay]), this.walked);
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
      const { read, stamp } = this.readFromDisk(relativePath);
      result = read;
      this.cache.set(relativePath, read);
      this.answers.set(`read:${relativePath}`, () => (read.ok ? fingerprint(read.text) : `unreadable:${read.reason}`));
      if (stamp !== undefined) this.stamps.set(`read:${relativePath}`, stamp);
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
    const kind = this.walked.kindAt(relativePath) ?? this.kindOnDisk(relativePath);
    this.kinds.set(relativePath, kind);
    this.answers.set(`stat:${relativePath}`, () => kind);
    return kind;
  }

  /** What a repo path is by its lstat (and a link by where it leads, if that is inside the root). */
  private kindOnDisk(relativePath: string): EntryKind {
    const located = this.locate(relativePath);
    // locate()'s lstat says it all but for a link, which is followed (locate() checked where it leads).
    const stats = located?.kind === 'link' ? statOf(located.absolute) : undefined;
    const found = stats === undefined ? located?.kind : stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
    return found === 'file' || found === 'directory' ? found : 'missing';
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

  /** Every question asked so far, with the fingerprint of its answer and the stamp of a file read. */
  get accesses(): Access[] {
    return [...this.answers].map(([question, answer]): Access => {
      const stamp = this.stamps.get(question);
      return stamp === undefined ? [question, answer()] : [question, answer(), stamp];
    });
  }

  /**
   * Asks every recorded question again. When every answer is the same, returns the accesses to
   * record for next time (`restamped` when one of them has a new stamp); else undefined. A file read
   * whose stamp is unchanged is trusted without being read (ESLint's "metadata" cache strategy); any
   * other is read and its bytes compared, so a touch without a change still matches and is restamped
   * (touched, checked out again, settled), and the next run needs its stat alone.
   */
  recheck(recorded: readonly Access[]): { accesses: Access[]; restamped: boolean } | undefined {
    const accesses: Access[] = [];
    let restamped = false;
    for (const access of recorded) {
      const [question, answer, stamp] = access;
      if (stamp !== undefined && question.startsWith('read:') && this.stampUnchanged(question.slice('read:'.length), stamp)) {
        accesses.push(access);
        continue;
      }
      if (this.answer(question) !== answer) return undefined;
      const newStamp = this.stamps.get(question);
      restamped ||= newStamp !== undefined;
      accesses.push(newStamp === undefined ? [question, answer] : [question, answer, newStamp]);
    }
    return { accesses, restamped };
  }

  /** Whether a repo file is still a regular file within the root with this stamp. */
  private stampUnchanged(relativePath: string, stamp: string): boolean {
    // In a directory the walk listed, no component can be a link: one lstat, no path to resolve or remember.
    if (this.walked.listedDirectoryOf(relativePath)) {
      const stats = statOf(this.rootPrefix + relativePath, fs.lstatSync);
      return stats !== undefined && stampOf(stats) === stamp;
    }
    return this.locate(relativePath)?.stamp === stamp;
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

  /** Where a repo path is (see Located), or undefined when it resolves outside the root. */
  private locate(relativePath: string): Located | undefined {
    if (!this.located.has(relativePath)) this.located.set(relativePath, this.find(relativePath));
    return this.located.get(relativePath);
  }

  private find(relativePath: string): Located | undefined {
    const joined = path.resolve(this.root, relativePath);
    const repoPath = this.repoPathOf(joined);
    if (repoPath === '') return { absolute: joined, real: this.realRoot, kind: 'directory' };
    if (repoPath !== undefined) {
      // What discovery's walk listed needs no lstat: it reached each directory through real directories only.
      const walked = this.walked.kindAt(repoPath);
      if (walked === 'directory') return { absolute: joined, real: path.join(this.realRoot, repoPath), kind: 'directory' };
      if (walked === 'missing') return { absolute: joined };
    }
    const parent = this.locateDirectory(path.dirname(joined));
    if (parent === undefined) return undefined;
    // A file that does not exist (or whose directory does not): judge by its directory.
    const found = parent.real === undefined ? undefined : this.realPathIn(parent.real, joined);
    if (found === undefined) return parent.real === undefined || this.inside(parent.real) ? { absolute: joined } : undefined;
    return this.inside(found.real) ? { absolute: joined, ...found } : undefined;
  }

  /**
   * Where a directory is, found as any path is (so below the root its real path is its parent's
   * joined with its name unless the name is a link: one lstat, where realpath would resolve every
   * component of every package's directory again); a directory outside the root is resolved whole.
   */
  private locateDirectory(directory: string): Located | undefined {
    const repoPath = this.repoPathOf(directory);
    if (repoPath === undefined) {
      const real = safeRealpath(directory);
      return real === undefined ? undefined : { absolute: directory, real, kind: 'directory' };
    }
    return this.locate(repoPath);
  }

  /** The repo path ('' for the root, POSIX separators) of an absolute path below the root, else undefined. */
  private repoPathOf(absolute: string): string | undefined {
    if (absolute === this.absoluteRoot) return '';
    if (!absolute.startsWith(this.rootPrefix)) return undefined;
    const relative = absolute.slice(this.rootPrefix.length);
    return path.sep === '/' ? relative : relative.replaceAll(path.sep, '/');
  }

  /**
   * The real path of `file`, whose directory's real path is `parent`: that directory joined with its
   * name unless the name is itself a link (resolved in full then), so the thousands of files of a
   * directory cost one lstat each rather than a resolution of every component.
   */
  private realPathIn(parent: string, file: string): Required<Pick<Located, 'real' | 'kind'>> & Pick<Located, 'stamp'> | undefined {
    const stats = statOf(file, fs.lstatSync);
    if (stats === undefined) return undefined;
    const kind = stats.isSymbolicLink() ? 'link' : stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
    const real = kind === 'link' ? safeRealpath(file) : path.join(parent, path.basename(file));
    return real === undefined ? undefined : { real, kind, stamp: stampOf(stats) };
  }

  private inside(real: string): boolean {
    return real === this.realRoot || real.startsWith(this.realRoot + path.sep);
  }

  /** A file's text or why not, with its stamp when it has one. */
  private readFromDisk(relativePath: string): { read: ReadResult; stamp?: string } {
    const located = this.locate(relativePath);
    if (located === undefined) return { read: { ok: false, reason: 'the path leads outside the repository (symlink); not read' } };
    // locate() checked where links lead; the real path is opened without following another one.
    const read = readRegularFile(located.real ?? located.absolute, MAX_FILE_BYTES);
    if (!read.ok) return { read };
    const bytes = read.bytes;
    if (bytes.includes(0)) return { read: { ok: false, reason: 'the file is binary (it contains NUL bytes)' } };
    try {
      return { read: { ok: true, text: strictUtf8.decode(bytes) }, stamp: located.stamp };
    } catch {
      return { read: { ok: false, reason: 'the file is not valid UTF-8' } };
    }
  }
}

/** A path's stat (lstat), or undefined when it is missing or cannot be stat'ed; a missing one throws nothing (an error costs ~10 µs). */
function statOf(file: string, stat: typeof fs.statSync = fs.statSync): fs.Stats | undefined {
  try {
    return stat(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
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
