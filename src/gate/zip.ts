/**
 * A minimal zip reader for wheels, reading from an open file by offset: the central directory for
 * the names, and only the members the caller asks for (a wheel's METADATA). Nothing else is
 * inflated, so a zip bomb costs nothing; a member that is inflated stops at the per-entry limit.
 * Every offset and count is checked against the file before it is used (limits.ts): a central
 * directory that claims more entries than it can hold, or points outside the file, is an
 * ArchiveError, never a loop.
 */
import fs from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { ARCHIVE_LIMITS, ArchiveError, megabytes, type ArchiveLimits } from './limits.js';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER_BYTES = 46;
/** The end record (22 bytes) plus the longest comment. */
const MAX_TAIL = 22 + 0xffff;

/** Reads byte ranges of an open file (or of bytes in memory, for tests). */
export interface ByteSource {
  size: number;
  read(offset: number, length: number): Uint8Array;
}

export function fileSource(descriptor: number, size: number): ByteSource {
  return {
    size,
    read(offset, length) {
      const buffer = Buffer.alloc(length);
      const read = fs.readSync(descriptor, buffer, 0, length, offset);
      if (read !== length) throw new ArchiveError('is truncated');
      return buffer;
    },
  };
}

export function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) };
}

/** The members listed in the central directory. */
export function readZipEntries(source: ByteSource, limits: ArchiveLimits = ARCHIVE_LIMITS): ZipEntry[] {
  const tailStart = Math.max(0, source.size - MAX_TAIL);
  const tail = source.read(tailStart, source.size - tailStart);
  const view = viewOf(tail);
  let end = -1;
  for (let index = tail.length - 22; index >= 0; index--) {
    if (view.getUint32(index, true) === END_OF_CENTRAL_DIRECTORY) {
      end = index;
      break;
    }
  }
  if (end < 0) throw new ArchiveError('is not a zip archive (no end of central directory)');
  let count = view.getUint16(end + 10, true);
  let directorySize = view.getUint32(end + 12, true);
  let directoryOffset = view.getUint32(end + 16, true);
  if (end >= 20 && view.getUint32(end - 20, true) === ZIP64_LOCATOR) {
    const recordOffset = Number(view.getBigUint64(end - 12, true));
    if (recordOffset + 56 > source.size) throw new ArchiveError('has a zip64 record outside the file');
    const record = viewOf(source.read(recordOffset, 56));
    if (record.getUint32(0, true) !== ZIP64_END) throw new ArchiveError('has a broken zip64 record');
    count = Number(record.getBigUint64(32, true));
    directorySize = Number(record.getBigUint64(40, true));
    directoryOffset = Number(record.getBigUint64(48, true));
  }
  if (directoryOffset + directorySize > source.size) throw new ArchiveError('has a central directory outside the file');
  if (count > directorySize / CENTRAL_HEADER_BYTES) throw new ArchiveError(`claims ${count} entries that its central directory cannot hold`);
  if (count > limits.entries) throw new ArchiveError(`has more than ${limits.entries} entries; not read further`);
  const directory = source.read(directoryOffset, directorySize);
  const headers = viewOf(directory);
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  let offset = 0;
  for (let index = 0; index < count; index++) {
    if (offset + CENTRAL_HEADER_BYTES > directory.length || headers.getUint32(offset, true) !== CENTRAL_HEADER) throw new ArchiveError('has a broken central directory');
    const nameLength = headers.getUint16(offset + 28, true);
    const extraLength = headers.getUint16(offset + 30, true);
    const commentLength = headers.getUint16(offset + 32, true);
    const next = offset + CENTRAL_HEADER_BYTES + nameLength + extraLength + commentLength;
    if (next > directory.length) throw new ArchiveError('has a broken central directory');
    const entry: ZipEntry = {
      name: decoder.decode(directory.subarray(offset + CENTRAL_HEADER_BYTES, offset + CENTRAL_HEADER_BYTES + nameLength)),
      method: headers.getUint16(offset + 10, true),
      compressedSize: headers.getUint32(offset + 20, true),
      size: headers.getUint32(offset + 24, true),
      localHeaderOffset: headers.getUint32(offset + 42, true),
    };
    readZip64Extra(headers, offset + CENTRAL_HEADER_BYTES + nameLength, extraLength, entry);
    entries.push(entry);
    offset = next;
  }
  return entries;
}

/** A zip64 extra field holds the 64-bit values of the fields written as 0xffffffff, in order. */
function readZip64Extra(view: DataView, start: number, length: number, entry: ZipEntry): void {
  for (let offset = start; offset + 4 <= start + length; ) {
    const id = view.getUint16(offset, true);
    const size = view.getUint16(offset + 2, true);
    if (id === 0x0001) {
      let field = offset + 4;
      const take = (): number | undefined => {
        if (field + 8 > offset + 4 + size) return undefined;
        const value = Number(view.getBigUint64(field, true));
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = take() ?? entry.size;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take() ?? entry.compressedSize;
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = take() ?? entry.localHeaderOffset;
      return;
    }
    offset += 4 + size;
  }
}

/** The bytes of one member, inflated to at most the limit for metadata (whatever its header claims). */
export function readZipEntry(source: ByteSource, entry: ZipEntry, limits: ArchiveLimits = ARCHIVE_LIMITS): Uint8Array {
  if (entry.localHeaderOffset + 30 > source.size) throw new ArchiveError(`has ${entry.name} outside the file`);
  const local = viewOf(source.read(entry.localHeaderOffset, 30));
  if (local.getUint32(0, true) !== LOCAL_HEADER) throw new ArchiveError(`has a broken local header for ${entry.name}`);
  const dataStart = entry.localHeaderOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
  if (dataStart + entry.compressedSize > source.size) throw new ArchiveError(`has ${entry.name} running past the end of the file`);
  if (entry.compressedSize > limits.keptBytes) throw new ArchiveError(`has ${entry.name} of ${megabytes(entry.compressedSize)}, over the ${megabytes(limits.keptBytes)} limit for metadata`);
  const compressed = source.read(dataStart, entry.compressedSize);
  if (entry.method === 0) return compressed;
  if (entry.method !== 8) throw new ArchiveError(`stores ${entry.name} with compression method ${entry.method}, which pip cannot read`);
  try {
    return inflateRawSync(compressed, { maxOutputLength: limits.keptBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new ArchiveError(`has ${entry.name} that inflates past the ${megabytes(limits.keptBytes)} limit for metadata (a zip bomb?)`);
    }
    throw new ArchiveError(`has ${entry.name} that does not inflate (${(error as Error).message})`);
  }
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
