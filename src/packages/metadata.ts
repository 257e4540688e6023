/**
 * A package's core metadata fields, however it declares them: PEP 621 `[project]` (a field in
 * `dynamic` counts as present), Poetry's `[tool.poetry]` (the Python constraint is its
 * `dependencies.python`), or setup.cfg's `[metadata]` / `[options]`. A setup.py computes its
 * metadata and a pyproject that does not parse has none to read: no view for those.
 */
import type { Range, SourceFile } from '../project/source-file.js';
import type { TomlFile, TomlKeyPath } from '../project/toml-file.js';
import type { Package } from './package.js';
import { parseIni } from './setup-files.js';

/** The metadata fields the rules speak of, in PEP 621's names. */
export type MetadataField = 'name' | 'version' | 'description' | 'readme' | 'requires-python' | 'license' | 'authors' | 'urls' | 'classifiers' | 'keywords';

export interface MetadataView {
  file: SourceFile;
  /** How the table is named in messages: `[project]`, `[tool.poetry]`, `setup.cfg [metadata]`. */
  table: string;
  has(field: string): boolean;
  /** Where a finding about a missing field points: the table's header. */
  headerRange(): Range;
}

const POETRY: Record<MetadataField, TomlKeyPath[]> = {
  name: [['tool', 'poetry', 'name']],
  version: [['tool', 'poetry', 'version']],
  description: [['tool', 'poetry', 'description']],
  readme: [['tool', 'poetry', 'readme']],
  'requires-python': [['tool', 'poetry', 'dependencies', 'python']],
  license: [['tool', 'poetry', 'license']],
  authors: [['tool', 'poetry', 'authors'], ['tool', 'poetry', 'maintainers']],
  urls: [['tool', 'poetry', 'homepage'], ['tool', 'poetry', 'repository'], ['tool', 'poetry', 'documentation'], ['tool', 'poetry', 'urls']],
  classifiers: [['tool', 'poetry', 'classifiers']],
  keywords: [['tool', 'poetry', 'keywords']],
};

/** setup.cfg keys (section, key) per field. */
const SETUP_CFG: Record<MetadataField, [string, string][]> = {
  name: [['metadata', 'name']],
  version: [['metadata', 'version']],
  description: [['metadata', 'description']],
  readme: [['metadata', 'long_description']],
  'requires-python': [['options', 'python_requires']],
  license: [['metadata', 'license'], ['metadata', 'license_expression'], ['metadata', 'license_files']],
  authors: [['metadata', 'author'], ['metadata', 'maintainer']],
  urls: [['metadata', 'url'], ['metadata', 'project_urls'], ['metadata', 'home_page']],
  classifiers: [['metadata', 'classifiers']],
  keywords: [['metadata', 'keywords']],
};

export function metadataView(pkg: Package): MetadataView | undefined {
  if (pkg.kind === 'pep621' && pkg.pyproject) {
    const file = pkg.pyproject;
    return {
      file,
      table: '[project]',
      has: (field) => (field === 'authors' ? ['authors', 'maintainers'] : [field]).some((key) => pkg.project[key] !== undefined || pkg.dynamic.includes(key)),
      headerRange: () => file.rangeOfEntry(['project']) ?? { start: 0, end: 0 },
    };
  }
  if (pkg.kind === 'poetry' && pkg.pyproject) {
    const file: TomlFile = pkg.pyproject;
    return {
      file,
      table: '[tool.poetry]',
      has: (field) => (POETRY[field as MetadataField] ?? []).some((path) => file.get(path) !== undefined),
      headerRange: () => file.rangeOfEntry(['tool', 'poetry']) ?? { start: 0, end: 0 },
    };
  }
  if (pkg.kind === 'setup.cfg') {
    const file = pkg.declaredIn;
    const sections = parseIni(file.text);
    return {
      file,
      table: 'setup.cfg [metadata]',
      has: (field) => (SETUP_CFG[field as MetadataField] ?? []).some(([section, key]) => sections.get(section)?.has(key)),
      headerRange: () => {
        const match = /^\[metadata\][^\n]*/m.exec(file.text);
        return match ? { start: match.index, end: match.index + match[0].length } : { start: 0, end: 0 };
      },
    };
  }
  return undefined;
}
