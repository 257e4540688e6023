/**
 * Reading a file of a checkout nobody has reviewed: only a regular file is read, never a FIFO (whose
 * open waits for a writer forever), a device (`/dev/zero` never ends) or a socket, and never more
 * than a limit, counted while reading: a file can grow after it was measured, and some files say
 * they are empty. The file is opened without blocking and, unless asked, without following a link
 * in its last component; its type and size come from the open descriptor, so a file swapped after
 * a check is still caught. Failures are returned as a one-line reason, never thrown.
 */
import fs from 'node:fs';

/** Files larger than this are reported, not read: no release config is anywhere near it. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export type SafeRead = { ok: true; bytes: Buffer } | { ok: false; reason: string };

const CHUNK_BYTES = 64 * 1024;

export interface SafeReadOptions {
  /** Follow a symlink in the last component (the caller resolved and checked the path). Default false. */
  followLinks?: boolean;
}

/** A regular file opened for reading (safe-read.ts's rules), or why not; the caller closes it. */
export type OpenedFile = { ok: true; descriptor: number; size: number } | { ok: false; reason: string };

export function openRegularFile(file: string, options: SafeReadOptions = {}): OpenedFile {
  const { O_RDONLY, O_NONBLOCK = 0, O_NOFOLLOW = 0 } = fs.constants;
  let descriptor: number;
  try {
    descriptor = fs.openSync(file, O_RDONLY | O_NONBLOCK | (options.followLinks ? 0 : O_NOFOLLOW));
  } catch (error) {
    return { ok: false, reason: describeError(error, 'the file') };
  }
  try {
    const stat = fs.fstatSync(descriptor);
    if (stat.isFile()) return { ok: true, descriptor, size: stat.size };
    fs.closeSync(descriptor);
    return { ok: false, reason: `the path is ${describeKind(stat)}, not a regular file; not read` };
  } catch (error) {
    fs.closeSync(descriptor);
    return { ok: false, reason: describeError(error, 'the file') };
  }
}

export function readRegularFile(file: string, maxBytes: number, options: SafeReadOptions = {}): SafeRead {
  const opened = openRegularFile(file, options);
  if (!opened.ok) return opened;
  const { descriptor, size } = opened;
  try {
    if (size > maxBytes) return { ok: false, reason: tooLarge(maxBytes, size) };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
      const read = fs.readSync(descriptor, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) return { ok: false, reason: tooLarge(maxBytes) };
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    return { ok: false, reason: describeError(error, 'the file') };
  } finally {
    fs.closeSync(descriptor);
  }
}

const MIB = 1024 * 1024;

function tooLarge(maxBytes: number, size?: number): string {
  const limit = `${maxBytes / MIB} MB`;
  return size === undefined ? `the file is over the ${limit} limit; not read` : `the file is ${(size / MIB).toFixed(1)} MB, over the ${limit} limit; not read`;
}

/** What a file-system entry that is not a regular file is: 'a named pipe (FIFO)', 'a device'... */
export function describeKind(stat: Pick<fs.Stats, 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'a special file';
}

/** A file-system error as a one-line reason about `subject` ('the file', 'the directory'): what went wrong and its code. */
export function describeError(error: unknown, subject: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `${subject} cannot be read: permission denied (${code}); not read`;
    case 'ELOOP':
      return `${subject} is a symbolic link (or a loop of them); not followed`;
    case 'ENAMETOOLONG':
      return `${subject} cannot be read: its path is longer than the system allows (ENAMETOOLONG); not read`;
    case 'ENOENT':
      return `${subject} does not exist (ENOENT)`;
    default:
      return `${subject} cannot be read (${code ?? 'error'}); not read`;
  }
}

/** Whether a path exists as anything, a dangling link included (lstat: the link itself, never its target). */
export function lexists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
