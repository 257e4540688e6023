import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allRules } from '../../rules/index.js';
import { toolVersion } from '../cli/version.js';
import type { LintConfig } from '../config/config.js';
import { FileStore } from '../project/file-store.js';
import type { Finding } from '../types.js';
import { Memo } from './memo.js';
import { lintPrepared, prepareRun, type RunOptions } from './run.js';

const CACHE_FORMAT = 1;
const MAX_ENTRIES = 4;

interface CachedRun {
  /** Every file-system question the run asked, with a fingerprint of its answer. */
  accesses: [string, string][];
  findings: Finding[];
  filesChecked: number;
}

interface CacheData {
  format: number;
  runs: Record<string, CachedRun>;
  /** Results rules reuse across runs even when the run as a whole changed (actionlint per workflow). */
  memo: Record<string, unknown>;
}

export interface CachedResult {
  root: string;
  findings: Finding[];
  filesChecked: number;
  /** True when the findings came from the cache. */
  hit: boolean;
}

/**
 * Where the cache lives by default: node_modules/.cache when the repo has node_modules (as ESLint
 * and babel do), else the user's cache directory, so a Python repo gets no new untracked files.
 */
export function defaultCacheLocation(root: string): string {
  const nodeModules = path.join(root, 'node_modules');
  if (fs.existsSync(nodeModules)) return path.join(nodeModules, '.cache', 'pypi-release-lint', 'cache.json');
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const rootId = createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 16);
  return path.join(base, 'pypi-release-lint', `${rootId}.json`);
}

/**
 * A lint run keyed by everything that decides its result besides file contents: the tool version,
 * the resolved config, the rule set and the discovered file list. An entry is reused when the same
 * questions to the file system (reads, stats, listings, globs) get the same answers, so a repo
 * that did not change re-lints without parsing anything.
 */
function runKey(root: string, config: LintConfig, discovered: unknown, ruleIds: string[]): string {
  const configKey = { ...config, rules: [...config.rules], packageWorkflows: [...config.packageWorkflows] };
  return createHash('sha256').update(JSON.stringify([toolVersion(), root, configKey, discovered, ruleIds])).digest('base64url');
}

function readCache(location: string): CacheData {
  try {
    const data = JSON.parse(fs.readFileSync(location, 'utf8')) as CacheData;
    if (data.format === CACHE_FORMAT && data.runs && typeof data.runs === 'object') return { ...data, memo: data.memo ?? {} };
  } catch {
    // A missing or corrupt cache is an empty one.
  }
  return { format: CACHE_FORMAT, runs: {}, memo: {} };
}

function writeCache(location: string, data: CacheData): void {
  try {
    fs.mkdirSync(path.dirname(location), { recursive: true });
    const temporary = `${location}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(data));
    fs.renameSync(temporary, location);
  } catch {
    // The cache only saves time: a read-only location costs the next run its speed, nothing else.
  }
}

/** Lints like runLint (without fixes or the gate), reusing or refreshing the cache at `location`. */
export async function runLintWithCache(rootArgument: string, options: RunOptions, location: string): Promise<CachedResult> {
  const prepared = prepareRun(rootArgument, options);
  const ruleIds = (options.rules ?? allRules).map((rule) => rule.meta.id);
  const key = runKey(prepared.root, prepared.config, prepared.discovered, ruleIds);
  const data = readCache(location);
  const cached = data.runs[key];
  if (cached && new FileStore(prepared.root).answersMatch(cached.accesses)) {
    return { root: prepared.root, findings: cached.findings, filesChecked: cached.filesChecked, hit: true };
  }
  const memo = new Memo(new Map(Object.entries(data.memo)));
  const result = await lintPrepared(prepared, { ...options, memo });
  data.memo = Object.fromEntries(memo.touchedEntries());
  const filesChecked = result.project.files.length;
  // A changed repo replaces its entry; a few other keys (other --rule flags, say) are kept.
  const others = Object.entries(data.runs).filter(([other]) => other !== key).slice(-(MAX_ENTRIES - 1));
  data.runs = Object.fromEntries([...others, [key, { accesses: [...prepared.store.accesses], findings: result.findings, filesChecked }]]);
  writeCache(location, data);
  return { root: result.root, findings: result.findings, filesChecked, hit: false };
}
