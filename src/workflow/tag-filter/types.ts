/** How a workflow's push event selects tags. */
export type TagFilter =
  /** `push` with no branches/tags filters: every tag triggers. */
  | { kind: 'all' }
  /** e.g. `push` with only `branches:`: no tag triggers. */
  | { kind: 'none' }
  /** `on.push.tags`, in order: the last pattern that matches decides, and `!` negates. */
  | { kind: 'patterns'; patterns: string[] }
  /** `on.push.tags-ignore`: every tag triggers unless the list matches it. */
  | { kind: 'ignore'; patterns: string[] };
