import { createHash } from 'node:crypto';
import { toolVersion } from '../version.js';
import type { LintConfig } from '../config/config.js';
import { FileStore } from '../project/file-store.js';
import type { RunContext } from './context.js';
import { cachePlace, readCache, writeCache } from './cache-file.js';
import { Memo } from './memo.js';
import type { Rule } from './rule.js';
import { lintPrepared, prepareRun, type LintRequest, type RunResult } from './run.js';
import { Timing } from './timing.js';

const MAX_ENTRIES = 4;

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
 * runLint through the cache at `location` (default: see cachePlace): the same call, the same result
 * (`cache` says whether it was a hit). Only a plain lint is cached; a run with fixes, an overlay or the gate
 * inputs goes straight to runLint. Findings read from the cache have their secrets masked.
 */
export async function lintWithCache(rootArgument: string, rules: readonly Rule[], request: LintRequest, run: RunContext, location?: string): Promise<RunResult> {
  const prepared = prepareRun(rootArgument, rules, request, run.timing);
  if (request.fix || request.overlay || run.gate) return lintPrepared(prepared, rules, request, run);
  const timing = run.timing ?? Timing.off;
  const place = cachePlace(prepared.root, location);
  const { data, key, cached } = timing.measure('cache', () => {
    const key = runKey(prepared.root, prepared.config, prepared.discovered, rules.map((rule) => rule.meta.id));
    const data = readCache(place);
    const entry = data.runs[key];
    const check = new FileStore(prepared.root, undefined, prepared.walked);
    const rechecked = entry && check.recheck(entry.accesses);
    if (!entry || !rechecked) return { data, key, cached: undefined };
    // Files touched (or checked out again) since: their bytes matched; keep their new stamps for next time.
    if (rechecked.restamped) {
      data.runs[key] = { ...entry, accesses: rechecked.accesses };
      writeCache(place, data);
    }
    return { data, key, cached: entry };
  });
  const unchanged = { changes: new Map(), notFixed: new Map(), applied: [], config: prepared.config };
  if (cached) return { root: prepared.root, findings: cached.findings, filesChecked: cached.filesChecked, ...unchanged, cache: { hit: true } };
  const memo = new Memo(new Map(Object.entries(data.memo)));
  const result = await lintPrepared(prepared, rules, request, { ...run, memo });
  data.memo = Object.fromEntries(memo.touchedEntries());
  // A changed repo replaces its entry; a few other keys (other --rule flags, say) are kept.
  const others = Object.entries(data.runs).filter(([other]) => other !== key).slice(-(MAX_ENTRIES - 1));
  data.runs = Object.fromEntries([...others, [key, { accesses: prepared.store.accesses, findings: result.findings, filesChecked: result.filesChecked }]]);
  const notWritten = timing.measure('cache', () => writeCache(place, data));
  return { ...result, cache: notWritten === undefined ? { hit: false } : { hit: false, notUsed: notWritten } };
}
