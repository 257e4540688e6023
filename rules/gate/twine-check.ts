import { defineRule } from '../../src/engine/rule.js';
import { readmeFile, where } from '../../src/gate/locate.js';
import { hasPyproject } from '../../src/packages/package.js';
import { pushTo } from '../../src/group.js';

export default defineRule({
  meta: {
    id: 'gate/twine-check',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    gateOnly: true,
    description: '`twine check --strict` fails on a built wheel or sdist.',
    docs: {
      catches:
        'After a successful build, `pypi-release-lint gate` runs `python -m twine check --strict` on the wheel and the ' +
        'sdist. Each distinct complaint is one finding naming the artifacts it applies to: most often a long description ' +
        '(the readme) that PyPI would not render — reStructuredText with markup errors, or a missing ' +
        '`long_description_content_type` — which `--strict` turns from a warning into a failure. When twine names a line of ' +
        'the readme, the finding points at that line of the readme file.',
      why:
        'PyPI rejects an upload whose description does not render, after the version has been tagged; and a project page ' +
        'that shows raw markup is the first thing users see. The release workflow runs the same check, so it fails there ' +
        'too — better before the tag.',
      failing: { file: 'README.rst', content: 'Installation\n-----\n\nRun ``pip install demo``.\n' },
      passing: { file: 'README.rst', content: 'Installation\n------------\n\nRun ``pip install demo``.\n' },
      fixSafety: 'No fix: the markup has to be corrected by hand (a title underline at least as long as its title, a declared readme content type).',
    },
  },
  async check({ project, report, run }) {
    // The gate's machinery (processes, archive readers) loads only when a gate runs.
    const { gateRun } = await import('../../src/gate/session.js');
    const gate = await gateRun(project, run);
    for (const outcome of gate.outcomes.values()) {
      const pkg = project.packageAt(outcome.dir);
      // A twine too old for the metadata fails every artifact: gate/tooling says so, once.
      if (!pkg || !hasPyproject(pkg) || !outcome.twine || outcome.twineTooOld) continue;
      const file = pkg.pyproject;
      const readmeEntry = file.rangeOfEntry(['project', 'readme']);
      const fallback = readmeEntry ?? file.rangeOfEntry(['project']) ?? { start: 0, end: 0 };
      if (outcome.twine.failure) {
        report({ file, range: fallback, message: `${outcome.label}: ${outcome.twine.failure}` });
        continue;
      }
      // The same complaint about the wheel and the sdist is one finding.
      const byMessage = new Map<string, string[]>();
      for (const result of outcome.twine.files) {
        if (result.passed) continue;
        const messages = result.messages.length > 0 ? result.messages : ['FAILED (twine gave no reason)'];
        for (const message of messages) pushTo(byMessage, message, result.file);
      }
      const readme = readmeFile(project, pkg);
      for (const [message, files] of byMessage) {
        const line = Number(/\bline (\d+):/.exec(message)?.[1]);
        const onReadme = readme && Number.isInteger(line) && line >= 1 && line <= readme.lineCount;
        const declared = readmeEntry ? ` (${file.text.slice(readmeEntry.start, readmeEntry.end)} is at ${where(file, readmeEntry)})` : '';
        const text = `${outcome.label}: twine check --strict FAILED on ${files.join(' and ')}: ${message}`;
        if (onReadme) {
          const lineText = readme.lineText(line);
          report({ file: readme, location: { line, column: 1, endLine: line, endColumn: lineText.length + 1 }, message: `${text}${declared}` });
        } else {
          report({ file, range: fallback, message: text });
        }
      }
    }
  },
});
