/**
 * What discovery's walk saw (src/project/discover.ts): which directories it listed and the names in
 * them, with readdir's word on which are regular files and which directories. The FileStore asks it
 * before it lstats a path: a warm --cache run checks the stamps of 20 000 files and the kinds of
 * 15 000 paths at 5000 packages (a package's directory, its README, its missing setup.py), and the
 * walk has just listed them all. Only what readdir said for certain is answered; the rest is lstat's.
 */

/** A repo path as the walk writes it: no leading slash, no `.`, `..` or empty segment, no backslash. */
const PLAIN_PATH = /^(?!\.\.?(?:\/|$))[^/\\]+(?:\/(?!\.\.?(?:\/|$))[^/\\]+)*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export class WalkedTree {
  private readonly listed = new Set<string>();
  /** The regular files and directories (not links, not special files) of the listed directories. */
  private readonly kinds = new Map<string, 'file' | 'directory'>();
  /** Every entry's path in lower case: a name absent here is absent on a case-insensitive file system too. */
  private readonly folded = new Set<string>();

  /** Records that the walk listed `directory` ('' for the root). */
  addListed(directory: string): void {
    this.listed.add(directory);
  }

  /** Records an entry of a listed directory by its repo path, with its kind as readdir said. */
  addEntry(relativePath: string, kind: 'file' | 'directory' | 'other'): void {
    if (kind !== 'other') this.kinds.set(relativePath, kind);
    this.folded.add(relativePath.toLowerCase());
  }

  /**
   * Whether `relativePath` is a plain repo path in a directory the walk listed: a real directory within
   * the root, reached through real directories only (the walk follows no link).
   */
  listedDirectoryOf(relativePath: string): boolean {
    if (!PLAIN_PATH.test(relativePath)) return false;
    const slash = relativePath.lastIndexOf('/');
    return this.listed.has(slash < 0 ? '' : relativePath.slice(0, slash));
  }

  /**
   * What is at a path in a listed directory: a regular file, a real directory (not a link), or
   * nothing. Undefined when the walk cannot tell: a link or special file (lstat tells what it is
   * now), a path whose directory it did not list (skipped, outside, not plain), or a missing name
   * that differs from a listed one only in case or is not ASCII (a case-insensitive or normalising
   * file system may find it).
   */
  kindAt(relativePath: string): 'file' | 'directory' | 'missing' | undefined {
    if (!this.listedDirectoryOf(relativePath)) return undefined;
    const kind = this.kinds.get(relativePath);
    if (kind !== undefined) return kind;
    return PRINTABLE_ASCII.test(relativePath) && !this.folded.has(relativePath.toLowerCase()) ? 'missing' : undefined;
  }
}
