import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import publishMap from '../rules/workflow/publish-map.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lintWithRule, materialize, where } from './helpers/fixtures.js';

const run = (root: string): Promise<Finding[]> => lintWithRule(publishMap, root);

describe('workflow/publish-map', () => {
  it('passes the good repos', async () => {
    expect(await run(BASE_FIXTURE)).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/uv-monorepo'))).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/inherit-caller'))).toEqual([]);
  });

  it('reports a stale package path at the caller line, and the package left unpublished at its name', async () => {
    const findings = await run(materialize('stale-package-path'));
    expect(findings.map(where)).toEqual([
      'error .github/workflows/publish-otobo-znuny.yml:23:21',
      'warning src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml:6:8',
    ]);
    expect(findings[0]!.message).toBe(
      'publish-otobo-znuny.yml (job publish, through publish-to-pypi.yml) publishes src/open_ticket_ai_otobo_znuny, which has no pyproject.toml: the build fails there; ' +
        'did you mean src/open_ticket_ai_otobo_znuny_plugin, the directory of open-ticket-ai-otobo-znuny-plugin?',
    );
    expect(findings[1]!.message).toBe(
      'open-ticket-ai-otobo-znuny-plugin (src/open_ticket_ai_otobo_znuny_plugin) is published by no workflow, while the packages beside it in src/ are: ' +
        'open-ticket-ai-hf-local (publish-hf-local.yml). Add a publish workflow, map it with ' +
        '[tool.pypi-release-lint.packages."src/open_ticket_ai_otobo_znuny_plugin"] workflow = "FILE.yml", or ignore the directory',
    );
  });

  it('expects no publisher for an example package (variant duplicate-names), nor for a package alone in its directory', async () => {
    expect(await run(materialize('duplicate-names'))).toEqual([]);
    // The core at the root is published; a tool in tools/ has no published package beside it.
    const root = materialize('open-ticket-ai');
    fs.mkdirSync(path.join(root, 'tools/helper'), { recursive: true });
    fs.writeFileSync(path.join(root, 'tools/helper/pyproject.toml'), '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "helper"\nversion = "0.1.0"\n');
    expect(await run(root)).toEqual([]);
  });

  it('reports a choice option that names a directory without a package, at the option', async () => {
    const findings = await run(materialize('stale-choice'));
    expect(findings.map(where)).toEqual(['error .github/workflows/publish-integration.yml:13:13']);
    expect(findings[0]!.message).toBe(
      'publish-integration.yml (job publish) publishes integrations/acme-teams, which has no pyproject.toml: the build fails there; point it at the directory of the package to publish, or remove it',
    );
  });

  it('says once, where it loses the trail, that a publish step cannot be followed; quiet once a glob maps it', async () => {
    const root = materialize('unresolved-package');
    const findings = await run(root);
    expect(findings.map(where)).toEqual(['info .github/workflows/release-integrations.yml:42:14']);
    expect(findings[0]!.message).toBe(
      'uv build --package names a package computed at run time, so the linter cannot tell which packages release-integrations.yml (job publish) publishes; ' +
        'map them in the config: [tool.pypi-release-lint.packages."DIR or GLOB"] workflow = "release-integrations.yml"',
    );

    fs.appendFileSync(path.join(root, 'pyproject.toml'), '\n[tool.pypi-release-lint.packages."integrations/*"]\nworkflow = "release-integrations.yml"\n');
    expect(await run(root)).toEqual([]);
  });

  it('reports a config mapping to a workflow that uploads nothing, at the mapping', async () => {
    const root = materialize('workflows/uv-monorepo');
    fs.appendFileSync(path.join(root, 'pyproject.toml'), '\n[tool.pypi-release-lint.packages."integrations/acme-slack"]\nworkflow = "docs.yml"\n');
    const findings = await run(root);
    expect(findings.map(where)).toEqual(['warning pyproject.toml:36:12']);
    expect(findings[0]!.message).toBe('the config maps integrations/acme-slack to docs.yml, which uploads nothing to PyPI');
  });

  it('reports two workflows publishing one package on the same release', async () => {
    const findings = await run(materialize('double-release'));
    expect(findings.map(where)).toEqual(['error .github/workflows/release-core.yml:5:3']);
    expect(findings[0]!.message).toBe(
      'release-core.yml and publish-open-ticket-ai.yml both publish open-ticket-ai on release: one event uploads the same version twice, and the second upload fails the release',
    );
  });
});
