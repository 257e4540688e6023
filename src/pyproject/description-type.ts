/**
 * How PyPI renders a package's long description, read from its pyproject.toml. It matters for one
 * question: can the upload be refused for it? PyPI renders every description on upload and refuses
 * one its renderer returns nothing for (warehouse's forklift/legacy.py: "The description failed to
 * render"); readme_renderer's Markdown (GFM or CommonMark) and plain text always render, so only
 * reStructuredText, the default when no content type is given, can fail.
 */
import path from 'node:path';
import { isPyprojectPackage, type Package } from '../packages/package.js';

export type DescriptionType = 'markdown' | 'rst' | 'plain' | 'none';

/** The content type backends give a readme file by its extension (PEP 621: .md and .rst; setuptools, hatchling and flit also .txt); any other needs one written. */
export const README_CONTENT_TYPES: Readonly<Record<string, string>> = { '.md': 'text/markdown', '.rst': 'text/x-rst', '.txt': 'text/plain' };

const byFileName = (file: string): DescriptionType | undefined => byContentType(README_CONTENT_TYPES[path.posix.extname(file).toLowerCase()]);

/** The type of `pkg`'s long description; undefined when its files do not say (setup.py, a readme a plugin builds). */
export function descriptionType(pkg: Package): DescriptionType | undefined {
  if (!isPyprojectPackage(pkg)) return undefined;
  if (pkg.kind === 'poetry') {
    const readme = pkg.pyproject.get(['tool', 'poetry', 'readme']);
    const first = Array.isArray(readme) ? readme[0] : readme;
    return first === undefined ? 'none' : typeof first === 'string' ? byFileName(first) : undefined;
  }
  const readme = pkg.project.readme;
  if (typeof readme === 'string') return byFileName(readme);
  if (readme !== null && typeof readme === 'object' && !Array.isArray(readme)) return byContentType((readme as Record<string, unknown>)['content-type']);
  if (!pkg.dynamic.includes('readme')) return 'none';
  // setuptools' dynamic readme: without a content type, setuptools writes text/x-rst.
  const dynamic = pkg.pyproject.get(['tool', 'setuptools', 'dynamic', 'readme']);
  if (dynamic === null || typeof dynamic !== 'object' || Array.isArray(dynamic)) return undefined;
  const type = (dynamic as Record<string, unknown>)['content-type'];
  return type === undefined ? 'rst' : byContentType(type);
}

function byContentType(value: unknown): DescriptionType | undefined {
  if (typeof value !== 'string') return undefined;
  const [type = '', ...parameters] = value.split(';').map((part) => part.trim().toLowerCase());
  if (type === 'text/x-rst') return 'rst';
  if (type === 'text/plain') return 'plain';
  if (type !== 'text/markdown') return undefined;
  // readme_renderer knows the GFM (default) and CommonMark variants; another renders nothing.
  const variant = parameters.find((parameter) => parameter.startsWith('variant='))?.slice('variant='.length);
  return variant === undefined || variant === 'gfm' || variant === 'commonmark' ? 'markdown' : undefined;
}
