import { defineRule } from '../../src/engine/rule.js';
import type { Project } from '../../src/project/project.js';
import { isPublished, repoPackages } from '../../src/pyproject/packages.js';
import { valueRange } from '../../src/pyproject/toml-text.js';

export default defineRule({
  meta: {
    id: 'pyproject/urls',
    category: 'release',
    defaultSeverity: 'error',
    kinds: {
      rejected: {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'A value that is not an absolute http(s) URL: PyPI refuses the upload.',
      },
      'not-https': { category: 'hygiene', defaultSeverity: 'warning', enabledByDefault: false, description: 'A plain http:// URL.' },
      'wrong-target': {
        category: 'hygiene',
        defaultSeverity: 'warning',
        enabledByDefault: false,
        description: 'A URL into this repository under another owner, or to a path the checkout does not have.',
      },
    },
    fixable: 'none',
    description: 'Project URLs PyPI refuses, plain http links, or links into this repository at the wrong place.',
    docs: {
      catches:
        'For each published package, every `[project.urls]` value that is not an absolute http or https URL (kind ' +
        '`rejected`, an error: PyPI refuses the upload). Off by default, warnings: a plain `http://` URL (kind `not-https`); ' +
        'and (kind `wrong-target`) every URL ' +
        'into this repository — `github.com/OWNER/REPO/blob|tree|raw|blame/REF/PATH` or `raw.githubusercontent.com/OWNER/REPO/REF/PATH` ' +
        'whose REPO is this repository\'s name — whose OWNER/REPO is not the repository\'s own (from config `repository` or ' +
        'the git remote `origin`), or whose PATH does not exist in the checkout (a renamed directory, a CHANGELOG.md that ' +
        'was never written). A REF with slashes is tried at each split.',
      why:
        'The links are the project page\'s sidebar: the first thing users click to find the source, the docs and the ' +
        'changelog. They are frozen into each release\'s metadata, so a broken link stays broken on every version ' +
        'uploaded with it. PyPI refuses an upload whose project URL is not an http or https URL, after the version was tagged. ' +
        'Plain http is rewritten or blocked by browsers and flagged by security scanners.',
      failing: {
        file: 'pyproject.toml',
        content:
          '[project]\nname = "demo"\nversion = "1.0.0"\n\n[project.urls]\nHomepage = "http://github.com/example/demo"\n' +
          'Documentation = "demo.readthedocs.io"\nChangelog = "https://github.com/old-owner/demo/blob/main/CHANGELOG.md"\n' +
          'Source = "https://github.com/example/demo/tree/main/src/renamed_dir"\n',
      },
      passing: {
        file: 'pyproject.toml',
        content:
          '[project]\nname = "demo"\nversion = "1.0.0"\n\n[project.urls]\nHomepage = "https://github.com/example/demo"\n' +
          'Documentation = "https://demo.readthedocs.io"\nChangelog = "https://github.com/example/demo/blob/main/CHANGELOG.md"\nSource = "https://github.com/example/demo/tree/main/src/demo"\n',
      },
      fixSafety: 'No fix: the right target of a broken link is for the maintainers to choose.',
    },
  },
  check({ project, report }) {
    const repository = project.repository;
    for (const pkg of repoPackages(project)) {
      if (pkg.kind !== 'pep621' || !isPublished(project, pkg)) continue;
      const file = pkg.pyproject;
      const urls = file.get(['project', 'urls']);
      if (!urls || typeof urls !== 'object' || Array.isArray(urls)) continue;
      for (const [label, value] of Object.entries(urls as Record<string, unknown>)) {
        if (typeof value !== 'string') continue;
        const at = (kind: 'rejected' | 'not-https' | 'wrong-target', message: string) =>
          report({ kind, file, range: valueRange(file, ['project', 'urls', label]), message: `${pkg.name}: ${message}` });
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          at('rejected', `[project.urls] ${label} = "${value}" is not an absolute URL: PyPI refuses the upload (a project URL must be an http or https URL)`);
          continue;
        }
        if (url.protocol === 'http:') {
          at('not-https', `[project.urls] ${label} = "${value}" uses http, not https: the PyPI page sends visitors over an unencrypted link; use "${value.replace(/^http:/i, 'https:')}"`);
          continue;
        }
        if (url.protocol !== 'https:') {
          at('rejected', `[project.urls] ${label} = "${value}" uses ${url.protocol.replace(/:$/, '')}: PyPI refuses the upload (a project URL must be an http or https URL)`);
          continue;
        }
        if (!repository) continue;
        const target = githubTarget(url);
        if (!target || target.repo.toLowerCase() !== repository.name.toLowerCase()) continue;
        const own = `${repository.owner}/${repository.name}`;
        if (target.owner.toLowerCase() !== repository.owner.toLowerCase()) {
          at('wrong-target', `[project.urls] ${label} points at ${target.owner}/${target.repo}, but this repository is ${own} (from ${repository.source === 'config' ? 'config "repository"' : 'the git remote'})`);
          continue;
        }
        if (target.segments.length === 0) continue;
        if (!pathExists(project, target.segments)) {
          at('wrong-target', `[project.urls] ${label} points at ${describePath(target.segments)} in ${own}, which does not exist in this checkout`);
        }
      }
    }
  },
});

interface GitHubTarget {
  owner: string;
  repo: string;
  /** REF and PATH segments after blob/tree/raw/blame (decoded), [] for other URLs. */
  segments: string[];
}

/** owner/repo and the ref+path segments of a github.com or raw.githubusercontent.com URL. */
function githubTarget(url: URL): GitHubTarget | undefined {
  const host = url.hostname.toLowerCase();
  const parts = url.pathname.split('/').filter(Boolean).map(safeDecode);
  if (host === 'github.com' || host === 'www.github.com') {
    if (parts.length < 2) return undefined;
    const [owner, rawRepo, kind, ...rest] = parts as [string, string, string | undefined, ...string[]];
    const repo = rawRepo.replace(/\.git$/, '');
    if (kind && ['blob', 'tree', 'raw', 'blame'].includes(kind) && rest.length > 0) return { owner, repo, segments: rest };
    return { owner, repo, segments: [] };
  }
  if (host === 'raw.githubusercontent.com' && parts.length >= 3) {
    const [owner, repo, ...rest] = parts as [string, string, ...string[]];
    return { owner, repo, segments: rest };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** True when, for some split of the segments into REF (up to 3 segments: `release/1.x`) and PATH, PATH exists. */
function pathExists(project: Project, segments: string[]): boolean {
  if (segments.length <= 1) return true;
  for (let refLength = 1; refLength <= Math.min(segments.length - 1, 3); refLength++) {
    if (project.exists(segments.slice(refLength).join('/'))) return true;
  }
  return false;
}

function describePath(segments: string[]): string {
  return `${segments.slice(1).join('/')} (at ${segments[0]})`;
}
