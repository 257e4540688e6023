/**
 * Which rules and kinds run: ruff's rule selection (README "Selecting rules").
 *
 * A selector names codes (src/engine/codes.ts): `all`; a category (`release`, `security`,
 * `hygiene`); a group, rule or kind (`pyproject/`, `pyproject/metadata`,
 * `pyproject/metadata/missing-recommended`), each covering the codes below it; or a glob over those
 * (`workflow/tag-*`, where `*` stays within one segment). The default set is the codes that are on
 * by default; then each layer (the config's, then the command line's) applies its selectors: a
 * layer's `select` starts from nothing, `extend-select` and `ignore` change what the layers before
 * left. Within a layer a more specific selector wins over a less specific one (a category counts
 * as a group), and on a tie `ignore` wins over `select`. A rule given a severity other than `off` in a layer (`rules` table,
 * `--rule ID=SEVERITY`) is selected by that layer at rule level, winning a tie with `ignore`.
 */
import picomatch from 'picomatch';
import type { Code } from '../engine/codes.js';
import { CATEGORIES, type Category } from '../types.js';

export interface SelectionLayer {
  /** Replaces what earlier layers selected; undefined keeps it. */
  select?: string[];
  extendSelect: string[];
  ignore: string[];
  /** Rules this layer gives a severity other than off. */
  severityRules: string[];
}

export interface PerFileIgnore {
  /** A glob relative to the root; one without `/` matches a file name anywhere. */
  pattern: string;
  selectors: string[];
}

export interface Selector {
  text: string;
  /** Higher wins: all < group glob < group = category < rule glob < rule < kind glob < kind. */
  specificity: number;
  matches(code: Code): boolean;
}

const SEGMENT = /^[a-z0-9*-]+$/;

/** Parses a selector against the codes it may name; a string is the reason it is not one. */
export function parseSelector(raw: string, codes: readonly Code[]): Selector | string {
  const text = raw.trim();
  const lowered = text.toLowerCase();
  if (lowered === 'all') return { text, specificity: 0, matches: () => true };
  // As specific as a group: categories cut across the groups, and `--select pyproject/ --ignore
  // hygiene` as well as `--select hygiene --ignore pyproject/` mean "the one without the other".
  if ((CATEGORIES as readonly string[]).includes(lowered)) return { text, specificity: 3, matches: (code) => code.category === (lowered as Category) };
  const path = text.replace(/\/+$/, '');
  const segments = path.split('/');
  if (path === '' || segments.length > 3 || !segments.every((segment) => SEGMENT.test(segment)) || /\*\*/.test(path)) {
    return `"${raw}" is not a rule selector (a rule, kind or group id, a glob such as workflow/tag-*, a category: release, security, hygiene, or all)`;
  }
  const selector: Selector = path.includes('*')
    ? { text, specificity: 2 * segments.length, matches: globMatcher(path) }
    : { text, specificity: 2 * segments.length + 1, matches: (code) => code.id === path || code.id.startsWith(`${path}/`) };
  if (codes.some(selector.matches)) return selector;
  const near = codes.find((code) => code.id.startsWith(path));
  return `"${raw}" selects no rule${near ? ` (a prefix matches whole segments only: did you mean ${near.id} or ${path}*?)` : ' (see pypi-release-lint rules)'}`;
}

/** `*` matches within one segment; a glob that matches a rule covers its kinds too. */
function globMatcher(glob: string): (code: Code) => boolean {
  const pattern = new RegExp(`^${glob.split('*').map(escapeRegExp).join('[^/]*')}(?:/.*)?$`);
  return (code) => pattern.test(code.id);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every problem with a list of selectors, each prefixed with where the list is (a config key) when given. */
export function selectorProblems(selectors: readonly string[], codes: readonly Code[], where?: string): string[] {
  return selectors.flatMap((selector) => {
    const parsed = parseSelector(selector, codes);
    return typeof parsed === 'string' ? [where === undefined ? parsed : `${where}: ${parsed}`] : [];
  });
}

/**
 * Whether `text` reads as a rule selector rather than a path: `all`, a category, or up to three
 * lowercase id segments (globs allowed) of which the first is, or matches, a rule group.
 */
export function isRuleSelectorShaped(text: string, groups: ReadonlySet<string>): boolean {
  const lowered = text.trim().toLowerCase();
  if (lowered === 'all' || (CATEGORIES as readonly string[]).includes(lowered)) return true;
  const segments = text.trim().replace(/\/+$/, '').split('/');
  if (segments.length > 3 || !segments.every((segment) => SEGMENT.test(segment)) || text.includes('**')) return false;
  const first = new RegExp(`^${segments[0]!.split('*').map(escapeRegExp).join('.*')}$`);
  return [...groups].some((group) => first.test(group));
}

/** The ids of the codes that run: the defaults, then each layer in order (ruff's resolution). */
export function resolveSelection(codes: readonly Code[], layers: readonly SelectionLayer[]): Set<string> {
  let enabled = new Set(codes.filter((code) => code.enabledByDefault).map((code) => code.id));
  for (const layer of layers) {
    const updates = new Map<string, boolean>();
    const parse = (texts: readonly string[]): Selector[] => texts.map((text) => parseSelector(text, codes)).filter((selector): selector is Selector => typeof selector !== 'string');
    const selects = parse([...(layer.select ?? []), ...layer.extendSelect]);
    const ignores = parse(layer.ignore);
    const bySeverity = parse(layer.severityRules);
    const specificities = [...new Set([...selects, ...ignores, ...bySeverity].map((selector) => selector.specificity))].sort((a, b) => a - b);
    for (const specificity of specificities) {
      // In this order, so that on a tie ignore wins over select, and a severity over ignore.
      for (const [selectors, on] of [
        [selects, true],
        [ignores, false],
        [bySeverity, true],
      ] as const) {
        for (const selector of selectors) {
          if (selector.specificity !== specificity) continue;
          for (const code of codes) if (selector.matches(code)) updates.set(code.id, on);
        }
      }
    }
    if (layer.select !== undefined) enabled = new Set();
    for (const [id, on] of updates) {
      if (on) enabled.add(id);
      else enabled.delete(id);
    }
  }
  return enabled;
}

/**
 * Whether `per-file-ignores` drops a finding of `code` in `file`: some entry's glob matches the file
 * and one of its selectors the code. No specificity here: an ignore for a file always wins (ruff).
 */
export function perFileIgnoreMatcher(entries: readonly PerFileIgnore[], codes: readonly Code[]): (file: string, code: Code) => boolean {
  if (entries.length === 0) return () => false;
  const compiled = entries.map((entry) => ({
    matchesFile: picomatch(entry.pattern, { dot: true, basename: !entry.pattern.includes('/') }),
    selectors: entry.selectors.map((text) => parseSelector(text, codes)).filter((selector): selector is Selector => typeof selector !== 'string'),
  }));
  return (file, code) => compiled.some((entry) => entry.matchesFile(file) && entry.selectors.some((selector) => selector.matches(code)));
}
