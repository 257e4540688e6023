// Synthetic monorepos shaped like the seed at any size: N packages under packages/, one caller
// workflow per package with its own tag pattern and token, one shared reusable workflow, and a
// README with a PyPI and a workflow badge per package.
import fs from 'node:fs';
import path from 'node:path';

const SHA = {
  checkout: '11bd71901bbe5b1630ceea73d27597364c9af683',
  setupPython: 'a26af69be951a213d495a4c3e4e4022e16d87065',
};

function write(root, file, content) {
  const absolute = path.join(root, file);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  fs.writeFileSync(absolute, content);
}

function pyproject(name, module) {
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
dependencies = ["requests>=2.31,<3"]

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
      - uses: actions/checkout@${SHA.checkout} # v4.2.2
        with:
          persist-credentials: false
      - uses: actions/setup-python@${SHA.setupPython} # v5.6.0
        with:
          python-version: "3.12"
      - run: python -m pip install build twine
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
    write(root, `packages/${short}/pyproject.toml`, pyproject(name, module));
    write(root, `packages/${short}/README.md`, `# ${name}\n\n\`pip install ${name}\`\n`);
    write(root, `packages/${short}/${module}/__init__.py`, '__version__ = "1.0.0"\n');
    write(root, `packages/${short}/LICENSE`, 'MIT\n');
    write(root, `.github/workflows/publish-${short}.yml`, caller(short, secret));
    readme.push(
      `[![PyPI - ${name}](https://img.shields.io/pypi/v/${name})](https://pypi.org/project/${name}/) ` +
        `[![publish-${short}](https://github.com/bench/mono/actions/workflows/publish-${short}.yml/badge.svg)](https://github.com/bench/mono/actions/workflows/publish-${short}.yml)`,
    );
    secrets.push(`| \`${secret}\` | ${name} |`);
    tags.push(`- \`${short}-v*\`: ${name}`);
  }
  readme.push('', '## Install', '', ...Array.from({ length: count }, (_, index) => `- \`pip install bench-pkg${index}\``), '', ...secrets, '', ...tags, '');
  write(root, 'README.md', readme.join('\n'));
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
      .replace('dependencies = ["requests>=2.31,<3"]', `dependencies = [\n${dependencies}\n]`);
    fs.writeFileSync(file, `${text}\n[tool.bulk]\n${options}\n`);
  }
}
