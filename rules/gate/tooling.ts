import { defineRule } from '../../src/engine/rule.js';
import { repositoryFile } from '../../src/gate/locate.js';
import { pushTo } from '../../src/group.js';

export default defineRule({
  meta: {
    id: 'gate/tooling',
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'none',
    gateOnly: true,
    description: 'The Python that gate runs lacks build or twine, is too old, or does not exist.',
    docs: {
      catches:
        'Before it builds anything, `pypi-release-lint gate` checks the interpreter it was given (`--python PATH`, default ' +
        '`python3` on PATH): that it runs, is Python 3.8 or later, and can run `python -m build --version` and ' +
        '`python -m twine --version`, with the flags the gate needs (`--sdist --wheel --outdir`, with `--no-isolation` also ' +
        '`--skip-dependency-check`; `twine check --strict`). Each missing or too old tool is one finding that says which ' +
        'and how to install it. Without build nothing is built; without twine the artifacts are built and checked, but not ' +
        'with twine. After the builds, a twine older than the Metadata-Version a backend wrote (twine before 6.1 cannot read ' +
        'Metadata 2.4, which hatchling and setuptools write for a `license` expression) is a finding here, not a twine-check ' +
        'failure of the package.',
      why:
        'A gate that silently skips its builds passes a release it never checked. Saying exactly what is missing, and the ' +
        'command that installs it, turns a confusing failure in the release job into a one-line fix.',
      failing: { file: 'release.sh', content: '$ pypi-release-lint gate --python /usr/bin/python3\n# /usr/bin/python3 -m build: No module named build\n' },
      passing: {
        file: 'release.sh',
        content: '$ python3 -m pip install build twine   # or: apt-get install python3-build twine\n$ pypi-release-lint gate --python python3\n',
      },
      fixSafety: 'No fix: installing software is up to you (`pip install build twine`, or the Debian packages python3-build and twine).',
    },
  },
  async check({ project, report, run }) {
    // The gate's machinery (processes, archive readers) loads only when a gate runs.
    const { gateRun } = await import('../../src/gate/session.js');
    const gate = await gateRun(project, run);
    const file = repositoryFile(project);
    if (!file) return;
    for (const problem of gate.tooling.problems) report({ file, message: problem });
    const tooOld = new Map<string, string[]>();
    for (const outcome of gate.outcomes.values()) if (outcome.twineTooOld) pushTo(tooOld, outcome.twineTooOld, outcome.label);
    for (const [reason, labels] of tooOld) {
      const wanted = /twine >= ([\d.]+)/.exec(reason)?.[1];
      report({
        file,
        message:
          `${reason} (the builds of ${labels.join(', ')} write it, and this twine fails them as if their metadata lacked Name and Version); ` +
          `upgrade it: \`${gate.options.python} -m pip install --upgrade ${wanted ? `"twine>=${wanted}"` : 'twine'}\``,
      });
    }
  },
});
