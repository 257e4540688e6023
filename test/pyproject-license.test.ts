import { describe, expect, it } from 'vitest';
import { materialize } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';
import { findingRows } from './helpers/pyproject.js';
import { checkLicenseExpression } from '../src/pyproject/spdx.js';

const RULE = 'pyproject/license';
const BUILD = '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n';

function plugin(body: string, files: Record<string, string> = {}): string {
  return writeRepo({ 'plugins/a/pyproject.toml': `${BUILD}[project]\nname = "demo"\nversion = "1.0.0"\n${body}`, 'plugins/a/src/demo/__init__.py': '', ...files });
}

describe('pyproject/license', () => {
  it.each(['open-ticket-ai', 'pyproject/uv-workspace', 'pyproject/src-layout-plugins', 'pyproject/dynamic-versions', 'pyproject/template-copy'])('is silent on %s', async (name) => {
    expect(await findingRows(materialize(name), RULE)).toEqual([]);
  });

  it('reports an expression that is not SPDX, with the identifier it meant, and license-files that match nothing', async () => {
    expect(await findingRows(materialize('pyproject/src-layout-plugins-broken'), RULE)).toEqual([
      `${RULE} warning plugins/acme-hf/pyproject.toml:12 acme-hf: license-files "LICENCE*" matches no file in plugins/acme-hf: PEP 639 backends fail the build`,
      `${RULE} warning pyproject.toml:11 acme: license "Apache 2.0" is not a valid SPDX license expression (an identifier cannot contain a space); did you mean "Apache-2.0"?`,
    ]);
  });

  it.each([
    ['MIT OR Apache-2.0', []],
    ['mit or apache-2.0', []],
    ['Apache-2.0 WITH LLVM-exception', []],
    ['LicenseRef-Acme-Proprietary', []],
    ['GPL-3.0', ['license "GPL-3.0" uses the deprecated SPDX identifier GPL-3.0; use GPL-3.0-only or GPL-3.0-or-later']],
    ['GPLv3', ['license "GPLv3" is not a valid SPDX license expression ("GPLv3" is not an SPDX license identifier); did you mean "GPL-3.0-only"?']],
    ['Proprietary', ['license "Proprietary" is not a valid SPDX license expression ("Proprietary" is not an SPDX license identifier); use an identifier from https://spdx.org/licenses/ or LicenseRef-...']],
    ['MIT AND (Apache-2.0', ['license "MIT AND (Apache-2.0" is not a valid SPDX license expression (a "(" is never closed)']],
    ['MIT/Apache-2.0', ['license "MIT/Apache-2.0" is not a valid SPDX license expression ("/" is not SPDX syntax: join licenses with AND or OR)']],
    ['MIT Apache-2.0', ['license "MIT Apache-2.0" is not a valid SPDX license expression ("MIT" and "Apache-2.0" need AND or OR between them)']],
    ['MIT OR', ['license "MIT OR" is not a valid SPDX license expression (it ends with the operator OR)']],
  ])('license = %j', async (expression, messages) => {
    // The whole rule: a deprecated identifier is a hygiene kind, off by default.
    expect(await findingRows(plugin(`license = "${expression}"\n`), RULE, { extendSelect: [RULE] })).toEqual(messages.map((message) => `${RULE} warning plugins/a/pyproject.toml:8 demo: ${message}`));
  });

  it('leaves a deprecated identifier out by default', async () => {
    expect(await findingRows(plugin('license = "GPL-3.0"\n'), RULE)).toEqual([]);
  });

  it('accepts a legacy table, but checks its file', async () => {
    expect(await findingRows(plugin('license = { text = "MIT" }\n'), RULE)).toEqual([]);
    expect(await findingRows(plugin('license = { file = "LICENSE" }\n', { 'plugins/a/LICENSE': 'MIT\n' }), RULE)).toEqual([]);
    expect(await findingRows(plugin('license = { file = "LICENSE.txt" }\n'), RULE)).toEqual([
      `${RULE} warning plugins/a/pyproject.toml:8 demo: license file "LICENSE.txt" does not exist (plugins/a/LICENSE.txt): the build fails`,
    ]);
    expect(await findingRows(plugin('license = { file = "../../LICENSE" }\n', { LICENSE: 'MIT\n' }), RULE)).toEqual([
      `${RULE} warning plugins/a/pyproject.toml:8 demo: license file "../../LICENSE" resolves to LICENSE, outside the package directory plugins/a: the sdist cannot carry it, so the wheel build from the sdist fails`,
    ]);
  });

  it('matches license-files globs in the package directory, and leaves invalid globs to pyproject/schema', async () => {
    const files = { 'plugins/a/LICENSE': 'MIT\n', 'plugins/a/licenses/third-party.txt': 'x\n' };
    expect(await findingRows(plugin('license = "MIT"\nlicense-files = ["LICEN[CS]E*", "licenses/*.txt"]\n', files), RULE)).toEqual([]);
    expect(await findingRows(plugin('license = "MIT"\nlicense-files = ["../LICENSE", "NOTICE"]\n', files), RULE)).toEqual([
      `${RULE} warning plugins/a/pyproject.toml:9 demo: license-files "NOTICE" matches no file in plugins/a: PEP 639 backends fail the build`,
    ]);
  });

  it('parses SPDX case-insensitively and tells deprecated identifiers apart', () => {
    expect(checkLicenseExpression('mit')).toEqual({ ok: true, licenses: ['MIT'], deprecated: [] });
    expect(checkLicenseExpression('GPL-2.0+ OR mit')).toEqual({ ok: true, licenses: ['GPL-2.0', 'MIT'], deprecated: ['GPL-2.0'] });
  });
});
