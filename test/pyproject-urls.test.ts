import { describe, expect, it } from 'vitest';
import { materialize } from './helpers/fixtures.js';
import { writeRepo } from './helpers/repo.js';
import { findingRows } from './helpers/pyproject.js';

const RULE = 'pyproject/urls';
const OTOBO = 'src/open_ticket_ai_otobo_znuny_plugin/pyproject.toml';
/** The whole rule: plain http and wrong-target URLs are hygiene, off by default. */
const WHOLE = { extendSelect: [RULE] };
const BUILD = '[build-system]\nrequires = ["hatchling>=1.26"]\nbuild-backend = "hatchling.build"\n\n';

function project(urls: string, options: { repository?: string; files?: Record<string, string> } = {}): string {
  const config = options.repository ? `\n[tool.pypi-release-lint]\nrepository = "${options.repository}"\n` : '';
  return writeRepo({
    'pyproject.toml': `${BUILD}[project]\nname = "demo"\nversion = "1.0.0"\n\n[project.urls]\n${urls}${config}`,
    'src/demo/__init__.py': '',
    'docs/guide/index.md': '# Guide\n',
    ...(options.files ?? {}),
  });
}

describe('pyproject/urls', () => {
  it.each(['open-ticket-ai', 'pyproject/uv-workspace', 'pyproject/src-layout-plugins', 'pyproject/dynamic-versions', 'pyproject/template-copy'])('is silent on %s', async (name) => {
    expect(await findingRows(materialize(name), RULE, WHOLE)).toEqual([]);
  });

  it('reports http, another owner and paths that are not in the checkout, when selected', async () => {
    const root = materialize('broken-urls');
    expect(await findingRows(root, RULE)).toEqual([]);
    expect(await findingRows(root, RULE, WHOLE)).toEqual([
      `${RULE} warning ${OTOBO}:36 open-ticket-ai-otobo-znuny-plugin: [project.urls] Homepage = "http://github.com/softoft-orga/open-ticket-ai" uses http, not https: the PyPI page sends visitors over an unencrypted link; use "https://github.com/softoft-orga/open-ticket-ai"`,
      `${RULE} warning ${OTOBO}:37 open-ticket-ai-otobo-znuny-plugin: [project.urls] Source points at src/open_ticket_ai_otobo_znuny (at main) in softoft-orga/open-ticket-ai, which does not exist in this checkout`,
      `${RULE} warning ${OTOBO}:38 open-ticket-ai-otobo-znuny-plugin: [project.urls] Changelog points at softoft/open-ticket-ai, but this repository is softoft-orga/open-ticket-ai (from config "repository")`,
      `${RULE} warning ${OTOBO}:39 open-ticket-ai-otobo-znuny-plugin: [project.urls] Documentation points at docs/otobo_znuny_plugin.md (at main) in softoft-orga/open-ticket-ai, which does not exist in this checkout`,
    ]);
  });

  it('reports a value that is not an absolute http or https URL as an error, by default: PyPI refuses the upload', async () => {
    expect(await findingRows(project('Docs = "docs.example.org/demo"\nMail = "mailto:dev@example.org"\nPlain = "http://example.org"\n'), RULE)).toEqual([
      `${RULE} error pyproject.toml:10 demo: [project.urls] Docs = "docs.example.org/demo" is not an absolute URL: PyPI refuses the upload (a project URL must be an http or https URL)`,
      `${RULE} error pyproject.toml:11 demo: [project.urls] Mail = "mailto:dev@example.org" uses mailto: PyPI refuses the upload (a project URL must be an http or https URL)`,
    ]);
  });

  it('resolves refs with slashes, encoded paths, raw.githubusercontent.com and the repo root', async () => {
    const urls =
      'Guide = "https://github.com/example/demo/tree/release/1.x/docs/guide"\n' +
      'Index = "https://github.com/Example/Demo/blob/main/docs/guide/index.md#top"\n' +
      'Raw = "https://raw.githubusercontent.com/example/demo/main/docs/guide/index.md"\n' +
      'Space = "https://github.com/example/demo/blob/main/docs/my%20notes.md"\n' +
      'Home = "https://github.com/example/demo"\n' +
      'Issues = "https://github.com/example/demo/issues/new"\n' +
      'Other = "https://github.com/example/other-project/blob/main/MISSING.md"\n';
    const root = project(urls, { repository: 'example/demo', files: { 'docs/my notes.md': '# notes\n' } });
    expect(await findingRows(root, RULE, WHOLE)).toEqual([]);
    const missing = project('Raw = "https://raw.githubusercontent.com/example/demo/v1.0.0/CHANGES.md"\n', { repository: 'example/demo' });
    expect(await findingRows(missing, RULE, WHOLE)).toEqual([
      `${RULE} warning pyproject.toml:10 demo: [project.urls] Raw points at CHANGES.md (at v1.0.0) in example/demo, which does not exist in this checkout`,
    ]);
  });

  it('does not judge repository links when the repository is unknown', async () => {
    expect(await findingRows(project('Changelog = "https://github.com/someone/demo/blob/main/CHANGES.md"\n'), RULE, WHOLE)).toEqual([]);
  });
});
