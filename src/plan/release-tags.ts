/**
 * The tags a release of a package would be pushed as: from its version-from-tag configuration
 * (hatch-vcs / setuptools-scm `tag_regex` or `tag-pattern`, `git_describe_command --match`,
 * pdm-backend's `tag_regex`, poetry-dynamic-versioning's `pattern`) when it has one, else from the
 * usual conventions (`NAME-vX.Y.Z`, `vX.Y.Z`...). The plan tries them where a workflow derives the
 * package from the tag (`${GITHUB_REF_NAME%-v*}`), so such a route is inferred, not opaque.
 */
import type { Package } from '../packages/package.js';
import type { TomlFile, TomlKeyPath } from '../project/toml-file.js';
import { hatchSetting } from '../pyproject/hatch-config.js';

/** The version put into a sample tag when the package's own is not static. */
const SAMPLE_VERSION = '1.2.3';

export interface ReleaseTag {
  tag: string;
  /** Where the tag convention comes from: the config key, or 'convention'. */
  source: string;
}

export function releaseTags(pkg: Package): ReleaseTag[] {
  const version = pkg.version && /^\d/.test(pkg.version) ? pkg.version : SAMPLE_VERSION;
  const configured = configuredTags(pkg, version);
  if (configured.length > 0) return configured;
  const names = [...new Set([pkg.name, pkg.normalizedName, pkg.dir === '.' ? undefined : pkg.dir.split('/').pop()].filter((name): name is string => Boolean(name)))];
  const tags: ReleaseTag[] = [];
  for (const name of names) for (const separator of ['-v', '-', '/v', '/', '@', '@v', '_v']) tags.push({ tag: `${name}${separator}${version}`, source: 'convention' });
  tags.push({ tag: `v${version}`, source: 'convention' }, { tag: version, source: 'convention' });
  return tags;
}

/** One piece of a package's version-from-tag configuration. */
export interface TagVersionConfig {
  /** regex: a tag_regex / tag-pattern / pattern; match: git describe's `--match` glob; prefix: pdm's tag_filter. */
  kind: 'regex' | 'match' | 'prefix';
  value: string;
  /** The config key, for messages (`[tool.hatch.version] tag-pattern`). */
  source: string;
  /** Where it is written: pyproject.toml or hatch.toml, and the key path there. */
  file: TomlFile;
  path: TomlKeyPath;
}

/** How the package's build reads its version from a tag, as its config says (empty: the tool's defaults). */
export function tagVersionConfig(pkg: Package): TagVersionConfig[] {
  const file = pkg.pyproject;
  if (!file) return [];
  const found: TagVersionConfig[] = [];
  const read = (from: TomlFile, path: TomlKeyPath, source: string, kind: 'regex' | 'match'): void => {
    const value = from.get(path);
    if (kind === 'regex' && typeof value === 'string') found.push({ kind, value, source, file: from, path });
    const text = Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : undefined;
    const match = kind === 'match' && text !== undefined ? /--match[=\s]+["']?([^"'\s]+)/.exec(text) : null;
    if (match) found.push({ kind, value: match[1]!, source, file: from, path });
  };
  // hatch.toml, when it has a [version] table, decides instead of [tool.hatch.version] (as hatch merges them).
  const { file: hatchFile, path: hatchPath } = hatchSetting({ pyproject: file, hatchToml: pkg.hatchToml }, ['version']);
  read(hatchFile, [...hatchPath, 'tag-pattern'], '[tool.hatch.version] tag-pattern', 'regex');
  read(hatchFile, [...hatchPath, 'raw-options', 'tag_regex'], '[tool.hatch.version.raw-options] tag_regex', 'regex');
  read(hatchFile, [...hatchPath, 'raw-options', 'git_describe_command'], '[tool.hatch.version.raw-options] git_describe_command', 'match');
  read(file, ['tool', 'setuptools_scm', 'tag_regex'], '[tool.setuptools_scm] tag_regex', 'regex');
  read(file, ['tool', 'setuptools_scm', 'git_describe_command'], '[tool.setuptools_scm] git_describe_command', 'match');
  read(file, ['tool', 'pdm', 'version', 'tag_regex'], '[tool.pdm.version] tag_regex', 'regex');
  const filter = file.get(['tool', 'pdm', 'version', 'tag_filter']);
  if (typeof filter === 'string') found.push({ kind: 'prefix', value: filter.replace(/\*$/, ''), source: '[tool.pdm.version] tag_filter', file, path: ['tool', 'pdm', 'version', 'tag_filter'] });
  read(file, ['tool', 'poetry-dynamic-versioning', 'pattern'], '[tool.poetry-dynamic-versioning] pattern', 'regex');
  return found;
}

function configuredTags(pkg: Package, version: string): ReleaseTag[] {
  const tags: ReleaseTag[] = [];
  for (const { kind, value, source } of tagVersionConfig(pkg)) {
    const tag = kind === 'regex' ? sampleFromRegex(value, version) : kind === 'match' ? value.replace(/\*$/, version).replace(/\*/g, '') : `${value}${version}`;
    if (tag !== undefined) tags.push({ tag, source });
  }
  return tags;
}

/**
 * A tag the regular expression accepts with `version` as its version group: `^core-v(?P<version>.*)$`
 * → `core-v1.2.3`. Only literal text, escapes, the version group and optional parts are understood;
 * the sample is checked against the expression, so a misread one is dropped, never used.
 */
export function sampleFromRegex(source: string, version: string): string | undefined {
  const pattern = source.replace(/^\(\?[a-z]+\)/, '');
  let sample = '';
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index]!;
    if (char === '^' || char === '$') {
      index++;
      continue;
    }
    if (char === '\\') {
      const next = pattern[index + 1] ?? '';
      if (/[dws]/i.test(next)) return undefined;
      sample += next;
      index += 2;
      continue;
    }
    if (char === '(') {
      const end = closingParen(pattern, index);
      if (end < 0) return undefined;
      const group = pattern.slice(index, end + 1);
      const optional = pattern[end + 1] === '?' || pattern[end + 1] === '*';
      if (/^\(\?P?<(?:version|base)>/.test(group)) sample += version;
      else if (!optional) {
        const inner = sampleFromRegex(group.replace(/^\((?:\?:|\?P?<\w+>)?/, '').replace(/\)$/, '').split('|')[0]!, version);
        if (inner === undefined) return undefined;
        sample += inner;
      }
      index = end + 1 + (optional ? 1 : 0);
      continue;
    }
    if (char === '[') {
      const end = pattern.indexOf(']', index + 1);
      if (end < 0) return undefined;
      const first = pattern[index + 1] === '^' ? undefined : pattern[index + 1];
      if (first === undefined) return undefined;
      const quantifier = pattern[end + 1];
      if (quantifier !== '?' && quantifier !== '*') sample += first;
      index = end + 1 + (quantifier && '?*+'.includes(quantifier) ? 1 : 0);
      continue;
    }
    if (char === '?' || char === '*') {
      sample = sample.slice(0, -1);
      index++;
      continue;
    }
    if (char === '+') {
      index++;
      continue;
    }
    if (char === '{') {
      const end = pattern.indexOf('}', index);
      index = end < 0 ? pattern.length : end + 1;
      continue;
    }
    // The first alternative is a tag of its own; any character cannot be chosen for the user.
    if (char === '|') break;
    if (char === '.') return undefined;
    sample += char;
    index++;
  }
  try {
    const regex = new RegExp(source.replace(/\(\?P</g, '(?<').replace(/^\(\?i\)/, ''), /^\(\?i\)/.test(source) ? 'i' : '');
    return regex.test(sample) ? sample : undefined;
  } catch {
    return undefined;
  }
}

function closingParen(pattern: string, open: number): number {
  let depth = 0;
  for (let index = open; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '\\') index++;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return index;
  }
  return -1;
}
