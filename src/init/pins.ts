/**
 * The actions the scaffolded workflows use, pinned to full commit SHAs (a tag can be moved; a SHA
 * cannot) with the release in a trailing comment, so Dependabot and Renovate can update them.
 */
export interface PinnedAction {
  repository: string;
  sha: string;
  version: string;
}

export const PINNED_ACTIONS = {
  checkout: { repository: 'actions/checkout', sha: '11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' },
  setupPython: { repository: 'actions/setup-python', sha: 'a26af69be951a213d495a4c3e4e4022e16d87065', version: 'v5.6.0' },
  uploadArtifact: { repository: 'actions/upload-artifact', sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02', version: 'v4.6.2' },
  downloadArtifact: { repository: 'actions/download-artifact', sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093', version: 'v4.3.0' },
  pypiPublish: { repository: 'pypa/gh-action-pypi-publish', sha: '76f52bc884231f62b9a034ebfe128415bbaabdfc', version: 'v1.12.4' },
} as const satisfies Record<string, PinnedAction>;

/** `owner/repo@SHA # vX.Y.Z`, the value of a step's `uses:` with its comment. */
export function pinnedUses(action: PinnedAction): string {
  return `${action.repository}@${action.sha} # ${action.version}`;
}
