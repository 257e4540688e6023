import path from 'node:path';
import { describe, expect, it } from 'vitest';
import trustedPublishing from '../rules/workflow/trusted-publishing.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lint, materialize, where } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const RULE = 'workflow/trusted-publishing';
const run = async (root: string, ruleOverrides: string[] = []): Promise<Finding[]> =>
  (await lint(root, { rules: [trustedPublishing], ruleOverrides })).filter((finding) => finding.ruleId === RULE);

describe('workflow/trusted-publishing', () => {
  it('passes the good repos: the base turns it off for its per-package tokens, the uv workspace uses OIDC', async () => {
    expect(await run(BASE_FIXTURE)).toEqual([]);
    expect(await run(path.join(FIXTURES, 'workflows/uv-monorepo'))).toEqual([]);
  });

  it("reports the token upload in the reusable workflow and says what PyPI matches there, from warehouse's source (variant token-upload)", async () => {
    const findings = await run(materialize('token-upload'));
    expect(findings.map(where)).toEqual(['warning .github/workflows/publish-to-pypi.yml:80:27']);
    expect(findings[0]!.message).toBe(
      'token upload (TWINE_PASSWORD from secrets.pypi-token, upload at .github/workflows/publish-to-pypi.yml:75) where PyPI trusted publishing would do; the upload sits in the reusable workflow publish-to-pypi.yml ' +
        "(called by publish-hf-local.yml, publish-open-ticket-ai.yml, publish-otobo-znuny.yml): PyPI matches the workflow file of the job that requests the token, " +
        "so register publish-to-pypi.yml (not its caller) as the trusted publisher's workflow on PyPI (see the rule's docs), grant id-token: write to job build-and-publish and the calling jobs and drop the token",
    );
  });

  it('reports workflow-wide id-token, a publish job without environment, and a tokenless upload without id-token', async () => {
    const findings = await run(materialize('trusted-hardening'));
    expect(findings.map(where)).toEqual([
      'warning .github/workflows/publish-core.yml:16:3',
      'warning .github/workflows/publish-core.yml:28:3',
      'error .github/workflows/publish-integration.yml:22:3',
    ]);
    expect(findings[0]!.message).toBe('id-token: write at the workflow level also reaches job test (line 19), which does not upload: grant it on the publish job only');
    expect(findings[1]!.message).toContain('job publish uploads to PyPI without an environment');
    expect(findings[2]!.message).toBe(
      'job publish uploads without a token (trusted publishing, upload at .github/workflows/publish-integration.yml:37) but is not granted id-token: write: ' +
        'it cannot request the OIDC token PyPI exchanges for an upload token, so the upload fails; add permissions: id-token: write to the job',
    );
  });

  it('reports a token upload in a reusable workflow reached through secrets: inherit', async () => {
    const findings = await run(path.join(FIXTURES, 'workflows/inherit-caller'));
    expect(findings.map(where)).toEqual(['warning .github/workflows/build-publish.yml:32:27']);
    expect(findings[0]!.message).toContain('token upload (TWINE_PASSWORD from secrets.PYPI_API_TOKEN, upload at .github/workflows/build-publish.yml:29)');
  });

  it("takes id-token: write for build provenance in a job that only builds (hynek's build action told to attest), and reports it without", async () => {
    const workflow = (attest: string): string =>
      'on:\n  release:\n    types: [published]\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    permissions:\n      attestations: write\n      id-token: write\n    steps:\n' +
      `      - uses: actions/checkout@v4\n      - uses: hynek/build-and-inspect-python-package@v2\n${attest}` +
      '  publish:\n    needs: build\n    environment: pypi\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n' +
      '      - uses: actions/download-artifact@v4\n        with:\n          name: Packages\n          path: dist\n      - uses: pypa/gh-action-pypi-publish@release/v1\n';
    const repo = (attest: string): string => writeRepo({ 'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\n', '.github/workflows/publish.yml': workflow(attest) });
    expect((await run(repo("        with:\n          attest-build-provenance-github: 'true'\n"))).map((finding) => finding.kind)).not.toContain('id-token-scope');
    expect((await run(repo(''))).filter((finding) => finding.kind === 'id-token-scope').map((finding) => `${finding.ruleId} ${where(finding)}: ${finding.message}`)).toEqual([
      "workflow/trusted-publishing warning .github/workflows/publish.yml:10:7: job build of publish.yml is granted id-token: write but does not upload: anything it runs can request an OIDC token that PyPI accepts for this workflow; remove the grant",
    ]);
  });
});
