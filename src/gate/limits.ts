/**
 * What the gate reads of a built archive, at most. A build backend is code from the checkout, and
 * what it writes to dist/ may be built to hurt the reader: a 2 MB gzip of zeros inflates to 2 GB, a
 * tar header can claim any size (or a negative one), a zip can claim entries it does not hold.
 * Past a limit the archive is reported (gate/artifact), never read further.
 */
export interface ArchiveLimits {
  /** Bytes inflated from one archive, in all. */
  inflatedBytes: number;
  /** Bytes of one entry (a tar member's declared size). */
  entryBytes: number;
  /** Bytes of an entry the gate keeps and reads (a wheel's METADATA, an sdist's PKG-INFO). */
  keptBytes: number;
  /** Members of one archive. */
  entries: number;
}

/**
 * PyPI takes files of at most 100 MB unless a project asks for more; an sdist that inflates past a
 * gigabyte, a file of it over 256 MB, metadata over 16 MB (it holds the readme) or 200 000 members
 * is no release anyone means to upload.
 */
export const ARCHIVE_LIMITS: ArchiveLimits = {
  inflatedBytes: 1024 * 1024 * 1024,
  entryBytes: 256 * 1024 * 1024,
  keptBytes: 16 * 1024 * 1024,
  entries: 200_000,
};

/** An archive that is malformed or over a limit: its message is the finding's. */
export class ArchiveError extends Error {}

export function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
