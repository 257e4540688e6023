import { describe, expect, it } from 'vitest';
import { materialize } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';
import { findingRows } from './helpers/pyproject.js';

const RULE = 'pyproject/package-contents';
const HATCH = '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n';
const SETUPTOOLS = '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n';
const PLUGIN = `${HATCH}[project]\nname = "acme-hf"\nversion = "1.0.0"\n`;

function project(buildSystem: string, name: string, tool: string, files: Record<string, string>): string {
  return writeRepo({ 'pyproject.toml': `${buildSystem}[project]\nname = "${name}"\nversion = "1.0.0"\n${tool ? `\n${tool}` : ''}`, ...files });
}

describe('pyproject/package-contents', () => {
  it.each(['open-ticket-ai', 'pyproject/uv-workspace', 'pyproject/src-layout-plugins', 'pyproject/dynamic-versions', 'pyproject/poetry-only', 'pyproject/template-copy'])(
    'is silent on %s',
    async (name) => {
      expect(await findingRows(materialize(name), RULE)).toEqual([]);
    },
  );

  it('catches a core whose include pattern swallows its plugins, at the pattern', async () => {
    const swallow = (plugin: string, dir: string, why: string, line: number) =>
      `${RULE} error pyproject.toml:${line} open-ticket-ai: ${why} (src/${dir}), the directory of ${plugin} (src/${dir}/pyproject.toml): its wheel would ship a copy of ${plugin}'s files; exclude src/${dir} from open-ticket-ai's package discovery`;
    expect(await findingRows(materialize('core-swallows-plugins'), RULE)).toEqual([
      swallow('open-ticket-ai-hf-local', 'open_ticket_ai_hf_local', 'include "open_ticket_ai*" matches open_ticket_ai_hf_local', 43),
      swallow('open-ticket-ai-otobo-znuny-plugin', 'open_ticket_ai_otobo_znuny_plugin', 'include "open_ticket_ai*" matches open_ticket_ai_otobo_znuny_plugin', 43),
    ]);
    expect(await findingRows(materialize('seed-as-described'), RULE)).toEqual([
      swallow('open-ticket-ai-hf-local', 'open_ticket_ai_hf_local', 'packages.find where "src" finds open_ticket_ai_hf_local', 42),
      swallow('open-ticket-ai-otobo-znuny-plugin', 'open_ticket_ai_otobo_znuny_plugin', 'packages.find where "src" finds open_ticket_ai_otobo_znuny_plugin', 42),
    ]);
  });

  it('catches a listed package whose directory does not exist', async () => {
    expect(await findingRows(materialize('build-fails'), RULE)).toEqual([
      `${RULE} error src/open_ticket_ai_hf_local/pyproject.toml:42 open-ticket-ai-hf-local: packages lists "open_ticket_ai_huggingface_local", but its directory src/open_ticket_ai_hf_local/open_ticket_ai_huggingface_local does not exist (setuptools fails: "package directory 'open_ticket_ai_huggingface_local' does not exist")`,
    ]);
  });

  it('reports the src-layout plugin repo\'s defects: a flat layout with two top-level packages, a name hatchling cannot find', async () => {
    expect(await findingRows(materialize('pyproject/src-layout-plugins-broken'), RULE)).toEqual([
      `${RULE} error plugins/acme-notify/pyproject.toml:6 acme-notify: hatchling finds nothing to ship: no acme_notify/ or src/acme_notify/ package and no acme_notify.py module matches the name "acme-notify" (the build fails with "Unable to determine which files to ship inside the wheel"); set [tool.hatch.build.targets.wheel] packages`,
      `${RULE} error pyproject.toml:3 acme: setuptools' automatic discovery finds several top-level packages in a flat layout (acme, plugins) and refuses to build; list the package in [tool.setuptools] packages or packages.find`,
    ]);
  });

  it('reads Poetry packages', async () => {
    expect(await findingRows(materialize('pyproject/poetry-only-broken'), RULE)).toEqual([
      `${RULE} error libs/extra/pyproject.toml:12 acme-extra: packages include "acme_extras" from "src" matches nothing in libs/extra/src: poetry-core fails ("No file/folder found for package acme_extras")`,
    ]);
  });

  describe('hatchling', () => {
    it('catches packages = [...] that contains a nested plugin, unless excluded', async () => {
      const files = { 'src/acme/__init__.py': '', 'src/acme/contrib/hf/pyproject.toml': PLUGIN, 'src/acme/contrib/hf/src/acme_hf/__init__.py': '' };
      expect(await findingRows(project(HATCH, 'acme', '[tool.hatch.build.targets.wheel]\npackages = ["src/acme"]\n', files), RULE)).toEqual([
        `${RULE} error pyproject.toml:10 acme: packages lists "src/acme", which holds src/acme/contrib/hf, the directory of acme-hf (src/acme/contrib/hf/pyproject.toml): its wheel would ship a copy of acme-hf's files; exclude src/acme/contrib/hf from acme's package discovery`,
      ]);
      const excluded = project(HATCH, 'acme', '[tool.hatch.build.targets.wheel]\npackages = ["src/acme"]\nexclude = ["src/acme/contrib"]\n', files);
      expect(await findingRows(excluded, RULE)).toEqual([]);
    });

    it('uses [tool.hatch.build] when the wheel target says nothing, and checks only-include and force-include paths', async () => {
      const root = project(HATCH, 'acme', '[tool.hatch.build]\nonly-include = ["src/acme", "src/missing.py"]\n\n[tool.hatch.build.targets.wheel.force-include]\n"../shared" = "acme/shared"\n', { 'src/acme/__init__.py': '' });
      expect(await findingRows(root, RULE)).toEqual([
        `${RULE} error pyproject.toml:10 acme: only-include lists "src/missing.py", but src/missing.py does not exist: the wheel would not contain it`,
        `${RULE} error pyproject.toml:13 acme: force-include "../shared" does not exist (../shared); hatchling fails with "Forced include not found"`,
      ]);
    });

    it('reports include patterns that match no file', async () => {
      const root = project(HATCH, 'acme', '[tool.hatch.build.targets.wheel]\ninclude = ["/lib/**/*.py"]\n', { 'src/acme/__init__.py': '' });
      expect(await findingRows(root, RULE)).toEqual([`${RULE} error pyproject.toml:10 acme: include "/lib/**/*.py" matches no file: the wheel would hold no code`]);
    });

    it('leaves a package whose name is invalid to pyproject/schema: the backend refuses the name before it looks for files', async () => {
      expect(await findingRows(project(HATCH, '<REPLACE ME>', '', {}), RULE)).toEqual([]);
      expect(await findingRows(project(HATCH, 'acme-', '', {}), RULE)).toEqual([]);
      // the same empty package under a valid name
      expect(await findingRows(project(HATCH, 'acme', '', {}), RULE)).toEqual([
        `${RULE} error pyproject.toml:6 acme: hatchling finds nothing to ship: no acme/ or src/acme/ package and no acme.py module matches the name "acme" (the build fails with "Unable to determine which files to ship inside the wheel"); set [tool.hatch.build.targets.wheel] packages`,
      ]);
    });

    it('takes bypass-selection or artifacts for a wheel without files (a metapackage), where no name heuristic finds a package', async () => {
      expect(await findingRows(project(HATCH, 'acme', '', {}), RULE)).toEqual([
        `${RULE} error pyproject.toml:6 acme: hatchling finds nothing to ship: no acme/ or src/acme/ package and no acme.py module matches the name "acme" (the build fails with "Unable to determine which files to ship inside the wheel"); set [tool.hatch.build.targets.wheel] packages`,
      ]);
      expect(await findingRows(project(HATCH, 'acme', '[tool.hatch.build.targets.wheel]\nbypass-selection = true\n', {}), RULE)).toEqual([]);
      expect(await findingRows(project(HATCH, 'acme', '[tool.hatch.build.targets.wheel]\nartifacts = ["*.so"]\n', {}), RULE)).toEqual([]);
    });

    it("reports a metapackage whose bypass-selection hatchling ignores: a sibling's namespace matches its name first (as hatchling 1.27 builds it)", async () => {
      const files = { 'acme_slim/pyproject.toml': `${HATCH}[project]\nname = "acme-slim"\nversion = "1.0.0"\n\n[tool.hatch.build.targets.wheel]\npackages = ["acme"]\n`, 'acme_slim/acme/__init__.py': '' };
      expect(await findingRows(project(HATCH, 'acme', '[tool.hatch.build.targets.wheel]\nbypass-selection = true\n', files), RULE)).toEqual([
        `${RULE} error pyproject.toml:10 acme: hatchling's default file selection picks the namespace acme_slim/acme (acme_slim), the directory of acme-slim (acme_slim/pyproject.toml): ` +
          "its wheel would ship acme-slim's files under acme_slim/, though bypass-selection = true asks for none (hatchling bypasses selection only when none of its name heuristics matches); " +
          'add "/acme_slim" to [tool.hatch.build.targets.wheel] exclude for a wheel without files',
      ]);
      expect(await findingRows(project(HATCH, 'acme', '[tool.hatch.build.targets.wheel]\nbypass-selection = true\nexclude = ["/acme_slim"]\n', files), RULE)).toEqual([]);
    });

    it('finds the default package by the raw or the normalised name, and a namespace package', async () => {
      expect(await findingRows(project(HATCH, 'Acme.Tools', '', { 'acme_tools/__init__.py': '' }), RULE)).toEqual([]);
      expect(await findingRows(project(HATCH, 'acme-tools', '', { 'acme_tools.py': '' }), RULE)).toEqual([]);
      expect(await findingRows(project(HATCH, 'acme-tools', '', { 'ns/acme_tools/__init__.py': '' }), RULE)).toEqual([]);
    });
  });

  describe('setuptools', () => {
    it('checks packages and py-modules against package-dir', async () => {
      const root = project(SETUPTOOLS, 'acme', '[tool.setuptools]\npackage-dir = { "" = "lib" }\npackages = ["acme", "acme.sub"]\npy-modules = ["helpers"]\n', { 'lib/acme/__init__.py': '' });
      expect(await findingRows(root, RULE)).toEqual([
        `${RULE} error pyproject.toml:11 acme: packages lists "acme.sub", but its directory lib/acme/sub does not exist (setuptools fails: "package directory 'lib/acme/sub' does not exist")`,
        `${RULE} error pyproject.toml:12 acme: py-modules lists "helpers", but lib/helpers.py does not exist`,
      ]);
    });

    it('reports a find that finds nothing, and a where that does not exist', async () => {
      expect(await findingRows(project(SETUPTOOLS, 'acme', '[tool.setuptools.packages.find]\nwhere = ["src"]\ninclude = ["acme*"]\n', { 'src/other/__init__.py': '' }), RULE)).toEqual([
        `${RULE} error pyproject.toml:11 acme: [tool.setuptools.packages.find] finds no package under src matching "acme*": the wheel would hold no code; create src/acme/ (a directory with __init__.py) or correct include`,
      ]);
      expect(await findingRows(project(SETUPTOOLS, 'acme', '[tool.setuptools.packages.find]\nwhere = ["lib"]\n', { 'src/acme/__init__.py': '' }), RULE)).toEqual([
        `${RULE} error pyproject.toml:10 acme: [tool.setuptools.packages.find] where "lib" names a directory that does not exist: setuptools finds no package there, and the wheel would hold no code; create lib/acme/ or correct where`,
      ]);
    });

    it('with namespaces = false, skips directories without __init__.py as setuptools does', async () => {
      const files = { 'src/acme/__init__.py': '', 'src/plugins/hf/pyproject.toml': PLUGIN, 'src/plugins/hf/src/acme_hf/__init__.py': '' };
      expect(await findingRows(project(SETUPTOOLS, 'acme', '[tool.setuptools.packages.find]\nwhere = ["src"]\nnamespaces = false\n', files), RULE)).toEqual([]);
      expect((await findingRows(project(SETUPTOOLS, 'acme', '[tool.setuptools.packages.find]\nwhere = ["src"]\n', files), RULE))[0]).toContain(
        'finds plugins.hf (src/plugins/hf), the directory of acme-hf (src/plugins/hf/pyproject.toml): its wheel would ship a copy of acme-hf\'s files',
      );
    });

    it('says so when flat-layout discovery finds only another package\'s directory and no code of its own', async () => {
      expect(await findingRows(project(SETUPTOOLS, 'acme', '', { 'plugins/hf/pyproject.toml': PLUGIN, 'plugins/hf/acme_hf.py': '' }), RULE)).toEqual([
        `${RULE} error pyproject.toml:3 acme: automatic discovery (flat layout) finds plugins.hf (plugins/hf), the directory of acme-hf (plugins/hf/pyproject.toml), but no package of its own: the wheel would ship acme-hf's files instead of acme's code; add acme/ and set [tool.setuptools.packages.find] include = ["acme", "acme.*"]`,
      ]);
    });

    it('discovers a src layout automatically, and reports one with nothing in it', async () => {
      expect(await findingRows(project(SETUPTOOLS, 'acme', '', { 'src/acme/__init__.py': '' }), RULE)).toEqual([]);
      expect(await findingRows(project(SETUPTOOLS, 'acme', '', { 'src/README.md': '' }), RULE)).toEqual([
        `${RULE} error pyproject.toml:3 acme: setuptools' automatic discovery (src-layout) finds no package or module in src: the wheel would hold no code; add src/acme/ (a directory with __init__.py), or list packages in [tool.setuptools]`,
      ]);
      expect(await findingRows(project(SETUPTOOLS, 'acme', '', { 'docs/index.md': '', 'tests/test_x.py': '' }), RULE)).toEqual([
        `${RULE} error pyproject.toml:3 acme: setuptools' automatic discovery finds no package and no module in the repository root: the wheel would hold no code; add acme/ (or src/acme/), or list packages in [tool.setuptools]`,
      ]);
    });

    it('says nothing when a setup.py may configure the packages', async () => {
      expect(await findingRows(project(SETUPTOOLS, 'acme', '', { 'setup.py': 'from setuptools import setup\nsetup()\n', 'a/__init__.py': '', 'b/__init__.py': '' }), RULE)).toEqual([]);
    });
  });

  it('reads flit, pdm-backend and maturin', async () => {
    const flit = '[build-system]\nrequires = ["flit_core>=3.4,<4"]\nbuild-backend = "flit_core.buildapi"\n\n';
    expect(await findingRows(project(flit, 'acme-tools', '', { 'src/acme/__init__.py': '' }), RULE)).toEqual([
      `${RULE} error pyproject.toml:6 acme-tools: flit finds no module "acme_tools" (acme_tools/ or acme_tools.py, at the top or under src/): the build fails with "No file/folder found for module acme_tools"`,
    ]);
    expect(await findingRows(project(flit, 'acme-tools', '[tool.flit.module]\nname = "acme"\n', { 'src/acme/__init__.py': '' }), RULE)).toEqual([]);

    const pdm = '[build-system]\nrequires = ["pdm-backend>=2.4"]\nbuild-backend = "pdm.backend"\n\n';
    expect(await findingRows(project(pdm, 'acme', '', { 'src/README.md': '' }), RULE)).toEqual([
      `${RULE} error pyproject.toml:3 acme: pdm-backend finds no package (a directory with __init__.py) and no module in src: the wheel would hold no code`,
    ]);
    const swallowing = project(pdm, 'acme', '[tool.pdm.build]\nincludes = ["src/acme", "plugins"]\n', { 'src/acme/__init__.py': '', 'plugins/hf/pyproject.toml': PLUGIN, 'plugins/hf/src/acme_hf/__init__.py': '' });
    expect(await findingRows(swallowing, RULE)).toEqual([
      `${RULE} error pyproject.toml:10 acme: includes "plugins", which holds plugins/hf, the directory of acme-hf (plugins/hf/pyproject.toml): its wheel would ship a copy of acme-hf's files; exclude plugins/hf from acme's package discovery`,
    ]);

    const maturin = '[build-system]\nrequires = ["maturin>=1.0,<2.0"]\nbuild-backend = "maturin"\n\n';
    expect(await findingRows(project(maturin, 'acme', '[tool.maturin]\npython-source = "python"\n', { 'Cargo.toml': '[package]\nname = "acme"\nversion = "1.0.0"\n' }), RULE)).toEqual([
      `${RULE} error pyproject.toml:10 acme: python-source "python" does not exist (python)`,
    ]);
  });

  it('skips virtual projects (uv package = false)', async () => {
    expect(await findingRows(project(HATCH, 'acme-app', '[tool.uv]\npackage = false\n', {}), RULE)).toEqual([]);
  });
});
