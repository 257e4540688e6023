import path from 'node:path';
import { factKey, type Package, type Project } from '../project/project.js';
import type { SourceFile } from '../project/source-file.js';

const README = /^readme(\.[A-Za-z0-9]+)?$/i;
const PREFERENCE = ['.md', '.markdown', '.rst', '.txt', ''];

function rank(name: string): number {
  const extension = path.posix.extname(name).toLowerCase();
  const index = PREFERENCE.indexOf(extension);
  return index < 0 ? PREFERENCE.length : index;
}

/** README.* files of a directory, the ones PyPI and GitHub render first. */
function readmesIn(project: Project, directory: string): string[] {
  return project
    .listDirectory(directory)
    .filter((entry) => README.test(entry))
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))
    .map((entry) => (directory === '.' ? entry : `${directory}/${entry}`));
}

/** The file a package's `readme` names (string or { file }), repo-relative, or undefined. */
export function declaredReadme(pkg: Package): string | undefined {
  const readme = pkg.project.readme;
  const file = typeof readme === 'string' ? readme : readme && typeof readme === 'object' && typeof (readme as { file?: unknown }).file === 'string' ? (readme as { file: string }).file : undefined;
  if (!file) return undefined;
  return path.posix.normalize(path.posix.join(pkg.dir, file));
}

const ROOT_README = factKey<SourceFile | undefined>('root-readme');

/** The repository's root README: the one the root package declares, else README.md before .rst before others. */
export function rootReadme(project: Project): SourceFile | undefined {
  return project.fact(ROOT_README, () => {
    const candidates = readmesIn(project, '.');
    const declared = project.packageAt('.') && declaredReadme(project.packageAt('.')!);
    const chosen = declared && candidates.includes(declared) ? declared : candidates[0];
    return chosen ? project.sourceFile(chosen) : undefined;
  });
}

/** A package's own readme: the file its `readme` names, else a README.* in its directory. */
export function packageReadme(project: Project, pkg: Package): SourceFile | undefined {
  const declared = declaredReadme(pkg);
  if (declared && !declared.startsWith('../')) {
    const file = project.sourceFile(declared);
    if (file) return file;
  }
  const found = readmesIn(project, pkg.dir)[0];
  return found ? project.sourceFile(found) : undefined;
}

/** Whether a file is Markdown or reStructuredText (what the doc reader understands). */
export function isDocument(file: SourceFile): boolean {
  return /\.(md|markdown|mdown|mkd|rst|rest|txt)$/i.test(file.path) || README.test(path.posix.basename(file.path));
}
