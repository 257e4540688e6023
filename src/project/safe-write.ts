/**
 * Every file this tool writes (--fix, init, the --cache file and its key) is written here, because a
 * linter runs on checkouts nobody reviewed yet and a planted symbolic link must not turn a write into
 * one outside the repository. So: below a trusted base directory no path component may be a link; a
 * temporary file gets a random name and is created exclusively (O_EXCL, O_NOFOLLOW: a link planted at
 * its name makes the open fail instead of being followed); a link is never replaced by a copy.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A write refused for the reason in its message (one line, paths relative to the base). */
export class WriteRefusedError extends Error {}

/**
 * Why `target` may not be written, or undefined when it may: every component from `base` (not
 * included: it is the caller's, a link or not) down to `target` must be a real directory, and
 * `target` a regular file or nothing yet.
 */
export function refusalToWrite(base: string, target: string): string | undefined {
  const parts = path.relative(base, target).split(path.sep);
  if (parts[0] === '..' || path.isAbsolute(parts[0]!)) return `${target} is outside ${base}`;
  let current = base;
  for (const [index, part] of parts.entries()) {
    current = path.join(current, part);
    const shown = parts.slice(0, index + 1).join('/');
    let stats: fs.Stats;
    try {
      stats = fs.lstatSync(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? undefined : `${shown} cannot be examined (${code ?? 'error'})`;
    }
    if (stats.isSymbolicLink()) return `${shown} is a symbolic link`;
    const last = index === parts.length - 1;
    if (!last && !stats.isDirectory()) return `${shown} is not a directory`;
    if (last && !stats.isFile()) return `${shown} is not a regular file`;
  }
  return undefined;
}

/**
 * The base for a path the user named (--cache-location, -o): `checkout` when the path lies inside it,
 * since a checkout may hold planted links; else the path's own directory (the user's directories
 * above it are taken as they are).
 */
export function baseFor(checkout: string, target: string): string {
  const relative = path.relative(checkout, target);
  return relative.startsWith('..') || path.isAbsolute(relative) ? path.dirname(target) : checkout;
}

/** Creates `target`, which must not exist: anything at its name, a link included, makes it fail. */
export function writeNewFile(base: string, target: string, content: string | Uint8Array, mode = 0o666): void {
  refuseUnsafe(base, target);
  makeDirectories(base, path.dirname(target));
  writeExclusively(target, content, mode);
}

/**
 * Writes `target` (created, or replaced keeping its mode): the content goes to a new temporary file
 * beside it, which is then renamed over it, so a reader never sees half a file.
 */
export function replaceFile(base: string, target: string, content: string | Uint8Array): void {
  refuseUnsafe(base, target);
  makeDirectories(base, path.dirname(target));
  let mode: number | undefined;
  try {
    mode = fs.lstatSync(target).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
  writeExclusively(temporary, content, mode ?? 0o666, mode !== undefined);
  try {
    fs.renameSync(temporary, target);
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
}

function refuseUnsafe(base: string, target: string): void {
  const refusal = refusalToWrite(base, target);
  if (refusal !== undefined) throw new WriteRefusedError(refusal);
}

/** `base` as the caller has it (mkdir -p), then each missing directory below it, none of them a link. */
function makeDirectories(base: string, directory: string): void {
  fs.mkdirSync(base, { recursive: true });
  let current = base;
  for (const part of path.relative(base, directory).split(path.sep).filter((item) => item !== '')) {
    current = path.join(current, part);
    try {
      fs.mkdirSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stats = fs.lstatSync(current);
    if (stats.isSymbolicLink() || !stats.isDirectory()) throw new WriteRefusedError(`${path.relative(base, current).split(path.sep).join('/')} is ${stats.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}`);
  }
}

/** O_CREAT | O_EXCL | O_NOFOLLOW: only a file this call creates is written. `exactMode` ignores the umask. */
function writeExclusively(file: string, content: string | Uint8Array, mode: number, exactMode = false): void {
  const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
  const descriptor = fs.openSync(file, O_WRONLY | O_CREAT | O_EXCL | (O_NOFOLLOW ?? 0), mode);
  try {
    fs.writeFileSync(descriptor, content);
    if (exactMode) fs.fchmodSync(descriptor, mode);
  } catch (error) {
    fs.closeSync(descriptor);
    removeQuietly(file);
    throw error;
  }
  fs.closeSync(descriptor);
}

/** Unlinks the name this module created (unlink never follows a link); an error here must not hide the first one. */
function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // Already gone, or replaced by something we do not remove.
  }
}
