/**
 * The refs of pypa/gh-action-pypi-publish, from data/pypi-publish-action.json (dated, with its
 * sources): the release tags (with their commit and the twine each bundles, where known) and the
 * branches. The action publishes no floating major tags (`v1`, `v1.12`), so such a ref fails at
 * "Set up job" (Unable to resolve action). A tag newer than the newest listed, or a `release/v1.N`
 * branch above those listed, may be younger than the data and is taken as existing.
 */
import { compare, valid } from '@renovatebot/pep440';
import { readPackageJson } from '../package-root.js';

interface ActionData {
  checked: string;
  branches: string[];
  sunset: Record<string, string>;
  /** The twine the moving branches carry (release/v1, unstable/v1). */
  movingTwine: string;
  tags: { tag: string; sha?: string; twine?: string }[];
}

let data: ActionData | undefined;
const actionData = (): ActionData => (data ??= readPackageJson<ActionData>('data/pypi-publish-action.json'));

export interface PublishActionRef {
  /** false: a ref the action does not have. */
  exists: boolean;
  /** The twine it runs, when known. */
  twine: string | undefined;
  /** The release tag a SHA or tag names. */
  tag: string | undefined;
  sunset: string | undefined;
}

export function publishActionRef(ref: string): PublishActionRef {
  const known = actionData();
  const unknown: PublishActionRef = { exists: true, twine: undefined, tag: undefined, sunset: undefined };
  if (/^[0-9a-f]{40}$/.test(ref)) {
    const tag = known.tags.find((entry) => entry.sha === ref);
    return tag ? { ...unknown, twine: tag.twine, tag: tag.tag } : unknown;
  }
  const tag = known.tags.find((entry) => entry.tag === ref);
  if (tag) return { ...unknown, twine: tag.twine, tag: tag.tag };
  if (known.branches.includes(ref)) {
    return { ...unknown, twine: /^(release|unstable)\/v1$/.test(ref) ? known.movingTwine : undefined, sunset: known.sunset[ref] };
  }
  if (/^[0-9a-f]{7,39}$/.test(ref)) return unknown; // a short SHA: GitHub refuses it, actionlint says so
  return { ...unknown, exists: newerThanKnown(ref) };
}

/** `v1.15.0` after the newest listed tag, `release/v1.9`: possibly released after the data was checked. */
function newerThanKnown(ref: string): boolean {
  const known = actionData();
  const tag = /^v(\d+\.\d+\.\d+)$/.exec(ref)?.[1];
  if (tag && valid(tag)) return known.tags.every((entry) => !valid(entry.tag.slice(1)) || compare(tag, entry.tag.slice(1)) > 0);
  const branch = /^release\/v1\.(\d+)$/.exec(ref)?.[1];
  return branch !== undefined && known.branches.every((name) => Number(/^release\/v1\.(\d+)$/.exec(name)?.[1] ?? -1) < Number(branch));
}

/** The refs to suggest: the moving branch and the newest tag. */
export function publishActionSuggestion(): string {
  const tags = actionData().tags.filter((entry) => valid(entry.tag.slice(1)));
  const newest = tags.reduce((a, b) => (compare(a.tag.slice(1), b.tag.slice(1)) >= 0 ? a : b));
  return `release/v1 or a release tag such as ${newest.tag} (pinned by its commit SHA)`;
}

/** The first release tag of the action whose twine is at least `twine`. */
export function firstReleaseWithTwine(twine: string): string | undefined {
  return actionData().tags.find((entry) => entry.twine !== undefined && valid(entry.twine) && compare(entry.twine, twine) >= 0)?.tag;
}

export function publishActionDataChecked(): string {
  return actionData().checked;
}

/** `pypa/gh-action-pypi-publish@REF` where the action has no REF (workflow/publish-action reports it). */
export function isMissingPublishActionRef(reference: { repository: string; ref: string | undefined }): boolean {
  return reference.repository.toLowerCase() === 'pypa/gh-action-pypi-publish' && (reference.ref === undefined || !publishActionRef(reference.ref).exists);
}
