import { execFileSync } from 'node:child_process';

export interface RepositoryId {
  owner: string;
  name: string;
  /** Where it came from: 'config' or 'git remote'. */
  source: 'config' | 'git remote';
}

/**
 * owner/name of the GitHub repository: config `repository` wins; else parsed from the https or ssh
 * form of `git remote get-url origin`.
 */
export function readGitRemote(configured: string | undefined, originUrl: () => string | undefined): RepositoryId | undefined {
  if (configured) {
    const [owner, name] = configured.split('/');
    if (owner && name) return { owner, name, source: 'config' };
  }
  const url = originUrl();
  const parsed = url === undefined ? undefined : parseGitHubUrl(url);
  return parsed ? { ...parsed, source: 'git remote' } : undefined;
}

/** `git remote get-url origin` in `root`, or undefined (no git, no repo, no origin). */
export function gitOriginUrl(root: string): string | undefined {
  try {
    return execFileSync('git', ['remote', 'get-url', 'origin'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return undefined;
  }
}

/** owner and name from https://github.com/o/n(.git), git@github.com:o/n(.git) or ssh://git@github.com/o/n. */
export function parseGitHubUrl(url: string): { owner: string; name: string } | undefined {
  const match = /github\.com[/:]([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match ? { owner: match[1]!, name: match[2]! } : undefined;
}
