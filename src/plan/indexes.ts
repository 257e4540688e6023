/**
 * Which package index an upload goes to: pypi.org, test.pypi.org, another index (an internal
 * registry), or one the files do not decide. Only pypi.org uploads publish a package; a TestPyPI
 * upload is a rehearsal.
 */
import type { Evidence } from './evidence.js';

export type IndexKind = 'pypi' | 'testpypi' | 'other' | 'unknown';

export interface PackageIndex {
  kind: IndexKind;
  /** The URL or repository name as written, when there is one. */
  name?: string | undefined;
  /** Where the index is chosen (undefined: the tool's default, pypi.org). */
  evidence?: Evidence | undefined;
}

export const DEFAULT_INDEX: PackageIndex = { kind: 'pypi' };

/** Classifies a repository URL or name (`testpypi`, `https://test.pypi.org/legacy/`, `main`). */
export function classifyIndex(value: string | undefined, evidence?: Evidence): PackageIndex {
  if (value === undefined) return { kind: 'unknown', evidence };
  const text = value.trim();
  const lower = text.toLowerCase();
  if (lower === '' ) return { ...DEFAULT_INDEX, evidence };
  if (lower === 'pypi' || lower === 'main') return { kind: 'pypi', name: text, evidence };
  if (lower === 'testpypi' || lower === 'test' || lower === 'test-pypi' || lower === 'test_pypi') return { kind: 'testpypi', name: text, evidence };
  if (/^https?:\/\//.test(lower)) {
    const host = lower.replace(/^https?:\/\//, '').split(/[/?#]/)[0]!.replace(/:\d+$/, '');
    if (host === 'test.pypi.org') return { kind: 'testpypi', name: text, evidence };
    if (host === 'upload.pypi.org' || host === 'pypi.org' || host === 'pypi.python.org') return { kind: 'pypi', name: text, evidence };
    return { kind: 'other', name: text, evidence };
  }
  return { kind: 'other', name: text, evidence };
}

export function describeIndex(index: PackageIndex): string {
  switch (index.kind) {
    case 'pypi':
      return 'pypi.org';
    case 'testpypi':
      return 'test.pypi.org';
    case 'other':
      return `another index (${index.name})`;
    default:
      return 'an index the linter cannot tell';
  }
}
