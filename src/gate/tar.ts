/**
 * A minimal tar reader for sdists (tar.gz): ustar headers with the 155-byte prefix, pax extended
 * headers (`x` for the next entry, `g` global: `path`, `size`) and GNU long names (`L`). Python's
 * tarfile writes pax since 3.8, older tools ustar or GNU. Only what the artifact checks need: the
 * names of the entries, and the bytes of those the caller asks for.
 *
 * It reads a stream: the gzip is inflated a small piece at a time and the tar read as it comes, so
 * memory holds one piece and the entries kept, never the archive. Every header is checked (its
 * checksum; a size that is a whole number, not negative, within limits.ts) and the bytes inflated
 * are counted: a tar bomb or a header that lies ends in an ArchiveError, never a loop or a crash.
 */
import fs from 'node:fs';
import { Gunzip } from 'fflate';
import { ARCHIVE_LIMITS, ArchiveError, megabytes, type ArchiveLimits } from './limits.js';

export interface TarEntry {
  name: string;
  /** '0' (or NUL) regular file, '5' directory, '2' symlink, ... */
  type: string;
  size: number;
  /** The entry's bytes when the caller's `keep` asked for them; empty otherwise. */
  data: Uint8Array;
}

/** Which entries' bytes to keep, by name. */
export type KeepEntry = (name: string) => boolean;

const BLOCK = 512;
/** Compressed bytes handed to the inflater at a time: a gzip inflates at most ~1000-fold, so one piece yields a few MB. */
const PIECE = 4096;
const READ_CHUNK = 64 * 1024;
const keepNone: KeepEntry = () => false;

/** The entries of a .tar.gz held in memory. */
export function readTarGz(bytes: Uint8Array, keep: KeepEntry = keepNone, limits: ArchiveLimits = ARCHIVE_LIMITS): TarEntry[] {
  const reader = new TarGzReader(keep, limits);
  for (let offset = 0; offset < bytes.length && !reader.done; offset += PIECE) reader.push(bytes.subarray(offset, offset + PIECE));
  return reader.finish();
}

/** The entries of a .tar.gz read from an open file, a chunk at a time. */
export function readTarGzFile(descriptor: number, keep: KeepEntry = keepNone, limits: ArchiveLimits = ARCHIVE_LIMITS): TarEntry[] {
  const reader = new TarGzReader(keep, limits);
  const chunk = Buffer.allocUnsafe(READ_CHUNK);
  let position = 0;
  while (!reader.done) {
    const read = fs.readSync(descriptor, chunk, 0, chunk.length, position);
    if (read === 0) break;
    position += read;
    for (let offset = 0; offset < read && !reader.done; offset += PIECE) reader.push(chunk.subarray(offset, Math.min(offset + PIECE, read)));
  }
  return reader.finish();
}

/** The entries of an uncompressed tar held in memory. */
export function readTar(bytes: Uint8Array, keep: KeepEntry = keepNone, limits: ArchiveLimits = ARCHIVE_LIMITS): TarEntry[] {
  const parser = new TarParser(keep, limits);
  parser.push(bytes);
  return parser.finish();
}

class TarGzReader {
  private readonly parser: TarParser;
  private readonly gunzip: Gunzip;
  private inflated = 0;

  constructor(keep: KeepEntry, limits: ArchiveLimits) {
    this.parser = new TarParser(keep, limits);
    this.gunzip = new Gunzip((data) => {
      if (this.parser.done) return;
      this.inflated += data.length;
      if (this.inflated > limits.inflatedBytes) throw new ArchiveError(`inflates to more than ${megabytes(limits.inflatedBytes)} (a tar or gzip bomb?); not read further`);
      this.parser.push(data);
    });
  }

  get done(): boolean {
    return this.parser.done;
  }

  push(piece: Uint8Array): void {
    this.gunzip.push(piece, false);
  }

  /** Ends the gzip stream (unless the tar ended first) and returns the entries. */
  finish(): TarEntry[] {
    if (!this.parser.done) this.gunzip.push(new Uint8Array(0), true);
    return this.parser.finish();
  }
}

/** Reads tar blocks as they arrive. */
class TarParser {
  done = false;
  private readonly entries: TarEntry[] = [];
  private readonly header = new Uint8Array(BLOCK);
  private headerFilled = 0;
  /** Bytes of the archive read so far (for messages). */
  private offset = 0;
  /** The entry whose data is being read, and how much of its data and padding is left. */
  private current: { entry: TarEntry; kind: 'pax' | 'global-pax' | 'long-name' | 'file'; kept: boolean; filled: number } | undefined;
  private remaining = 0;
  private padding = 0;
  private nextPax: Record<string, string> = {};
  private globalPax: Record<string, string> = {};
  private longName: string | undefined;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly keep: KeepEntry,
    private readonly limits: ArchiveLimits,
  ) {}

  push(bytes: Uint8Array): void {
    let index = 0;
    while (index < bytes.length && !this.done) {
      if (this.current) {
        const take = Math.min(this.remaining, bytes.length - index);
        if (this.current.kept) this.current.entry.data.set(bytes.subarray(index, index + take), this.current.filled);
        this.current.filled += take;
        this.remaining -= take;
        index += take;
        if (this.remaining === 0) this.endData();
        continue;
      }
      if (this.padding > 0) {
        const skip = Math.min(this.padding, bytes.length - index);
        this.padding -= skip;
        index += skip;
        continue;
      }
      const take = Math.min(BLOCK - this.headerFilled, bytes.length - index);
      this.header.set(bytes.subarray(index, index + take), this.headerFilled);
      this.headerFilled += take;
      index += take;
      if (this.headerFilled === BLOCK) {
        this.headerFilled = 0;
        this.readHeader();
        this.offset += BLOCK;
      }
    }
  }

  finish(): TarEntry[] {
    if (!this.done && (this.current || this.headerFilled > 0)) throw new ArchiveError('is truncated (the last entry ends early)');
    return this.entries;
  }

  private readHeader(): void {
    const header = this.header;
    if (header.every((byte) => byte === 0)) {
      this.done = true;
      return;
    }
    if (!checksumOk(header)) throw new ArchiveError(`is not a tar archive (bad header checksum at byte ${this.offset})`);
    const text = (start: number, length: number): string => {
      const field = header.subarray(start, start + length);
      const end = field.indexOf(0);
      return this.decoder.decode(end === -1 ? field : field.subarray(0, end));
    };
    const type = text(156, 1) || '0';
    const pax = { ...this.globalPax, ...this.nextPax };
    const size = pax.size !== undefined ? Number(pax.size) : readSize(header.subarray(124, 136));
    if (!Number.isSafeInteger(size) || size < 0) throw new ArchiveError(`has an invalid size in the tar header at byte ${this.offset}`);
    const magic = text(257, 6);
    const prefix = magic.startsWith('ustar') ? text(345, 155) : '';
    const headerName = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
    const kind = type === 'x' ? 'pax' : type === 'g' ? 'global-pax' : type === 'L' ? 'long-name' : 'file';
    const name = kind === 'file' ? (pax.path ?? this.longName ?? headerName).replace(/^\.\//, '') : headerName;
    if (size > this.limits.entryBytes) throw new ArchiveError(`has an entry (${name}) of ${megabytes(size)}, over the ${megabytes(this.limits.entryBytes)} limit for one file; not read further`);
    if (this.entries.length >= this.limits.entries) throw new ArchiveError(`has more than ${this.limits.entries} entries; not read further`);
    const kept = kind !== 'file' || this.keep(name);
    if (kept && size > this.limits.keptBytes) throw new ArchiveError(`has ${kind === 'file' ? name : 'a header'} of ${megabytes(size)}, over the ${megabytes(this.limits.keptBytes)} limit for metadata; not read further`);
    const entry: TarEntry = { name, type, size, data: kept ? new Uint8Array(size) : new Uint8Array(0) };
    if (kind === 'file') {
      this.entries.push(entry);
      this.nextPax = {};
      this.longName = undefined;
    }
    this.current = { entry, kind, kept, filled: 0 };
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.endData();
  }

  private endData(): void {
    const { entry, kind } = this.current!;
    this.current = undefined;
    this.offset += entry.size + this.padding;
    if (kind === 'pax') this.nextPax = parsePax(entry.data);
    else if (kind === 'global-pax') this.globalPax = { ...this.globalPax, ...parsePax(entry.data) };
    else if (kind === 'long-name') this.longName = this.decoder.decode(entry.data).replace(/\0+$/, '');
  }
}

function checksumOk(header: Uint8Array): boolean {
  const stored = parseInt(new TextDecoder().decode(header.subarray(148, 156)).replace(/[\0 ]+/g, ' ').trim(), 8);
  let sum = 0;
  for (let index = 0; index < BLOCK; index++) sum += index >= 148 && index < 156 ? 32 : header[index]!;
  return stored === sum;
}

/** Octal, or GNU base-256 (high bit set) for sizes of 8 GiB and more; NaN when neither (a sign, a stray character). */
function readSize(field: Uint8Array): number {
  if (field[0]! & 0x80) {
    if (field[0] === 0xff) return NaN; // base-256 negative
    let value = field[0]! & 0x7f;
    for (let index = 1; index < field.length; index++) value = value * 256 + field[index]!;
    return value;
  }
  const text = new TextDecoder().decode(field).replace(/[\0 ]+/g, ' ').trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : NaN;
}

/** pax records: "LENGTH key=value\n", LENGTH counting the whole record in bytes. */
function parsePax(bytes: Uint8Array): Record<string, string> {
  const records: Record<string, string> = {};
  const decoder = new TextDecoder();
  let offset = 0;
  while (offset < bytes.length) {
    let space = offset;
    while (space < bytes.length && bytes[space] !== 0x20) space++;
    const length = Number(decoder.decode(bytes.subarray(offset, space)));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = decoder.decode(bytes.subarray(space + 1, offset + length - 1));
    const equals = record.indexOf('=');
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}
