// Synthetic monorepos shaped like the seed at any size, so that every rule has work in proportion to
// N: N packages under packages/, each but the first requiring a sibling (a binary tree of
// dependencies), one caller workflow per package with its own tag pattern and token, one shared
// reusable workflow, a README with a PyPI and a workflow badge per package, and per package a
// readme and a doc page (docs/packages/) with its badges, install line, secret and tag pattern.
// Also the large generated workflows some projects commit (largeWorkflow).
import fs from 'node:fs';
import path from 'node:path';

const SHA = {
  checkout: '11bd71901bbe5b1630ceea73d27597364c9af683',
  setupPython: 'a26af69be951a213d495a4c3e4e4022e16d87065',
};

/** The steps every generated job starts with: a pinned checkout without credentials, and Python. */
const CHECKOUT = `      - uses: actions/checkout@${SHA.checkout} # v4.2.2
        with:
          persist-credentials: false
`;
const setupPython = (version) => `      - uses: actions/setup-python@${SHA.setupPython} # v5.6.0
        with:
          python-version: ${version}
`;

function write(root, file, content) {
  const absolute = path.join(root, file);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  fs.writeFileSync(absolute, content);
}

function pyproject(name, module, sibling) {
  return `[build-system]
requires = ["setuptools>=61.0"]
build-backend = "setuptools.build_meta"

[project]
name = "${name}"
version = "1.0.0"
description = "Synthetic package ${name}."
readme = "README.md"
requires-python = ">=3.10"
license = { text = "MIT" }
authors = [{ name = "Bench" }]
keywords = ["bench"]
classifiers = ["Programming Language :: Python :: 3.10"]
dependencies = ["requests>=2.31,<3"${sibling ? `, "${sibling}>=1.0,<2"` : ''}]

[project.urls]
Source = "https://github.com/bench/mono"

[tool.setuptools]
packages = ["${module}"]
`;
}

const REUSABLE = `name: Publish (reusable)
on:
  workflow_call:
    inputs:
      package-path:
        type: string
        required: true
      dry-run:
        type: boolean
        default: false
    secrets:
      pypi-token:
        required: true
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: pypi
    steps:
${CHECKOUT}${setupPython('"3.12"')}      - run: python -m pip install build twine
      - working-directory: \${{ inputs.package-path }}
        run: python -m build
      - working-directory: \${{ inputs.package-path }}
        run: twine check --strict dist/*
      - name: Check the tag
        if: \${{ github.ref_type == 'tag' }}
        working-directory: \${{ inputs.package-path }}
        run: test "\${GITHUB_REF_NAME##*-v}" = "$(python -c 'import glob; print(glob.glob("dist/*.whl")[0].split("-")[1])')"
      - if: \${{ !inputs.dry-run }}
        working-directory: \${{ inputs.package-path }}
        env:
          TWINE_USERNAME: __token__
          TWINE_PASSWORD: \${{ secrets.pypi-token }}
        run: twine upload dist/*
`;

function caller(short, secret) {
  return `name: Publish ${short}
on:
  push:
    tags:
      - "${short}-v*"
  workflow_dispatch:
    inputs:
      dry-run:
        type: boolean
        default: true
permissions:
  contents: read
jobs:
  publish:
    uses: ./.github/workflows/publish.yml
    with:
      package-path: packages/${short}
      dry-run: \${{ inputs.dry-run || false }}
    secrets:
      pypi-token: \${{ secrets.${secret} }}
`;
}

function badges(name, short) {
  return (
    `[![PyPI - ${name}](https://img.shields.io/pypi/v/${name})](https://pypi.org/project/${name}/) ` +
    `[![publish-${short}](https://github.com/bench/mono/actions/workflows/publish-${short}.yml/badge.svg)](https://github.com/bench/mono/actions/workflows/publish-${short}.yml)`
  );
}

function packageDoc(name, short, secret) {
  return `# ${name}

${badges(name, short)}

Install it with \`pip install ${name}\`.

## Secrets

- \`${secret}\`: the PyPI token of ${name}

## Tags

- \`${short}-v*\`: releases ${name}
`;
}

/** Writes a repo with `count` packages into `root`. */
export function generateMonorepo(root, count) {
  const readme = ['# Bench monorepo', ''];
  const secrets = ['## Secrets', '', '| Secret | Package |', '| --- | --- |'];
  const tags = ['## Tags', ''];
  write(root, '.github/workflows/publish.yml', REUSABLE);
  for (let index = 0; index < count; index++) {
    const short = `pkg${index}`;
    const name = `bench-${short}`;
    const module = `bench_${short}`;
    const secret = `PYPI_TOKEN_PKG${index}`;
    const sibling = index > 0 ? `bench-pkg${(index - 1) >> 1}` : undefined;
    write(root, `packages/${short}/pyproject.toml`, pyproject(name, module, sibling));
    write(root, `packages/${short}/README.md`, `# ${name}\n\n${badges(name, short)}\n\n\`pip install ${name}\`\n`);
    write(root, `docs/packages/${short}.md`, packageDoc(name, short, secret));
    write(root, `packages/${short}/${module}/__init__.py`, '__version__ = "1.0.0"\n');
    write(root, `packages/${short}/LICENSE`, 'MIT\n');
    write(root, `.github/workflows/publish-${short}.yml`, caller(short, secret));
    readme.push(badges(name, short));
    secrets.push(`| \`${secret}\` | ${name} |`);
    tags.push(`- \`${short}-v*\`: ${name}`);
  }
  readme.push('', '## Install', '', ...Array.from({ length: count }, (_, index) => `- \`pip install bench-pkg${index}\``), '', ...secrets, '', ...tags, '');
  write(root, 'README.md', readme.join('\n'));
  // Not a workflow: a folder beside them, which a reader of .github/workflows must step over.
  write(root, '.github/workflows/scripts/check_tag.py', 'import sys\n');
  write(root, '.pypi-release-lint.toml', 'repository = "bench/mono"\n[rules]\n"workflow/trusted-publishing" = "off"\n');
}

/**
 * Pads each of the `count` pyprojects of a generated monorepo to ~130 KB (1500 dependencies, a tool
 * table of 1800 keys) and duplicates a classifier in each, so that every file has a finding that
 * needs its positions (and a safe fix): the memory case of the hostile bench and test.
 */
export function padPyprojects(root, count) {
  for (let index = 0; index < count; index++) {
    const file = path.join(root, `packages/pkg${index}/pyproject.toml`);
    const dependencies = Array.from({ length: 1500 }, (_, k) => `  "dependency-number-${k}>=1.${k}",`).join('\n');
    const options = Array.from({ length: 1800 }, (_, k) => `option_${k} = "value number ${k} of the tool"`).join('\n');
    const text = fs
      .readFileSync(file, 'utf8')
      .replace('classifiers = ["Programming Language :: Python :: 3.10"]', 'classifiers = ["Programming Language :: Python :: 3.10", "Programming Language :: Python :: 3.10"]')
      .replace(/^dependencies = \[(.*)\]$/m, (_, written) => `dependencies = [\n  ${written},\n${dependencies}\n]`);
    fs.writeFileSync(file, `${text}\n[tool.bulk]\n${options}\n`);
  }
}

function generatedJob(index) {
  return `  test-${index}:
    name: "test ${index} (\${{ matrix.python-version }}, \${{ matrix.os }})"
    needs: [lint]
    if: \${{ github.event_name != 'schedule' || github.repository == 'bench/mono' }}
    runs-on: \${{ matrix.os }}
    timeout-minutes: 30
    strategy:
      fail-fast: false
      matrix:
        os: [ubuntu-latest, macos-latest, windows-latest]
        python-version: ["3.10", "3.11", "3.12", "3.13"]
        exclude:
          - os: windows-latest
            python-version: "3.10"
    env:
      SUITE: suite-${index}
      COVERAGE_FILE: .coverage.\${{ matrix.os }}.\${{ matrix.python-version }}.${index}
    steps:
${CHECKOUT}${setupPython('${{ matrix.python-version }}')}      - name: Install suite ${index}
        run: |
          python -m pip install --upgrade pip
          python -m pip install -e "packages/pkg${index}[test]"
      - name: Run suite ${index}
        shell: bash
        run: |
          python -m pytest packages/pkg${index}/tests \\
            --junitxml="reports/\${SUITE}-\${{ matrix.os }}.xml" \\
            -k "not slow" -p no:cacheprovider
          echo "suite ${index} done on \${{ matrix.os }}" >> "$GITHUB_STEP_SUMMARY"
`;
}

/**
 * A CI workflow of about `bytes` bytes, written by a generator as some projects commit them: a lint
 * job and as many matrix test jobs as fit. No upload: it is read, modelled and checked, never a route.
 */
export function largeWorkflow(bytes = 130 * 1024) {
  const parts = [
    `# Generated by a template; edit the template, not this file.
name: CI
on:
  push:
    branches: [main]
  pull_request:
  schedule:
    - cron: "0 3 * * 1"
permissions:
  contents: read
concurrency:
  group: ci-\${{ github.ref }}
  cancel-in-progress: true
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
${CHECKOUT}      - run: pipx run ruff check .
`,
  ];
  let size = parts[0].length;
  for (let index = 0; size < bytes; index++) {
    parts.push(generatedJob(index));
    size += parts[parts.length - 1].length;
  }
  return parts.join('');
}

/** Adds `count` large generated workflows (ci-0.yml ...) to a repo. */
export function addLargeWorkflows(root, count, bytes = 130 * 1024) {
  const text = largeWorkflow(bytes);
  for (let index = 0; index < count; index++) write(root, `.github/workflows/ci-${index}.yml`, text.replace('name: CI', `name: CI ${index}`));
}
