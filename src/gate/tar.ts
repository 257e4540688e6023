/**
 * A minimal tar reader for sdists (tar.gz): ustar headers with the 155-byte prefix, pax extended
 * headers (`x` for the next entry, `g` global: `path`, `size`) and GNU long names (`L`). Python's
 * tarfile writes pax since 3.8, older tools ustar or GNU. Only what the artifact checks need: the
 * names of regular files and their bytes.
 */
import { gunzipSync } from 'node:zlib';

export interface TarEntry {
  name: string;
  /** '0' (or NUL) regular file, '5' directory, '2' symlink, ... */
  type: string;
  data: Uint8Array;
}

const BLOCK = 512;

export function readTarGz(bytes: Uint8Array): TarEntry[] {
  return readTar(gunzipSync(bytes));
}

export function readTar(bytes: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  const decoder = new TextDecoder();
  let offset = 0;
  let nextPax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  let longName: string | undefined;
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    if (!checksumOk(header)) throw new Error(`not a tar archive (bad header checksum at byte ${offset})`);
    const text = (start: number, length: number): string => {
      const field = header.subarray(start, start + length);
      const end = field.indexOf(0);
      return decoder.decode(end === -1 ? field : field.subarray(0, end));
    };
    const type = text(156, 1) || '0';
    const pax = { ...globalPax, ...nextPax };
    const size = pax.size !== undefined ? Number(pax.size) : readSize(header.subarray(124, 136));
    const dataStart = offset + BLOCK;
    const data = bytes.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x' || type === 'g') {
      const records = parsePax(data);
      if (type === 'x') nextPax = records;
      else globalPax = { ...globalPax, ...records };
      continue;
    }
    if (type === 'L') {
      longName = decoder.decode(data).replace(/\0+$/, '');
      continue;
    }
    const magic = text(257, 6);
    const prefix = magic.startsWith('ustar') ? text(345, 155) : '';
    const headerName = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
    const name = pax.path ?? longName ?? headerName;
    entries.push({ name: name.replace(/^\.\//, ''), type, data });
    nextPax = {};
    longName = undefined;
  }
  return entries;
}

function checksumOk(header: Uint8Array): boolean {
  const stored = parseInt(new TextDecoder().decode(header.subarray(148, 156)).replace(/[\0 ]+/g, ' ').trim(), 8);
  let sum = 0;
  for (let index = 0; index < BLOCK; index++) sum += index >= 148 && index < 156 ? 32 : header[index]!;
  return stored === sum;
}

/** Octal, or GNU base-256 (high bit set) for sizes of 8 GiB and more. */
function readSize(field: Uint8Array): number {
  if (field[0]! & 0x80) {
    let value = field[0]! & 0x7f;
    for (let index = 1; index < field.length; index++) value = value * 256 + field[index]!;
    return value;
  }
  const text = new TextDecoder().decode(field).replace(/[\0 ]+/g, ' ').trim();
  return text === '' ? 0 : parseInt(text, 8);
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
