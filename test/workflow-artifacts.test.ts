import path from 'node:path';
import { describe, expect, it } from 'vitest';
import artifacts from '../rules/workflow/artifacts.js';
import type { Finding } from '../src/types.js';
import { BASE_FIXTURE, FIXTURES, lintWithRule, where } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';

const run = (root: string): Promise<Finding[]> => lintWithRule(artifacts, root);

describe('workflow/artifacts', () => {
  it('passes the fixed workflows and the seed', async () => {
    expect(await run(path.join(FIXTURES, 'workflows/artifacts-passing'))).toEqual([]);
    expect(await run(BASE_FIXTURE)).toEqual([]);
  });

  it('reports each broken hand-over, naming both ends and the fix', async () => {
    const findings = await run(path.join(FIXTURES, 'workflows/artifacts-failing'));
    expect(findings.map((finding) => `${finding.ruleId}/${finding.kind} ${where(finding)}`)).toEqual([
      'workflow/artifacts/name-conflict error .github/workflows/conflict.yml:22:17',
      'workflow/artifacts/deprecated-version error .github/workflows/legacy.yml:14:15',
      'workflow/artifacts/deprecated-version error .github/workflows/legacy.yml:25:15',
      'workflow/artifacts/wrong-directory error .github/workflows/literal.yml:20:15',
      'workflow/artifacts/wrong-directory error .github/workflows/member.yml:18:15',
      'workflow/artifacts/nested-download error .github/workflows/nested.yml:28:15',
      'workflow/artifacts/wrong-directory error .github/workflows/renamed.yml:29:15',
    ]);
    expect(findings.map((finding) => finding.message)).toEqual([
      'artifact "dist" is uploaded twice in one run: by job build (python=3.11) at .github/workflows/conflict.yml:20 and by job build (python=3.12) at .github/workflows/conflict.yml:20; ' +
        'upload-artifact v4 refuses a second artifact of the same name (409 Conflict), so that job fails and nothing is published. ' +
        'Give each upload its own name (name: dist-${{ matrix.python }}) and download them with pattern: dist-* and merge-multiple: true',
      'actions/upload-artifact@v3 in job build (.github/workflows/legacy.yml:14): GitHub fails every run that uses v3 or older of the artifact actions (since January 30, 2025), ' +
        'so the release never gets past this step; use actions/upload-artifact@v4, and the same major version for the other artifact action (v4 cannot read artifacts of v3)',
      'actions/download-artifact@v3 in job publish (.github/workflows/legacy.yml:25): GitHub fails every run that uses v3 or older of the artifact actions (since January 30, 2025), ' +
        'so the release never gets past this step; use actions/download-artifact@v4, and the same major version for the other artifact action (v4 cannot read artifacts of v3)',
      'pypa/gh-action-pypi-publish at .github/workflows/literal.yml:20 reads "${{ github.workspace }}/dist" (written at .github/workflows/literal.yml:7), a path that still holds ${{ }} ' +
        'when the step runs: GitHub evaluates an expression once, and the text it yields is passed on as it is; no such directory exists, so nothing is uploaded: ' +
        'pass the path itself (dist/), not a string that holds an expression',
      'nothing is uploaded: upload (pypa/gh-action-pypi-publish) at .github/workflows/member.yml:18 reads packages/core/dist/, but uv build at .github/workflows/member.yml:17 writes dist/ ' +
        "(uv writes a workspace member's distributions to the workspace root's dist/): read dist/ instead, or write to packages/core/dist/",
      'the download of pattern plugin-* without merge-multiple: true puts each artifact in its own folder under dist/, not in dist/ itself (download at .github/workflows/nested.yml:28), ' +
        'so the upload at .github/workflows/nested.yml:32 finds no distribution there; add merge-multiple: true to the download',
      'nothing is uploaded: upload (pypa/gh-action-pypi-publish) at .github/workflows/renamed.yml:29 reads artifact/, but download-artifact packages at .github/workflows/renamed.yml:25 writes dist/: ' +
        'read dist/ instead, or write to artifact/',
    ]);
  });

  describe("download-artifact's folders by version (5 and later extract one artifact into path itself)", () => {
    /** A build job uploading `artifacts` (one name per upload step) and a publish job downloading into dist/ with `download`. */
    const repo = (artifactNames: string[], download: string): string =>
      writeRepo({
        'pyproject.toml': '[project]\nname = "demo"\nversion = "1.0.0"\n',
        '.github/workflows/publish.yml':
          'on:\n  push:\n    tags: ["v*"]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    outputs:\n      artifact-id: ${{ steps.upload.outputs.artifact-id }}\n    steps:\n' +
          '      - uses: actions/checkout@v4\n      - run: python -m build\n' +
          artifactNames.map((name, index) => `      - uses: actions/upload-artifact@v4\n${index === 0 ? '        id: upload\n' : ''}        with:\n          name: ${name}\n          path: dist/\n`).join('') +
          '  publish:\n    needs: build\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n' +
          `      - uses: ${download}\n          path: dist/\n      - uses: pypa/gh-action-pypi-publish@release/v1\n`,
      });
    const byId = (version: string): string => `actions/download-artifact@${version}\n        with:\n          artifact-ids: \${{ needs.build.outputs.artifact-id }}\n`;
    const everything = (version: string): string => `actions/download-artifact@${version}\n        with:\n          pattern: "*"\n`;

    it('leaves a download of one artifact alone from v5 on (by id: pallets/flask), and reports it on v4', async () => {
      expect(await run(repo(['dist'], byId('v8')))).toEqual([]);
      expect(await run(repo(['dist'], everything('v5')))).toEqual([]);
      // A pin by commit is taken as a current release.
      expect(await run(repo(['dist'], byId('3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c')))).toEqual([]);
      expect((await run(repo(['dist'], byId('v4')))).map((finding) => `${finding.ruleId}/${finding.kind} ${where(finding)}: ${finding.message}`)).toEqual([
        "workflow/artifacts/nested-download error .github/workflows/publish.yml:23:15: the download of every artifact without merge-multiple: true puts each artifact in its own folder under dist/, not in dist/ itself (download at .github/workflows/publish.yml:23), so the upload at .github/workflows/publish.yml:28 finds no distribution there; add merge-multiple: true to the download",
      ]);
    });

    it('still reports two artifacts downloaded without merge-multiple on v5 and later', async () => {
      expect((await run(repo(['wheels', 'sdist'], everything('v8')))).map((finding) => `${finding.ruleId}/${finding.kind} ${where(finding)}: ${finding.message}`)).toEqual([
        "workflow/artifacts/nested-download error .github/workflows/publish.yml:27:15: the download of every artifact without merge-multiple: true puts each artifact in its own folder under dist/, not in dist/ itself (download at .github/workflows/publish.yml:27), so the upload at .github/workflows/publish.yml:32 finds no distribution there; add merge-multiple: true to the download",
      ]);
    });
  });
});
