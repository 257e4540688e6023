/**
 * What a badge image (or the link around it) points at: a PyPI project, or a GitHub Actions
 * workflow of some owner/repo. Only URL shapes; the rules decide what is right for the repo.
 */
export type BadgeTarget =
  | { kind: 'pypi'; name: string; /** A version badge (shields pypi/v, badge.fury.io). */ version: boolean }
  | { kind: 'workflow'; owner: string; repo: string; /** Workflow file name (actions/workflows/FILE). */ file: string | undefined; /** Workflow `name:` (legacy /workflows/NAME/badge.svg). */ name: string | undefined };

// Lazy, so that a trailing `.svg` is not read as part of the name.
const NAME = '([A-Za-z0-9](?:[A-Za-z0-9._-]*?[A-Za-z0-9])?)';
const SEGMENT = '([^/?#]+)';

const IMAGE_PATTERNS: [RegExp, (match: RegExpExecArray) => BadgeTarget][] = [
  [new RegExp(`^https?://img\\.shields\\.io/pypi/([a-z-]+)/${NAME}(?:\\.(?:svg|png|json))?/?(?:[?#].*)?$`, 'i'), (match) => ({ kind: 'pypi', name: match[2]!, version: match[1]!.toLowerCase() === 'v' })],
  [new RegExp(`^https?://badge\\.fury\\.io/py/${NAME}\\.(?:svg|png)(?:[?#].*)?$`, 'i'), (match) => ({ kind: 'pypi', name: match[1]!, version: true })],
  [new RegExp(`^https?://(?:static\\.)?pepy\\.tech/(?:personalized-)?badge/${NAME}(?:/[^?#]*)?(?:[?#].*)?$`, 'i'), (match) => ({ kind: 'pypi', name: match[1]!, version: false })],
  [
    new RegExp(`^https?://github\\.com/${SEGMENT}/${SEGMENT}/actions/workflows/${SEGMENT}/badge\\.svg(?:[?#].*)?$`, 'i'),
    (match) => ({ kind: 'workflow', owner: match[1]!, repo: match[2]!, file: decode(match[3]!), name: undefined }),
  ],
  [
    new RegExp(`^https?://github\\.com/${SEGMENT}/${SEGMENT}/workflows/${SEGMENT}/badge\\.svg(?:[?#].*)?$`, 'i'),
    (match) => ({ kind: 'workflow', owner: match[1]!, repo: match[2]!, file: undefined, name: decode(match[3]!) }),
  ],
  [
    new RegExp(`^https?://img\\.shields\\.io/github/actions/workflow/status/${SEGMENT}/${SEGMENT}/${SEGMENT}(?:[?#].*)?$`, 'i'),
    (match) => ({ kind: 'workflow', owner: match[1]!, repo: match[2]!, file: decode(match[3]!).replace(/\.svg$/i, ''), name: undefined }),
  ],
  [
    new RegExp(`^https?://img\\.shields\\.io/github/workflow/status/${SEGMENT}/${SEGMENT}/${SEGMENT}(?:/[^?#]*)?(?:[?#].*)?$`, 'i'),
    (match) => ({ kind: 'workflow', owner: match[1]!, repo: match[2]!, file: undefined, name: decode(match[3]!).replace(/\.svg$/i, '') }),
  ],
];

const LINK_PATTERNS: [RegExp, (match: RegExpExecArray) => BadgeTarget][] = [
  [new RegExp(`^https?://(?:www\\.)?pypi\\.(?:org|python\\.org)/(?:project|pypi)/${NAME}(?:/[^?#]*)?(?:[?#].*)?$`, 'i'), (match) => ({ kind: 'pypi', name: match[1]!, version: false })],
  [
    new RegExp(`^https?://github\\.com/${SEGMENT}/${SEGMENT}/actions/workflows/${SEGMENT}/?(?:[?#].*)?$`, 'i'),
    (match) => ({ kind: 'workflow', owner: match[1]!, repo: match[2]!, file: decode(match[3]!), name: undefined }),
  ],
];

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function classify(url: string, patterns: typeof IMAGE_PATTERNS): BadgeTarget | undefined {
  for (const [pattern, read] of patterns) {
    const match = pattern.exec(url.trim());
    if (match) return read(match);
  }
  return undefined;
}

/** What a badge image URL shows, or undefined for any other image. */
export function badgeOfImage(src: string): BadgeTarget | undefined {
  return classify(src, IMAGE_PATTERNS);
}

/** What a link around a badge points at (a PyPI project page, a workflow's runs). */
export function badgeOfLink(href: string): BadgeTarget | undefined {
  return classify(href, LINK_PATTERNS);
}

/** Looks like a badge of any service (shields.io, a GitHub workflow badge, codecov...): for placing new badges beside old ones. */
export function looksLikeBadge(src: string): boolean {
  return badgeOfImage(src) !== undefined || /shields\.io|badge\.fury\.io|\/badge\.svg|\/badges?\/|codecov\.io|readthedocs\.org\/projects\/[^/]*\/badge|pepy\.tech/i.test(src);
}

/** The query string of a URL (`?style=flat`), or ''. */
export function queryOf(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at);
}
