import fs from 'node:fs';
import path from 'node:path';

/** Files larger than this are reported, not read: no release config is anywhere near it. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

// ignoreBOM keeps the BOM in the text, so SourceFile can remember it and write it back.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads repo files once each, within the root. During --fix passes it serves the fixed text from
 * memory (`overlay`) so re-linting sees the edits before anything is written.
 */
export class FileStore {
  private readonly cache = new Map<string, ReadResult>();
  private readonly realRoot: string;

  constructor(
    readonly root: string,
    private readonly overlay: ReadonlyMap<string, string> = new Map(),
  ) {
    this.realRoot = safeRealpath(root) ?? path.resolve(root);
  }

  /** A new store that sees `overlay` on top of the files this one already read. */
  withOverlay(overlay: ReadonlyMap<string, string>): FileStore {
    const store = new FileStore(this.root, overlay);
    for (const [file, result] of this.cache) if (!overlay.has(file)) store.cache.set(file, result);
    return store;
  }

  read(relativePath: string): ReadResult {
    const overlaid = this.overlay.get(relativePath);
    if (overlaid !== undefined) return { ok: true, text: overlaid };
    let result = this.cache.get(relativePath);
    if (!result) {
      result = this.readFromDisk(relativePath);
      this.cache.set(relativePath, result);
    }
    return result;
  }

  exists(relativePath: string): boolean {
    if (this.overlay.has(relativePath)) return true;
    const absolute = this.absolute(relativePath);
    return absolute !== undefined && fs.existsSync(absolute);
  }

  list(relativePath: string): string[] {
    const absolute = this.absolute(relativePath);
    if (absolute === undefined) return [];
    try {
      return fs.readdirSync(absolute).sort();
    } catch {
      return [];
    }
  }

  /** The absolute path of a repo file, or undefined when it resolves outside the root. */
  absolute(relativePath: string): string | undefined {
    const joined = path.resolve(this.root, relativePath);
    const real = safeRealpath(joined);
    if (real === undefined) {
      // A file that does not exist yet: judge by its parent directory.
      const parent = safeRealpath(path.dirname(joined));
      return parent !== undefined && this.inside(parent) ? joined : undefined;
    }
    return this.inside(real) ? joined : undefined;
  }

  private inside(real: string): boolean {
    return real === this.realRoot || real.startsWith(this.realRoot + path.sep);
  }

  private readFromDisk(relativePath: string): ReadResult {
    const absolute = this.absolute(relativePath);
    if (absolute === undefined) return { ok: false, reason: 'the path leads outside the repository (symlink); not read' };
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      return { ok: false, reason: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
    if (!stat.isFile()) return { ok: false, reason: 'not a regular file' };
    if (stat.size > MAX_FILE_BYTES) {
      return { ok: false, reason: `the file is ${(stat.size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1024 / 1024} MB limit; not read` };
    }
    const bytes = fs.readFileSync(absolute);
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
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}
