// The hostile cases of `npm run bench` (issue 16): the worst inputs the bounded algorithms were
// built for, each written as a checkout. Every case must end well within its budgets; the table
// shows what they cost as a whole CLI run.
import fs from 'node:fs';
import path from 'node:path';
import { generateMonorepo, padPyprojects } from './generate.mjs';

function write(root, file, content) {
  const absolute = path.join(root, file);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  fs.writeFileSync(absolute, content);
}

function workflow(name, patterns) {
  return `name: ${name}
on:
  push:
    tags:
${patterns.map((pattern) => `      - ${JSON.stringify(pattern)}`).join('\n')}
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: python -m build
      - run: twine upload dist/*
`;
}

/** name → [description, writer, extra CLI arguments]. */
export const HOSTILE_CASES = {
  'exponential DFA': ['`**a[ab]…[ab]` (22 classes) against `**c`', (root) => {
    write(root, '.github/workflows/hard.yml', workflow('hard', [`**a${'[ab]'.repeat(22)}`]));
    write(root, '.github/workflows/other.yml', workflow('other', ['**c']));
  }],
  'alternating negations': ['20 alternating `*x*` / `!*y*` and `!**#` against `**#`', (root) => {
    const letters = [...'abcdefghijklmnopqrst'].map((letter, index) => `${index % 2 ? '!' : ''}*${letter}*`);
    write(root, '.github/workflows/negations.yml', workflow('negations', [...letters, '!**#']));
    write(root, '.github/workflows/hash.yml', workflow('hash', ['**#']));
  }],
  'pair work': ['500 workflows of 50 `*v[0-9]+.[0-9]+.[0-9]+-wI-pK` patterns', (root) => {
    for (let index = 0; index < 500; index++) {
      write(root, `.github/workflows/p${index}.yml`, workflow(`p${index}`, Array.from({ length: 50 }, (_, k) => `*v[0-9]+.[0-9]+.[0-9]+-w${index}-p${k}`)));
    }
  }],
  'long name': ['`*a*a*a*a*a*a*a*a*b` against a 2000-character package name', (root) => {
    write(root, 'pyproject.toml', `[project]\nname = "${'a'.repeat(2000)}"\nversion = "1.0.0"\n`);
    write(root, '.github/workflows/publish.yml', workflow('publish', ['*a*a*a*a*a*a*a*a*b']));
  }],
  'scripts': ['20 000 heredocs and 20 000 echoes printing a secret; 100 000 unclosed `${{`', (root) => {
    const heredocs = Array.from({ length: 20_000 }, () => 'cat <<EOF\n$TOKEN\nEOF').join('\n');
    const echoes = Array.from({ length: 20_000 }, () => 'echo "$TOKEN" | base64').join('\n');
    const steps = [heredocs, echoes, `echo ${'${{ x '.repeat(100_000)}`].map((script) => `      - env:\n          TOKEN: \${{ secrets.PYPI_TOKEN }}\n        run: |\n${script.split('\n').map((line) => `          ${line}`).join('\n')}`);
    write(root, '.github/workflows/publish.yml', `name: publish\non:\n  push:\n    tags: ["v*"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n${steps.join('\n')}\n      - run: twine upload dist/*\n`);
  }],
  // The duplicate classifier padPyprojects plants is a hygiene check, off by default: select it.
  'memory': ['200 packages of 130 KB pyprojects, a finding with positions in each', (root) => {
    generateMonorepo(root, 200);
    padPyprojects(root, 200);
  }, ['--extend-select', 'pyproject/classifiers/duplicate']],
};
