import { createHash } from 'node:crypto';
import { allRules } from '../../rules/index.js';
import { toolVersion } from '../cli/version.js';
import type { LintConfig } from '../config/config.js';
import { FileStore } from '../project/file-store.js';
import type { Finding } from '../types.js';
import { cachePlace, readCache, writeCache } from './cache-file.js';
import { Memo } from './memo.js';
import { lintPrepared, prepareRun, type RunOptions } from './run.js';
import { Timing } from './timing.js';

const MAX_ENTRIES = 4;

export interface CachedResult {
  root: string;
  findings: Finding[];
  filesChecked: number;
  /** The config the run read (hit or not: reading it is part of deciding). */
  config: LintConfig;
  /** True when the findings came from the cache. */
  hit: boolean;
  /** Why the cache was not used or not written (a link on the way, a file that is not a cache...). */
  notUsed?: string;
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

/**
 * Lints like runLint (without fixes or the gate), reusing or refreshing the cache at `location`
 * (default: see cachePlace). Findings read from the cache have their secrets masked.
 */
export async function runLintWithCache(rootArgument: string, options: RunOptions, location?: string): Promise<CachedResult> {
  const prepared = prepareRun(rootArgument, options);
  const timing = options.timing ?? Timing.off;
  const place = cachePlace(prepared.root, location);
  const ruleIds = (options.rules ?? allRules).map((rule) => rule.meta.id);
  const { data, key, cached } = timing.measure('cache', () => {
    const key = runKey(prepared.root, prepared.config, prepared.discovered, ruleIds);
    const data = readCache(place);
    const entry = data.runs[key];
    return { data, key, cached: entry && new FileStore(prepared.root).answersMatch(entry.accesses) ? entry : undefined };
  });
  if (cached) return { root: prepared.root, findings: cached.findings, filesChecked: cached.filesChecked, config: prepared.config, hit: true };
  const memo = new Memo(new Map(Object.entries(data.memo)));
  const result = await lintPrepared(prepared, { ...options, memo });
  data.memo = Object.fromEntries(memo.touchedEntries());
  const filesChecked = result.project.files.length;
  // A changed repo replaces its entry; a few other keys (other --rule flags, say) are kept.
  const others = Object.entries(data.runs).filter(([other]) => other !== key).slice(-(MAX_ENTRIES - 1));
  data.runs = Object.fromEntries([...others, [key, { accesses: [...prepared.store.accesses], findings: result.findings, filesChecked }]]);
  const notWritten = timing.measure('cache', () => writeCache(place, data));
  return { root: result.root, findings: result.findings, filesChecked, config: prepared.config, hit: false, ...(notWritten === undefined ? {} : { notUsed: notWritten }) };
}
