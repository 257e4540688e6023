/**
 * `--baseline FILE`, for adopting the linter on a repository that already has findings (ESLint's bulk
 * suppressions and ruff's `--add-noqa` are the models): the file lists the findings of the run that
 * wrote it, and a later run reports only the others. A finding is known by its rule (and kind), its
 * file and its message, never its line, so edits that shift lines keep it known; line numbers a message
 * quotes (`publish.yml:12`, `line 12`) are left out of the comparison for the same reason. Each
 * entry has a count: a second finding of the same kind in the same file is new.
 */
import { maskSecrets } from '../format/mask.js';
import type { Finding } from '../types.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  kind?: string;
  file: string;
  /** As it was reported, secrets masked (the file is committed). */
  message: string;
  count: number;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  entries: BaselineEntry[];
}

/** What a message says, without the line numbers it quotes. */
function stableMessage(message: string): string {
  return maskSecrets(message)
    .replace(/(\.[A-Za-z0-9]+):\d+(?::\d+)?\b/g, '$1:_')
    .replace(/\b(lines?) \d+(?:[-–]\d+)?\b/g, '$1 _');
}

function fingerprint(entry: Pick<Finding, 'ruleId' | 'kind' | 'file' | 'message'>): string {
  return [entry.ruleId, entry.kind ?? '', entry.file, stableMessage(entry.message)].join('\0');
}

/** The baseline of these findings, sorted so that the file diffs well. */
export function createBaseline(findings: readonly Finding[]): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const finding of findings) {
    const key = fingerprint(finding);
    const entry = entries.get(key);
    if (entry) entry.count++;
    else entries.set(key, { ruleId: finding.ruleId, ...(finding.kind ? { kind: finding.kind } : {}), file: finding.file, message: maskSecrets(finding.message), count: 1 });
  }
  const order = (entry: BaselineEntry): string => `${entry.file}\0${entry.ruleId}\0${entry.kind ?? ''}\0${entry.message}`;
  return { version: BASELINE_VERSION, entries: [...entries.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)) };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** The baseline in a file's text, or why it is not one (one line). */
export function parseBaseline(text: string): Baseline | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  const data = value as Partial<Baseline> | null;
  if (typeof data !== 'object' || data === null || data.version !== BASELINE_VERSION || !Array.isArray(data.entries)) {
    return `not a version ${BASELINE_VERSION} baseline of pypi-release-lint`;
  }
  const valid = data.entries.every(
    (entry: Partial<BaselineEntry> | null) =>
      typeof entry === 'object' && entry !== null && typeof entry.ruleId === 'string' && typeof entry.file === 'string' && typeof entry.message === 'string' &&
      (entry.kind === undefined || typeof entry.kind === 'string') && Number.isInteger(entry.count) && entry.count! > 0,
  );
  return valid ? (data as Baseline) : 'an entry lacks ruleId, file, message or a positive count';
}

export interface BaselineOutcome {
  /** The findings the baseline does not hold: what the run reports. */
  fresh: Finding[];
  /** How many findings the baseline held back. */
  known: number;
  /** How many of the baseline's findings are gone (fixed, or changed): rewrite it to drop them. */
  gone: number;
}

export function applyBaseline(baseline: Baseline, findings: readonly Finding[]): BaselineOutcome {
  const left = new Map<string, number>();
  for (const entry of baseline.entries) left.set(fingerprint(entry), (left.get(fingerprint(entry)) ?? 0) + entry.count);
  const fresh: Finding[] = [];
  let known = 0;
  for (const finding of findings) {
    const key = fingerprint(finding);
    const remaining = left.get(key) ?? 0;
    if (remaining > 0) {
      left.set(key, remaining - 1);
      known++;
    } else fresh.push(finding);
  }
  const gone = [...left.values()].reduce((sum, count) => sum + count, 0);
  return { fresh, known, gone };
}
