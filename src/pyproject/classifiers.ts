/**
 * The official Trove classifier list, shipped as data/trove-classifiers.json (refreshed from
 * pypa/trove-classifiers by scripts/refresh-classifiers.mjs): the list PyPI checks uploads against.
 */
import { readPackageJson } from '../package-root.js';

interface TroveData {
  source: string;
  classifiers: string[];
  deprecated: Record<string, string[]>;
}

let loaded: { known: Set<string>; deprecated: Map<string, string[]>; source: string } | undefined;

function trove(): NonNullable<typeof loaded> {
  if (!loaded) {
    const data = readPackageJson<TroveData>('data/trove-classifiers.json');
    loaded = { known: new Set(data.classifiers), deprecated: new Map(Object.entries(data.deprecated ?? {})), source: data.source };
  }
  return loaded;
}

export type ClassifierStatus =
  | { kind: 'known' }
  | { kind: 'private' }
  | { kind: 'deprecated'; replacements: string[] }
  | { kind: 'unknown'; closest: string | undefined };

export function classifierStatus(classifier: string): ClassifierStatus {
  const { known, deprecated } = trove();
  // PyPI reserves "Private ::" and rejects every classifier under it: that is the point of it.
  if (/^Private\s*::/.test(classifier)) return { kind: 'private' };
  const replacements = deprecated.get(classifier);
  if (replacements) return { kind: 'deprecated', replacements };
  if (known.has(classifier)) return { kind: 'known' };
  return { kind: 'unknown', closest: closestClassifier(classifier) };
}

/** The longest known classifier that the given one extends (`Topic :: Office/Business :: Ticketing` → `Topic :: Office/Business`), or a case/spacing variant. */
function closestClassifier(classifier: string): string | undefined {
  const { known } = trove();
  const squash = (value: string): string => value.toLowerCase().replace(/\s+/g, ' ').replace(/\s*::\s*/g, ' :: ').trim();
  const wanted = squash(classifier);
  for (const candidate of known) if (squash(candidate) === wanted) return candidate;
  const parts = classifier.split('::').map((part) => part.trim());
  for (let length = parts.length - 1; length > 0; length--) {
    const prefix = parts.slice(0, length).join(' :: ');
    if (known.has(prefix)) return prefix;
  }
  return undefined;
}
