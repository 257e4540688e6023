/**
 * Requires-Dist of a built distribution against the pyproject's declared dependencies. Backends
 * rewrite requirements (`pkg>=1,<2` becomes `pkg<2,>=1` or the legacy `pkg (<2,>=1)`; an optional
 * dependency gets `extra == "name"` folded into its marker), so both sides are brought to one
 * canonical form first: PEP 503 name, sorted PEP 685 extras, the set of specifier clauses with
 * PEP 440-normalised versions, the direct URL, and the marker with whitespace, quote style and
 * parentheses ignored and the `extra == "…"` clause taken out.
 */
import { clean } from '@renovatebot/pep440';
import { normalizeName, parseRequirement } from '../pyproject/pep508.js';

export interface CanonicalRequirement {
  /** The requirement as written. */
  text: string;
  name: string;
  /** '' for a run-time dependency, else the extra (optional-dependencies group) it belongs to. */
  extra: string;
  /** name, extras, marker: what identifies the requirement. */
  key: string;
  /** Specifier clauses and URL: what must be equal. */
  constraint: string;
}

export function canonicalRequirement(text: string, group = ''): CanonicalRequirement | undefined {
  const parsed = parseRequirement(text.trim());
  if (!parsed.ok) return undefined;
  const { name, extras, specifier, url, marker } = parsed.value;
  let extra = group ? normalizeName(group) : '';
  let markerKey = marker ? canonicalMarker(marker) : '';
  if (!group && markerKey) {
    const found = takeExtra(markerKey);
    extra = found.extra;
    markerKey = found.rest;
  }
  const clauses = specifier
    .split(',')
    .map((clause) => clause.trim())
    .filter(Boolean)
    .map(canonicalClause)
    .sort();
  const normalizedName = normalizeName(name);
  const extrasKey = [...new Set(extras.map(normalizeName))].sort().join(',');
  return {
    text: text.trim(),
    name: normalizedName,
    extra,
    key: `${extra}|${normalizedName}[${extrasKey}]|${markerKey}`,
    constraint: url ? `@${url.trim()}` : clauses.join(','),
  };
}

function canonicalClause(clause: string): string {
  const match = /^(===|~=|==|!=|<=|>=|<|>)\s*(.+)$/.exec(clause.replace(/\s+/g, ''));
  if (!match) return clause;
  const [, operator, version] = match as unknown as [string, string, string];
  if (operator === '===' || version.endsWith('.*')) return `${operator}${version}`;
  return `${operator}${clean(version) ?? version}`;
}

/** Whitespace, quote style and parentheses do not change what a marker means for this comparison. */
function canonicalMarker(marker: string): string {
  return marker.replace(/'/g, '"').replace(/\s+/g, '').replace(/[()]/g, '');
}

/** Takes `extra=="name"` (and the `and` that joins it) out of a canonical marker. */
function takeExtra(marker: string): { extra: string; rest: string } {
  const pattern = /(?:^|and)extra=="([^"]*)"|extra=="([^"]*)"(?:and|$)/;
  const match = pattern.exec(marker);
  if (!match) return { extra: '', rest: marker };
  return { extra: normalizeName(match[1] ?? match[2] ?? ''), rest: (marker.slice(0, match.index) + marker.slice(match.index + match[0].length)).replace(/^and|and$/g, '') };
}

export interface DeclaredRequirement {
  requirement: CanonicalRequirement;
  /** ['project', 'dependencies', 2] or ['project', 'optional-dependencies', 'dev', 0]. */
  path: (string | number)[];
}

/** The dependencies and optional dependencies of a [project] table, canonical, with where they are written. */
export function declaredRequirements(project: Record<string, unknown>, include: { dependencies: boolean; optional: boolean }): DeclaredRequirement[] {
  const declared: DeclaredRequirement[] = [];
  if (include.dependencies && Array.isArray(project.dependencies)) {
    project.dependencies.forEach((item, index) => {
      const requirement = typeof item === 'string' ? canonicalRequirement(item) : undefined;
      if (requirement) declared.push({ requirement, path: ['project', 'dependencies', index] });
    });
  }
  const optional = project['optional-dependencies'];
  if (include.optional && optional && typeof optional === 'object' && !Array.isArray(optional)) {
    for (const [group, items] of Object.entries(optional as Record<string, unknown>)) {
      if (!Array.isArray(items)) continue;
      items.forEach((item, index) => {
        const requirement = typeof item === 'string' ? canonicalRequirement(item, group) : undefined;
        if (requirement) declared.push({ requirement, path: ['project', 'optional-dependencies', group, index] });
      });
    }
  }
  return declared;
}

export interface Mismatch {
  declared: DeclaredRequirement | undefined;
  actual: CanonicalRequirement | undefined;
}

/**
 * Pairs declared and actual requirements by key; returns the ones that differ. `compareExtras`
 * false ignores requirements that belong to an extra (optional-dependencies is dynamic).
 */
export function compareRequirements(declared: DeclaredRequirement[], actualTexts: readonly string[], scope: { dependencies: boolean; optional: boolean }): Mismatch[] {
  const inScope = (requirement: CanonicalRequirement): boolean => (requirement.extra === '' ? scope.dependencies : scope.optional);
  const actual = actualTexts.map((text) => canonicalRequirement(text)).filter((item): item is CanonicalRequirement => item !== undefined && inScope(item));
  const mismatches: Mismatch[] = [];
  const unmatched = [...actual];
  for (const entry of declared) {
    if (!inScope(entry.requirement)) continue;
    const index = unmatched.findIndex((candidate) => candidate.key === entry.requirement.key && candidate.constraint === entry.requirement.constraint);
    if (index >= 0) {
      unmatched.splice(index, 1);
      continue;
    }
    const sameKey = unmatched.findIndex((candidate) => candidate.key === entry.requirement.key);
    if (sameKey >= 0) {
      mismatches.push({ declared: entry, actual: unmatched[sameKey] });
      unmatched.splice(sameKey, 1);
    } else {
      mismatches.push({ declared: entry, actual: undefined });
    }
  }
  for (const extra of unmatched) mismatches.push({ declared: undefined, actual: extra });
  return mismatches;
}
