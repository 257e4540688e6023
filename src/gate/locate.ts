/** Where gate findings point: the evidence in the repository that a build's outcome leads back to. */
import path from 'node:path';
import type { Project } from '../project/project.js';
import type { TomlPackage as Package } from '../packages/package.js';
import type { Range, SourceFile } from '../project/source-file.js';

/** A finding about the repository as a whole: the root pyproject.toml, else the first file there is. */
export function repositoryFile(project: Project): SourceFile | undefined {
  return project.rootPyproject ?? project.packages[0]?.pyproject ?? project.pyprojects[0] ?? project.workflows[0] ?? project.files[0];
}

/**
 * The line of a pyproject.toml that a build error names: a quoted word from the error lines
 * (`package directory 'open_ticket_ai_huggingface_local' does not exist`) written as a TOML string
 * in the file. Undefined when the output names nothing the file contains.
 */
export function rangeNamedByOutput(pkg: Package, lines: readonly string[]): Range | undefined {
  const text = pkg.pyproject.text;
  const errorLines = lines.filter((line) => /error|not found|does not exist|no such|cannot|invalid/i.test(line));
  for (const line of [...errorLines].reverse()) {
    for (const match of line.matchAll(/'([^'\n]{2,200})'|"([^"\n]{2,200})"|`([^`\n]{2,200})`/g)) {
      const word = match[1] ?? match[2] ?? match[3]!;
      for (const quoted of [`"${word}"`, `'${word}'`]) {
        const index = text.indexOf(quoted);
        if (index >= 0) return { start: index, end: index + quoted.length };
      }
    }
  }
  return undefined;
}

/** The package's readme file, loaded, when `readme` names a file inside the repository. */
export function readmeFile(project: Project, pkg: Package): SourceFile | undefined {
  const readme = pkg.project.readme;
  const relative =
    typeof readme === 'string'
      ? readme
      : readme && typeof readme === 'object' && typeof (readme as Record<string, unknown>).file === 'string'
        ? ((readme as Record<string, unknown>).file as string)
        : undefined;
  if (relative === undefined) return undefined;
  const joined = path.posix.normalize(path.posix.join(pkg.dir, relative.replace(/\\/g, '/')));
  if (joined.startsWith('../')) return undefined;
  return project.sourceFile(joined);
}

/** `file:line` of a range, for messages that point at a second place. */
export function where(file: SourceFile, range: Range): string {
  return `${file.path}:${file.positionAt(range.start).line}`;
}
