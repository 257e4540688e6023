/**
 * The version a rehearsed run uploads for a package: its static version (compared with the one the
 * tag names), or, for a version computed from git (hatch-vcs, setuptools-scm, pdm scm,
 * poetry-dynamic-versioning), the version the tool reads from the tag through the package's own
 * version-from-tag config, or through the tool's default pattern.
 */
import { normalizeVersion, versionFromTag } from '../gate/tag.js';
import { versionIsValid } from '../pyproject/pep508.js';
import { tagVersionConfig, type TagVersionConfig } from '../plan/release-tags.js';
import type { Package, Project } from '../project/project.js';
import { isPyprojectPackage } from '../packages/package.js';
import { versionOf } from '../pyproject/version.js';

export interface ReleasedVersion {
  /** The version uploaded; undefined when it cannot be told before the build. */
  version: string | undefined;
  /** Where it comes from, for the tree: `pyproject.toml`, `tag, through [tool.hatch.version] tag-pattern`. */
  how: string;
  /** Why the release is wrong (the tag names another version, the tag does not match the config). */
  problem: string | undefined;
  /** Where the version (or the config that reads it from the tag) is written. */
  at: { file: string; line: number } | undefined;
}

/** The tag of the run, and the literal prefix of the tag pattern that started it ('' when none). */
export interface RunTag {
  tag: string;
  prefix: string;
}

/** setuptools-scm's default tag_regex (hatch-vcs and pdm's scm source read tags the same way). */
const DEFAULT_TAG_REGEX = '^(?:[\\w-]+-)?(?P<version>[vV]?\\d+(?:\\.\\d+){0,2}[^\\+]*)(?:\\+.*)?$';

export function releasedVersion(project: Project, pkg: Package, runTag: RunTag | undefined): ReleasedVersion {
  const label = pkg.name ?? pkg.dir;
  const source = isPyprojectPackage(pkg) ? versionOf(project, pkg) : pkg.version !== undefined ? { kind: 'static' as const, version: pkg.version } : { kind: 'opaque' as const, provider: pkg.kind };
  if (source.kind === 'static' || source.kind === 'file') {
    const version = source.version;
    const at = versionLine(pkg);
    const how = source.kind === 'file' ? source.file : pkg.declaredIn.path;
    const implied = runTag && versionFromTag(runTag.tag, runTag.prefix);
    const problem =
      version !== undefined && implied !== undefined && normalizeVersion(implied) !== normalizeVersion(version)
        ? `tag ${runTag!.tag} names version ${implied}, but ${label} is version ${version} (${how}${at ? `:${at.line}` : ''}): the run builds ${version} under tag ${runTag!.tag}; push ${runTag!.prefix}${version}, or set the version to ${implied}`
        : undefined;
    return { version, how, problem, at };
  }
  if (source.kind === 'vcs') {
    if (!runTag) return { version: undefined, how: `${source.provider}, from the git history at build time (no release tag: a .devN version)`, problem: undefined, at: undefined };
    return versionFromTagConfig(pkg, source.provider, runTag.tag);
  }
  return { version: undefined, how: source.kind === 'opaque' ? `computed by ${source.provider} at build time` : source.reason, problem: undefined, at: undefined };
}

/** The version a VCS version tool reads from `tag`, through the package's config (or the tool's default). */
function versionFromTagConfig(pkg: Package, provider: string, tag: string): ReleasedVersion {
  const label = pkg.name ?? pkg.dir;
  const configs = tagVersionConfig(pkg);
  const regexes = configs.filter((config) => config.kind !== 'match');
  const globs = configs.filter((config) => config.kind === 'match');
  for (const glob of globs) {
    if (!globMatches(glob.value, tag)) return refused(pkg, provider, tag, glob, `git describe --match ${glob.value}`);
  }
  const config = regexes[0];
  const read = config ? readVersion(config, tag) : readVersion({ kind: 'regex', value: DEFAULT_TAG_REGEX }, tag);
  const how = `tag ${tag}, through ${config ? config.source : `${provider}'s default tag pattern`}`;
  const at = config ? locate(config) : undefined;
  if (read === undefined) return config ? refused(pkg, provider, tag, config, `${config.value}`) : { version: undefined, how, problem: `tag ${tag} carries no version ${provider} can read (its default pattern is ${DEFAULT_TAG_REGEX}), so ${label} builds a version from an older tag`, at };
  const version = read.replace(/^[vV](?=\d)/, '');
  if (!versionIsValid(version)) return { version: undefined, how, problem: `${provider} reads '${version}' from tag ${tag} for ${label}, which is not a PEP 440 version: the build fails`, at };
  return { version: normalizeVersion(version), how, problem: undefined, at };
}

function refused(pkg: Package, provider: string, tag: string, config: TagVersionConfig, pattern: string): ReleasedVersion {
  const at = locate(config);
  return {
    version: undefined,
    how: `${provider}, from the git history`,
    problem: `tag ${tag} does not match ${config.source} '${pattern}' of ${pkg.name ?? pkg.dir} (${at.file}:${at.line}): ${provider} skips it and builds a version from an older tag`,
    at,
  };
}

function readVersion(config: Pick<TagVersionConfig, 'kind' | 'value'>, tag: string): string | undefined {
  if (config.kind === 'prefix') return tag.startsWith(config.value) ? tag.slice(config.value.length) : undefined;
  let regex: RegExp;
  try {
    const source = config.value.replace(/\(\?P</g, '(?<');
    regex = new RegExp(source.replace(/^\(\?i\)/, ''), source.startsWith('(?i)') ? 'i' : '');
  } catch {
    return undefined;
  }
  const match = regex.exec(tag);
  if (!match) return undefined;
  return match.groups?.version ?? match[1] ?? match[0];
}

/** git's fnmatch for `--match`: `*` any text, `?` one character. */
function globMatches(glob: string, tag: string): boolean {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(tag);
}

function locate(config: TagVersionConfig): { file: string; line: number } {
  const range = config.file.rangeOfValue(config.path);
  return { file: config.file.path, line: config.file.positionAt(range?.start ?? 0).line };
}

function versionLine(pkg: Package): { file: string; line: number } | undefined {
  const file = pkg.declaredIn;
  const range = pkg.pyproject?.rangeOfValue(pkg.versionPath);
  return range ? { file: file.path, line: file.positionAt(range.start).line } : undefined;
}
