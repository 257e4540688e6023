import { defineRule } from '../../src/engine/rule.js';
import { SourceFile } from '../../src/project/source-file.js';

export default defineRule({
  meta: {
    id: 'core/parse-error',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    description: 'A pyproject.toml, workflow or config file that cannot be read or parsed.',
    docs: {
      catches:
        'A pyproject.toml, workflow, actionlint config or doc that does not parse (TOML or YAML syntax errors, duplicate keys, ' +
        'invalid UTF-8, binary content, files over the size limit, symlinks leading out of the repository). The finding ' +
        "carries the parser's own line and column and a one-line reason; every other file is still linted. Also a file or " +
        'directory that cannot be read (no permission, a path longer than the system allows) and a named pipe, socket or ' +
        'device where a pyproject, workflow or doc belongs: only regular files are read, within the size limit.',
      why: 'A file that does not parse is a file nothing else can check, and a release that will fail: pip cannot build a package whose pyproject.toml is invalid, and GitHub ignores a workflow it cannot parse.',
      failing: { file: 'pyproject.toml', content: '[project]\nname = "demo\nversion = "1.0.0"\n' },
      passing: { file: 'pyproject.toml', content: '[project]\nname = "demo"\nversion = "1.0.0"\n' },
      fixSafety: 'No fix: only the author knows what the file was meant to say.',
    },
  },
  check({ project, report }) {
    for (const problem of project.problems) {
      const file = project.file(problem.file) ?? new SourceFile(problem.file, '');
      report({ file, location: { line: problem.line, column: problem.column }, message: problem.message });
    }
    // directories discovery could not look into: the files under them are missing from every other rule
    for (const entry of project.discovered.unreadable) {
      report({ file: new SourceFile(entry.path, ''), location: { line: 1, column: 1 }, message: entry.reason });
    }
  },
});
