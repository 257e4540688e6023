/**
 * The --cache file: where it may be, what is trusted when read back, what is stored. The checkout
 * being linted may be hostile, so it must not be able to make the cache write somewhere (a link on the
 * way, a repo file at the location), to forge a result (a cache file planted in the checkout), or to
 * have a secret kept on disk.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { maskSecrets } from '../format/mask.js';
import { baseFor, refusalToWrite, replaceFile, writeNewFile, WriteRefusedError } from '../project/safe-write.js';
import type { Access } from '../project/file-store.js';
import type { Finding } from '../types.js';

/** The first line of a cache file; the HMAC of the JSON that follows it comes after it. */
const HEADER = 'pypi-release-lint cache 2 ';
/** What an older release's cache starts with: replaced, never read. */
const OLDER_FORMAT = '{"format":';
/** Far above any real cache (a few MB for a thousand packages); a bigger file is not read. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

export interface CachedRun {
  /** Every file-system question the run asked, with a fingerprint of its answer (and a file's stamp). */
  accesses: Access[];
  findings: Finding[];
  filesChecked: number;
}

export interface CacheData {
  runs: Record<string, CachedRun>;
  /** Results rules reuse across runs even when the run as a whole changed (actionlint per workflow). */
  memo: Record<string, unknown>;
}

/** Where the cache is read and written, and the directory below which no path component may be a link. */
export type CachePlace = { file: string; base: string } | { refused: string };

/**
 * Where the user asked (--cache-location); else the repo's own node_modules/.cache when the repo has
 * a real node_modules (as ESLint and babel do); else the user's cache directory, so a Python repo gets
 * no new untracked files. Within the repo, no component of the path may be a link; elsewhere the
 * user's own directories are taken as they are, but the cache file itself is never a link.
 */
export function cachePlace(root: string, requested: string | undefined): CachePlace {
  const place = locate(root, requested);
  const refusal = refusalToWrite(place.base, place.file);
  return refusal === undefined ? place : { refused: refusal };
}

function locate(root: string, requested: string | undefined): { file: string; base: string } {
  if (requested !== undefined) {
    const file = path.resolve(requested);
    return { file, base: baseFor(root, file) };
  }
  // A node_modules that is a link (or anything but a directory) is located here too, and refused.
  if (present(path.join(root, 'node_modules'))) {
    return { file: path.join(root, 'node_modules', '.cache', 'pypi-release-lint', 'cache.json'), base: root };
  }
  const rootId = createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 16);
  return { file: path.join(userCacheDirectory(), 'pypi-release-lint', `${rootId}.json`), base: userCacheDirectory() };
}

/** Whether anything is at that name, a dangling link included. */
function present(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function userCacheDirectory(): string {
  return process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
}

/**
 * The cache at `place`, or an empty one: a file that is missing, too big, not signed with this
 * user's key (planted, or from another machine), not JSON, or of the wrong shape is not trusted.
 * Runs of the wrong shape are dropped one by one; memo entries are trusted as signed.
 */
export function readCache(place: CachePlace): CacheData {
  const empty: CacheData = { runs: {}, memo: {} };
  const text = 'refused' in place ? undefined : readSmallFile(place.file)?.toString('utf8');
  const key = text?.startsWith(HEADER) ? signingKey() : undefined;
  if (text === undefined || key === undefined) return empty;
  const newline = text.indexOf('\n');
  const body = text.slice(newline + 1);
  if (newline < 0 || !sameSignature(text.slice(HEADER.length, newline), sign(key, body))) return empty;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return empty;
  }
  if (!isRecord(data) || !isRecord(data.runs) || !isRecord(data.memo)) return empty;
  const runs = Object.fromEntries(Object.entries(data.runs).filter((entry): entry is [string, CachedRun] => isCachedRun(entry[1])));
  return { runs, memo: data.memo };
}

/**
 * Writes the cache (masked, signed) unless `place` was refused or holds a file that is not a cache:
 * returns why it was not written, or undefined.
 */
export function writeCache(place: CachePlace, data: CacheData): string | undefined {
  if ('refused' in place) return place.refused;
  const existing = readSmallFile(place.file, HEADER.length)?.toString('utf8');
  if (existing !== undefined && existing !== '' && !existing.startsWith(HEADER) && !existing.startsWith(OLDER_FORMAT)) {
    return `${place.file} is not a pypi-release-lint cache; not overwritten`;
  }
  const key = signingKey();
  if (key === undefined) return `no key to sign it with in ${path.join(userCacheDirectory(), 'pypi-release-lint')}`;
  // Masked as the output boundary masks (src/format/mask.ts): a finding read back is shown as it was the first time.
  const body = JSON.stringify(storable(data), (_key, value: unknown) => (typeof value === 'string' ? maskSecrets(value) : value));
  try {
    replaceFile(place.base, place.file, `${HEADER}${sign(key, body)}\n${body}`);
  } catch (error) {
    if (error instanceof WriteRefusedError) return error.message;
    // A read-only location costs the next run its speed, nothing else.
    return `${place.file} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  return undefined;
}

/**
 * What the cache keeps of a run: findings without their fixes' edits (a cached run never fixes; the
 * edits would only copy file text), and no run that asked about a path holding a secret (the masked
 * question could no longer be asked again).
 */
function storable(data: CacheData): CacheData {
  const runs = Object.entries(data.runs)
    .filter(([, run]) => run.accesses.every(([question]) => maskSecrets(question) === question))
    .map(([key, run]): [string, CachedRun] => [key, { ...run, findings: run.findings.map((finding) => (finding.fix ? { ...finding, fix: { ...finding.fix, edits: [] } } : finding)) }]);
  return { runs: Object.fromEntries(runs), memo: data.memo };
}

/**
 * A random key kept in the user's cache directory (never in a checkout): a cache file is trusted only
 * with its signature, so a cache file committed to a repository cannot forge a clean result.
 */
function signingKey(): Buffer | undefined {
  const base = userCacheDirectory();
  const file = path.join(base, 'pypi-release-lint', 'key');
  if (refusalToWrite(base, file) !== undefined) return undefined;
  try {
    writeNewFile(base, file, randomBytes(32), 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  const key = readSmallFile(file);
  return key?.length === 32 ? key : undefined;
}

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('hex');
}

function sameSignature(found: string, expected: string): boolean {
  return found.length === expected.length && timingSafeEqual(Buffer.from(found), Buffer.from(expected));
}

/**
 * A regular file's bytes (its first `limit` when given), or undefined: missing, a link, not a regular
 * file (O_NONBLOCK: a FIFO planted there does not hang the open), or too big.
 */
function readSmallFile(file: string, limit?: number): Buffer | undefined {
  let descriptor: number | undefined;
  try {
    const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
    descriptor = fs.openSync(file, O_RDONLY | (O_NOFOLLOW ?? 0) | (O_NONBLOCK ?? 0));
    const stats = fs.fstatSync(descriptor);
    if (!stats.isFile() || stats.size > MAX_CACHE_BYTES) return undefined;
    const buffer = Buffer.alloc(Math.min(stats.size, limit ?? stats.size));
    const length = fs.readSync(descriptor, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length);
  } catch {
    return undefined;
  } finally {
    if (descriptor !== undefined) fs.closeSync(descriptor);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;

function isCachedRun(value: unknown): value is CachedRun {
  return (
    isRecord(value) &&
    Array.isArray(value.accesses) &&
    value.accesses.every((access) => Array.isArray(access) && (access.length === 2 || access.length === 3) && access.every(isString)) &&
    Array.isArray(value.findings) &&
    value.findings.every(isFinding) &&
    isCount(value.filesChecked)
  );
}

function isFinding(value: unknown): value is Finding {
  if (!isRecord(value)) return false;
  const { ruleId, severity, file, message, line, column, endLine, endColumn, fix, kind } = value;
  return (
    isString(ruleId) &&
    (severity === 'error' || severity === 'warning' || severity === 'info') &&
    isString(file) &&
    isString(message) &&
    isCount(line) &&
    isCount(column) &&
    (endLine === undefined || isCount(endLine)) &&
    (endColumn === undefined || isCount(endColumn)) &&
    (kind === undefined || isString(kind)) &&
    (fix === undefined || (isRecord(fix) && (fix.applicability === 'safe' || fix.applicability === 'unsafe') && isString(fix.description) && Array.isArray(fix.edits) && fix.edits.length === 0))
  );
}
