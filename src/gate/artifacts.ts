/**
 * Reading built distributions: a wheel is a zip (./zip.ts), an sdist a tar.gz (./tar.ts). What the
 * artifact checks need is the list of files and the core metadata (wheel `*.dist-info/METADATA`,
 * sdist `NAME-VERSION/PKG-INFO`), parsed as the RFC 822 headers the core metadata spec describes.
 * What the build wrote is read as a stream or by offset, only if it is a regular file, and within
 * the limits of limits.ts: anything else is the artifact's `problem`, reported by gate/artifact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openRegularFile } from '../project/safe-read.js';
import { ArchiveError } from './limits.js';
import { readTarGz, readTarGzFile, type KeepEntry, type TarEntry } from './tar.js';
import { fileSource, memorySource, readZipEntries, readZipEntry, type ByteSource } from './zip.js';

export type ArtifactKind = 'wheel' | 'sdist';

/** Core metadata headers (Name, Version, Requires-Dist...), by lower-cased field name. */
export class CoreMetadata {
  constructor(private readonly headers: ReadonlyMap<string, readonly string[]>) {}

  static parse(text: string): CoreMetadata {
    const headers = new Map<string, string[]>();
    let last: { name: string; index: number } | undefined;
    for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
      if (line === '') break; // the body (the long description) follows
      if (/^[ \t]/.test(line) && last) {
        const values = headers.get(last.name)!;
        values[last.index] = `${values[last.index]}\n${line.trim()}`;
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const values = headers.get(name) ?? [];
      values.push(line.slice(colon + 1).trim());
      headers.set(name, values);
      last = { name, index: values.length - 1 };
    }
    return new CoreMetadata(headers);
  }

  get(field: string): string | undefined {
    return this.headers.get(field.toLowerCase())?.[0];
  }

  all(field: string): readonly string[] {
    return this.headers.get(field.toLowerCase()) ?? [];
  }
}

export interface Artifact {
  kind: ArtifactKind;
  fileName: string;
  /** The archive's size in bytes. */
  bytes: number;
  /**
   * Regular files: for a wheel every path in the zip; for an sdist the paths below its single
   * top-level directory (`pkg-1.0/README.md` → `README.md`).
   */
  files: string[];
  /** The sdist's top-level directory (`pkg-1.0`); '' for a wheel. */
  root: string;
  metadata: CoreMetadata | undefined;
  /** Where the metadata was read from, inside the archive. */
  metadataPath: string | undefined;
  /** Why the archive (or its metadata) could not be read. */
  problem: string | undefined;
}

export function artifactKind(fileName: string): ArtifactKind | undefined {
  if (fileName.endsWith('.whl')) return 'wheel';
  if (fileName.endsWith('.tar.gz')) return 'sdist';
  return undefined;
}

export function readArtifact(filePath: string): Artifact {
  const fileName = path.basename(filePath);
  const kind = artifactKind(fileName);
  if (!kind) throw new Error(`not a wheel or sdist: ${fileName}`);
  const opened = openRegularFile(filePath);
  const bytes = opened.ok ? opened.size : 0;
  const unreadable = (reason: string): Artifact => ({ kind, fileName, bytes, files: [], root: '', metadata: undefined, metadataPath: undefined, problem: `cannot read ${fileName}: ${reason}` });
  if (!opened.ok) return unreadable(opened.reason);
  try {
    return kind === 'wheel' ? wheelFrom(fileName, bytes, fileSource(opened.descriptor, opened.size)) : sdistFrom(fileName, bytes, readTarGzFile(opened.descriptor, isPkgInfo));
  } catch (error) {
    return unreadable(error instanceof ArchiveError ? `the archive ${error.message}` : (error as Error).message);
  } finally {
    fs.closeSync(opened.descriptor);
  }
}

/** A wheel held in memory (tests). */
export function readWheel(fileName: string, bytes: Uint8Array): Artifact {
  return wheelFrom(fileName, bytes.length, memorySource(bytes));
}

/** An sdist held in memory (tests). */
export function readSdist(fileName: string, bytes: Uint8Array): Artifact {
  return sdistFrom(fileName, bytes.length, readTarGz(bytes, isPkgInfo));
}

const METADATA_PATH = /^[^/]+\.dist-info\/METADATA$/;

function wheelFrom(fileName: string, bytes: number, source: ByteSource): Artifact {
  const entries = readZipEntries(source);
  const files = entries.map((entry) => entry.name).filter((name) => !name.endsWith('/')).sort();
  const metadataEntries = entries.filter((entry) => METADATA_PATH.test(entry.name));
  const metadataPath = metadataEntries[0]?.name;
  const problem =
    metadataEntries.length === 0 ? `${fileName} has no *.dist-info/METADATA` : metadataEntries.length > 1 ? `${fileName} has several .dist-info directories: ${metadataEntries.map((entry) => entry.name).join(', ')}` : undefined;
  const metadata = metadataEntries[0] ? CoreMetadata.parse(new TextDecoder().decode(readZipEntry(source, metadataEntries[0]))) : undefined;
  return { kind: 'wheel', fileName, bytes, files, root: '', metadata, metadataPath, problem };
}

/** The sdist's own PKG-INFO (`NAME-VERSION/PKG-INFO`): the only member whose bytes are kept. */
const isPkgInfo: KeepEntry = (name) => /^[^/]+\/PKG-INFO$/.test(name);

function sdistFrom(fileName: string, bytes: number, entries: TarEntry[]): Artifact {
  const regular = entries.filter((entry) => entry.type === '0' || entry.type === '\0' || entry.type === '7');
  const tops = new Set(entries.map((entry) => entry.name.split('/')[0]!).filter(Boolean));
  const root = tops.size === 1 ? [...tops][0]! : '';
  const files = regular
    .map((entry) => (root ? entry.name.slice(root.length + 1) : entry.name))
    .filter(Boolean)
    .sort();
  const pkgInfo = root ? regular.find((entry) => entry.name === `${root}/PKG-INFO`) : undefined;
  const listed = [...tops].slice(0, 5).join(', ') + (tops.size > 5 ? `, and ${tops.size - 5} more` : '');
  const problem = tops.size !== 1 ? `${fileName} does not unpack into a single directory (${listed})` : pkgInfo ? undefined : `${fileName} has no ${root}/PKG-INFO`;
  const metadata = pkgInfo ? CoreMetadata.parse(new TextDecoder().decode(pkgInfo.data)) : undefined;
  return { kind: 'sdist', fileName, bytes, files, root, metadata, metadataPath: pkgInfo?.name, problem };
}
