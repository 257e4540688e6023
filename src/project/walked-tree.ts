/**
 * What discovery's walk saw (src/project/discover.ts): the directories it listed and their entries,
 * with readdir's word on which are regular files and which directories. The FileStore asks it
 * before it lstats a path: a warm --cache run checks the stamps of 20 000 files and the kinds of
 * 15 000 paths at 5000 packages (a package's directory, its README, its missing setup.py), and the
 * walk has just listed them all. Only what readdir said for certain is answered; the rest is lstat's.
 */

export interface WalkedEntry {
  name: string;
  /** 'other': a link, a special file, or an entry whose type could not be read. */
  kind: 'file' | 'directory' | 'other';
}

/** A repo path as the walk writes it: no leading slash, no `.`, `..` or empty segment, no backslash. */
const PLAIN_PATH = /^(?!\.\.?(?:\/|$))[^/\\]+(?:\/(?!\.\.?(?:\/|$))[^/\\]+)*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** A listed directory's entries by name, and their names in lower case. */
interface DirectoryIndex {
  kinds: Map<string, WalkedEntry['kind']>;
  folded: Set<string>;
}

export class WalkedTree {
  private readonly listings = new Map<string, readonly WalkedEntry[]>();
  /** Built for a directory when it is first asked about: most directories never are. */
  private readonly indexes = new Map<string, DirectoryIndex>();

  /** Records the entries of a directory the walk listed ('' for the root). */
  addListing(directory: string, entries: readonly WalkedEntry[]): void {
    this.listings.set(directory, entries);
  }

  /**
   * Whether `relativePath` is a plain repo path in a directory the walk listed: a real directory within
   * the root, reached through real directories only (the walk follows no link).
   */
  listedDirectoryOf(relativePath: string): boolean {
    return PLAIN_PATH.test(relativePath) && this.listings.has(directoryOf(relativePath));
  }

  /**
   * What is at a path in a listed directory: a regular file, a real directory (not a link), or
   * nothing. Undefined when the walk cannot tell: a link or special file (lstat tells what it is
   * now), a path whose directory it did not list (skipped, outside, not plain), or a missing name
   * that differs from a listed one only in case or is not ASCII (a case-insensitive or normalising
   * file system may find it).
   */
  kindAt(relativePath: string): 'file' | 'directory' | 'missing' | undefined {
    if (!PLAIN_PATH.test(relativePath)) return undefined;
    const directory = directoryOf(relativePath);
    const index = this.indexOf(directory);
    if (index === undefined) return undefined;
    const name = directory === '' ? relativePath : relativePath.slice(directory.length + 1);
    const kind = index.kinds.get(name);
    if (kind !== undefined) return kind === 'other' ? undefined : kind;
    return PRINTABLE_ASCII.test(name) && !index.folded.has(name.toLowerCase()) ? 'missing' : undefined;
  }

  private indexOf(directory: string): DirectoryIndex | undefined {
    let index = this.indexes.get(directory);
    const entries = index === undefined ? this.listings.get(directory) : undefined;
    if (entries !== undefined) {
      index = { kinds: new Map(entries.map((entry) => [entry.name, entry.kind])), folded: new Set(entries.map((entry) => entry.name.toLowerCase())) };
      this.indexes.set(directory, index);
    }
    return index;
  }
}

function directoryOf(relativePath: string): string {
  const slash = relativePath.lastIndexOf('/');
  return slash < 0 ? '' : relativePath.slice(0, slash);
}
