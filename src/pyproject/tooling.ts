/**
 * What the release tools of a given version can do, from data/metadata-versions.json (dated, with
 * its sources): the Metadata-Version a backend writes from some release on, the newest one a twine
 * reads, the first backend releases with PEP 639 (license expressions) and PEP 625 (sdist names).
 * And the backend a pyproject builds with and the lowest version its `[build-system] requires` admits.
 */
import { compare, gte, satisfies, validRange } from '@renovatebot/pep440';
import { readPackageJson } from '../package-root.js';
import { parseRequirement } from './pep508.js';
import { normalizePackageName } from '../project/project.js';
import type { TomlFile } from '../project/toml-file.js';
import { distributionOfBackend } from './backends.js';

/** What a pyproject may ask of its backend: PEP 639's license expression and license-files list, PEP 625's sdist name. */
export type BackendFeature = 'license-expression' | 'license-files' | 'sdist-name';

interface BackendFacts {
  writes: { from: string; metadata: string }[];
  /** The first release with each feature; a feature not listed is supported by every release the linter knows of. */
  supports: Partial<Record<BackendFeature, string>>;
}

interface ToolingData {
  checked: string;
  twine: { from: string; reads: string }[];
  backends: Record<string, BackendFacts>;
}

let data: ToolingData | undefined;
const tooling = (): ToolingData => (data ??= readPackageJson<ToolingData>('data/metadata-versions.json'));

/** The backend's `[build-system] requires` entry and the lowest version it admits. */
export interface BackendRequirement {
  distribution: string;
  requirement: string;
  /** Index in `requires` (for locating findings). */
  index: number;
  specifier: string;
  /** The highest lower bound of the specifier; undefined when it has none. */
  floor: string | undefined;
}

export function backendRequirement(pyproject: TomlFile): BackendRequirement | undefined {
  const backend = pyproject.get(['build-system', 'build-backend']);
  const requires = pyproject.get(['build-system', 'requires']);
  if (typeof backend !== 'string' || !Array.isArray(requires)) return undefined;
  const distribution = distributionOfBackend(backend);
  for (const [index, requirement] of requires.entries()) {
    if (typeof requirement !== 'string') continue;
    const parsed = parseRequirement(requirement);
    if (!parsed.ok || normalizePackageName(parsed.value.name) !== distribution || parsed.value.url) continue;
    return { distribution, requirement, index, specifier: parsed.value.specifier, floor: lowerBound(parsed.value.specifier) };
  }
  return undefined;
}

/** The highest `>=`, `>`, `==`, `~=` or `===` bound of a specifier (`==77.*` is 77). */
export function lowerBound(specifier: string): string | undefined {
  let floor: string | undefined;
  for (const match of specifier.matchAll(/(>=|~=|===|==|>)\s*([0-9][0-9A-Za-z.+!-]*)(\.\*)?/g)) {
    const version = match[2]!.replace(/\.$/, '');
    if (floor === undefined || compare(version, floor) > 0) floor = version;
  }
  return floor;
}

/** Whether a specifier admits no version at or after `version` (`<77`, `==70.*`). */
export function capsBelow(specifier: string, version: string): boolean {
  if (!validRange(specifier)) return false;
  return !satisfies(version, specifier) && !satisfies('99999', specifier);
}

/** The Metadata-Version `distribution` writes at `version`; undefined when older than any listed change. */
export function metadataWritten(distribution: string, version: string): string | undefined {
  const facts = tooling().backends[distribution];
  return facts?.writes.filter((entry) => gte(version, entry.from)).pop()?.metadata;
}

/** The newest Metadata-Version a twine of `version` reads. */
export function twineReads(version: string): string {
  return tooling().twine.filter((entry) => gte(version, entry.from)).pop()!.reads;
}

/** The first twine that reads `metadata`. */
export function firstTwineReading(metadata: string): string | undefined {
  return tooling().twine.find((entry) => compare(entry.reads, metadata) >= 0)?.from;
}

/** The first release of `distribution` with `feature`; undefined when not recorded. */
export function firstSupporting(distribution: string, feature: BackendFeature): string | undefined {
  return tooling().backends[distribution]?.supports[feature];
}

/** When the data was last checked (for messages and docs). */
export function toolingChecked(): string {
  return tooling().checked;
}
