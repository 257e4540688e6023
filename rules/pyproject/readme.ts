import path from 'node:path';
import { defineRule } from '../../src/engine/rule.js';
import type { Project } from '../../src/project/project.js';
import type { TomlKeyPath } from '../../src/project/toml-file.js';
import { isDirectory, joinPath, leavesRoot } from '../../src/pyproject/fs.js';
import { isPublished, repoPackages, type RepoPackage } from '../../src/pyproject/packages.js';
import { valueRange } from '../../src/pyproject/toml-text.js';
import { README_CONTENT_TYPES } from '../../src/pyproject/description-type.js';

/** The content types PyPI renders (readme_renderer); anything else is rejected on upload. */
const CONTENT_TYPES = ['text/markdown', 'text/x-rst', 'text/plain'];

export default defineRule({
  meta: {
    id: 'pyproject/readme',
    category: 'release',
    defaultSeverity: 'error',
    kinds: {
      broken: {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'A readme that does not exist, lies outside the package directory, or has a content type PyPI rejects.',
      },
      empty: { category: 'hygiene', defaultSeverity: 'warning', enabledByDefault: true, description: 'An empty readme: the PyPI project page would be blank.' },
    },
    fixable: 'none',
    description: 'A readme that does not exist, is empty, lies outside the package directory, or has a content type PyPI cannot render.',
    docs: {
      catches:
        'For each published package: a `readme` (string, or `{ file = ... }`; also setuptools\' `[tool.setuptools.dynamic] readme`) ' +
        'whose file does not exist; that lies outside the package directory (`readme = "../../docs/raw_en_docs/PLUGIN_README.md"`); ' +
        'whose extension is none of .md, .rst, .txt, or whose `content-type` is not text/markdown, text/x-rst or text/plain ' +
        '(kind `broken`, errors); that is empty (kind `empty`, a warning).',
      why:
        'The readme becomes the PyPI project page. A missing file fails the build. A file outside the package directory is ' +
        'read when the sdist is built, but the sdist cannot carry it, so the wheel build from that sdist (what ' +
        '`python -m build` does, and what pip does from an sdist) fails: a monorepo that moves plugin READMEs into a docs ' +
        'folder breaks exactly this way. An unknown content type is rejected by PyPI on upload, after the build passed.',
      failing: {
        file: 'plugins/hf/pyproject.toml',
        content: '[project]\nname = "demo-hf"\nversion = "1.0.0"\nreadme = "../../docs/PLUGIN_HF_README.md"\n',
      },
      passing: {
        file: 'plugins/hf/pyproject.toml',
        content: '[project]\nname = "demo-hf"\nversion = "1.0.0"\nreadme = "README.md"\n',
      },
      fixSafety: 'No fix: moving a file is the maintainer\'s call (and the docs site may link to the old place).',
    },
  },
  check({ project, report }) {
    for (const pkg of repoPackages(project)) {
      if (pkg.kind !== 'pep621' || !isPublished(project, pkg)) continue;
      const file = pkg.pyproject;
      const readme = file.get(['project', 'readme']);
      const at: At = (keyPath, message, kind = 'broken') => report({ kind, file, range: valueRange(file, keyPath), message: `${pkg.name}: ${message}` });
      if (typeof readme === 'string') {
        checkFile(project, pkg, readme, ['project', 'readme'], at);
        const type = README_CONTENT_TYPES[path.posix.extname(readme).toLowerCase()];
        if (!type) at(['project', 'readme'], `readme "${readme}" has no .md, .rst or .txt extension, so its content type is unknown; backends refuse to guess it (write readme = { file = "${readme}", content-type = "text/markdown" })`);
      } else if (readme && typeof readme === 'object' && !Array.isArray(readme)) {
        const spec = readme as Record<string, unknown>;
        if (typeof spec.file === 'string') checkFile(project, pkg, spec.file, ['project', 'readme', 'file'], at);
        if (typeof spec.text === 'string' && spec.text.trim() === '') at(['project', 'readme', 'text'], 'readme text is empty: the PyPI project page would be blank', 'empty');
        if (typeof spec['content-type'] === 'string') checkContentType(spec['content-type'], ['project', 'readme', 'content-type'], at);
      } else if (pkg.dynamic.includes('readme')) {
        const dynamic = file.get(['tool', 'setuptools', 'dynamic', 'readme']);
        if (dynamic && typeof dynamic === 'object' && !Array.isArray(dynamic)) {
          const spec = dynamic as Record<string, unknown>;
          const files = typeof spec.file === 'string' ? [spec.file] : Array.isArray(spec.file) ? spec.file : [];
          files.forEach((entry, index) => {
            if (typeof entry !== 'string') return;
            const keyPath: TomlKeyPath = typeof spec.file === 'string' ? ['tool', 'setuptools', 'dynamic', 'readme', 'file'] : ['tool', 'setuptools', 'dynamic', 'readme', 'file', index];
            checkFile(project, pkg, entry, keyPath, at);
          });
          if (typeof spec['content-type'] === 'string') checkContentType(spec['content-type'], ['tool', 'setuptools', 'dynamic', 'readme', 'content-type'], at);
        }
      }
    }
  },
});

type At = (keyPath: TomlKeyPath, message: string, kind?: 'broken' | 'empty') => void;

function checkFile(project: Project, pkg: RepoPackage, declared: string, keyPath: TomlKeyPath, at: At): void {
  const target = joinPath(pkg.dir, declared);
  const packageDir = pkg.dir === '.' ? 'the repository root' : pkg.dir;
  if (path.posix.isAbsolute(declared) || leavesRoot(target)) {
    at(keyPath, `readme "${declared}" lies outside the repository: no build can read it`);
    return;
  }
  const outside = pkg.dir !== '.' && !(target === pkg.dir || target.startsWith(`${pkg.dir}/`));
  const exists = project.exists(target) && !isDirectory(project, target);
  if (outside) {
    at(
      keyPath,
      `readme "${declared}" resolves to ${target}, outside the package directory ${packageDir}${exists ? '' : ' (and does not exist)'}: ` +
        'the sdist cannot carry it, so building the wheel from the sdist fails; keep the readme in the package directory',
    );
    return;
  }
  if (!exists) {
    at(keyPath, `readme "${declared}" does not exist (${target}): the build fails`);
    return;
  }
  const text = project.readText(target);
  if (text !== undefined && text.trim() === '') at(keyPath, `readme ${target} is empty: the PyPI project page would be blank`, 'empty');
}

function checkContentType(value: string, keyPath: TomlKeyPath, at: At): void {
  const type = value.split(';')[0]!.trim().toLowerCase();
  if (!CONTENT_TYPES.includes(type)) {
    at(keyPath, `readme content-type "${value}" is not one PyPI renders (text/markdown, text/x-rst or text/plain): the upload is rejected`);
  }
}
