/**
 * The release model on one small repository per release shape (fixtures/release-model/, listed in
 * fixtures/README.md): for each, the plan (package → status, and each route's workflow, job,
 * events, index, credential and confidence) and every finding of the default rule set. Then two
 * properties over all of them: one PyPI route per published package and trigger event, and every
 * piece of route evidence on a real line that names what the route says.
 */
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ruleMetas } from '../rules/index.js';
import { loadProject } from '../src/engine/run.js';
import { opaqueEntries, planEntries, type OpaqueEntry, type PlanEntry, type RouteEntry } from '../src/plan/format.js';
import type { Finding } from '../src/types.js';
import { FIXTURES, lint } from './helpers/fixtures.js';

const ROOT = path.join(FIXTURES, 'release-model');
const OIDC = 'trusted publishing (OIDC)';

interface ExpectedRoute {
  file: string;
  job: string;
  events: string[];
  index: RouteEntry['index'];
  credential: string;
  confidence: RouteEntry['confidence'];
  uploadTool: string;
  python?: string[];
}

interface Expected {
  /** Every package of the fixture: its status and its routes, in plan order. */
  packages: Record<string, { status: PlanEntry['status']; routes: ExpectedRoute[] }>;
  /** Every finding of the default rule set: rule, file, line, severity and a piece of the message. */
  findings: [rule: string, file: string, line: number, severity: Finding['severity'], message: string][];
  /** The opaque steps, as file:line. */
  opaque?: string[];
}

/** A route of a workflow file in .github/workflows, to PyPI with trusted publishing on a tag push unless told otherwise. */
function route(file: string, job: string, uploadTool: string, more: Partial<ExpectedRoute> = {}): ExpectedRoute {
  return { file: `.github/workflows/${file}`, job, events: ['push tags'], index: 'pypi', credential: OIDC, confidence: 'resolved', uploadTool, ...more };
}

const PUBLISH_ACTION = 'pypa/gh-action-pypi-publish';
const published = (...routes: ExpectedRoute[]) => ({ status: 'published' as const, routes });

const EXPECTED: Record<string, Expected> = {
  'tag-derived': {
    packages: {
      'lark-cli': published(route('release.yml', 'publish', PUBLISH_ACTION, { confidence: 'inferred' })),
      'lark-core': published(route('release.yml', 'publish', PUBLISH_ACTION, { confidence: 'inferred' })),
    },
    findings: [],
  },
  'artifact-merge': {
    packages: {
      wren: published(route('release.yml', 'publish', PUBLISH_ACTION)),
      'wren-redis': published(route('release.yml', 'publish', PUBLISH_ACTION)),
    },
    findings: [],
  },
  'matrix-packages': {
    packages: {
      'finch-http': published(route('publish.yml', 'publish', PUBLISH_ACTION)),
      'finch-json': published(route('publish.yml', 'publish', PUBLISH_ACTION)),
    },
    findings: [],
  },
  'uv-workspace-package': {
    packages: {
      'owl-workspace': { status: 'never', routes: [] },
      'owl-api': published(route('release.yml', 'publish', 'uv publish')),
      'owl-cli': published(route('release.yml', 'publish', 'uv publish')),
    },
    findings: [],
  },
  'uv-member-root-dist': {
    packages: {
      heron: published(route('publish.yml', 'publish', 'uv publish')),
      'heron-testing': { status: 'never', routes: [] },
    },
    findings: [],
  },
  'poetry-plugin': {
    packages: { 'poetry-stamp': published(route('release.yml', 'publish', PUBLISH_ACTION)) },
    findings: [],
  },
  'hatch-toml': {
    packages: { 'kite-client': published(route('publish.yml', 'publish', PUBLISH_ACTION)) },
    findings: [],
  },
  'setup-cfg': {
    packages: { 'plover-units': published(route('publish.yml', 'publish', PUBLISH_ACTION)) },
    findings: [],
  },
  'testpypi-rehearsal': {
    packages: {
      'tern-geo': published(route('release.yml', 'testpypi', PUBLISH_ACTION, { index: 'testpypi' }), route('release.yml', 'pypi', PUBLISH_ACTION)),
    },
    findings: [],
  },
  'internal-index': {
    packages: {
      gannet: published(route('publish.yml', 'pypi', PUBLISH_ACTION)),
      'gannet-sso': {
        status: 'rehearsed',
        routes: [route('publish.yml', 'internal', 'twine upload', { index: 'other', credential: 'secret INTERNAL_INDEX_TOKEN (TWINE_PASSWORD)' })],
      },
    },
    findings: [],
  },
  'composite-action': {
    packages: { puffin: published(route('release.yml', 'publish', PUBLISH_ACTION, { python: ['3.11'] })) },
    findings: [],
  },
  'reusable-two-level': {
    packages: {
      ptarmigan: published(route('release-ptarmigan.yml', 'publish', PUBLISH_ACTION)),
      'ptarmigan-s3': published(route('release-ptarmigan-s3.yml', 'publish', PUBLISH_ACTION)),
    },
    // Trusted publishing from a reusable workflow: PyPI matches the reusable file, said once.
    findings: [['workflow/trusted-publishing', '.github/workflows/build-and-upload.yml', 33, 'info', 'PyPI matches the workflow file of the job that requests the token']],
  },
  'dispatch-choice': {
    packages: {
      'avocet-csv': published(route('publish.yml', 'publish', PUBLISH_ACTION, { events: ['workflow_dispatch'] })),
      'avocet-parquet': published(route('publish.yml', 'publish', PUBLISH_ACTION, { events: ['workflow_dispatch'] })),
    },
    findings: [],
  },
  'dispatch-directory': {
    // A free-text input whose default is one package's directory: the run releases whichever is typed there.
    packages: {
      heron: published(route('release.yml', 'publish', PUBLISH_ACTION, { events: ['workflow_dispatch'], python: ['3.12'] })),
      'heron-cli': published(route('release.yml', 'publish', PUBLISH_ACTION, { events: ['workflow_dispatch'], python: ['3.12'] })),
      'demo-agent': { status: 'unpublished', routes: [] },
    },
    findings: [],
  },
  'scripted-build': {
    packages: { shrike: { status: 'unknown', routes: [] }, 'shrike-cli': { status: 'unknown', routes: [] } },
    // One info at the upload the linter cannot follow, nothing per package.
    findings: [['workflow/publish-map', 'scripts/release.sh', 9, 'info', 'twine upload uploads files: a path computed at run time, so the linter cannot tell which packages release.yml (job release) publishes']],
    opaque: ['scripts/release.sh:9'],
  },
  // A script that finds the repository root from its own path ($(dirname "$(readlink -f "$(dirname "$0")")")) and
  // builds a literal list of directories and globs in a loop; one of them a test-utilities package under tests/.
  'scripted-loop': {
    packages: {
      'heron-api': published(route('release.yml', 'release', PUBLISH_ACTION)),
      'heron-exporter-file': published(route('release.yml', 'release', PUBLISH_ACTION)),
      'heron-exporter-http': published(route('release.yml', 'release', PUBLISH_ACTION)),
    },
    findings: [],
  },
  cibuildwheel: {
    packages: { godwit: published(route('wheels.yml', 'publish', PUBLISH_ACTION)) },
    findings: [],
  },
  'release-scm': {
    packages: { curlew: published(route('release.yml', 'publish', PUBLISH_ACTION, { events: ['release'] })) },
    findings: [],
  },
  maturin: {
    packages: { stilt: published(route('release.yml', 'publish', PUBLISH_ACTION)) },
    findings: [],
  },
  'parse-error': {
    packages: { dunlin: { status: 'published', routes: [route('publish.yml', 'publish', PUBLISH_ACTION)] } },
    findings: [['core/parse-error', 'pyproject.toml', 8, 'error', '']],
  },
};

interface Linted {
  entries: PlanEntry[];
  opaque: OpaqueEntry[];
  findings: Finding[];
}

const linted = new Map<string, Linted>();

beforeAll(async () => {
  for (const name of Object.keys(EXPECTED)) {
    const root = path.join(ROOT, name);
    const project = loadProject(root, { catalog: [...ruleMetas.values()] });
    const findings = await lint(root);
    linted.set(name, { entries: planEntries(project), opaque: opaqueEntries(project), findings });
  }
}, 180_000);

describe('fixtures/release-model', () => {
  it('has an expectation for every fixture directory', () => {
    expect(fs.readdirSync(ROOT).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: the plan`, () => {
      const { entries, opaque } = linted.get(name)!;
      expect(entries.map((entry) => entry.package).sort()).toEqual(Object.keys(expected.packages).sort());
      for (const [pkg, { status, routes }] of Object.entries(expected.packages)) {
        const entry = entries.find((candidate) => candidate.package === pkg)!;
        expect(entry.status, pkg).toBe(status);
        expect(entry.workflows, pkg).toHaveLength(routes.length);
        routes.forEach((want, index) => {
          const { python, ...rest } = want;
          expect(entry.workflows[index], `${pkg} route ${index}`).toMatchObject({ ...rest, python: python ?? ['3.12'] });
        });
      }
      expect(opaque.map((entry) => `${entry.file}:${entry.line}`)).toEqual(expected.opaque ?? []);
    });

    it(`${name}: the default rule set reports ${expected.findings.length === 0 ? 'nothing' : 'only the deliberate findings'}`, () => {
      const { findings } = linted.get(name)!;
      expect(findings.map((finding) => [finding.ruleId, finding.file, finding.line, finding.severity])).toEqual(
        expected.findings.map(([rule, file, line, severity]) => [rule, file, line, severity]),
      );
      findings.forEach((finding, index) => expect(finding.message).toContain(expected.findings[index]![4]));
    });
  }
});

describe('the links of an inferred route', () => {
  it('tag-derived: upload ← build ← the command that derives the directory from the tag ← the tag pattern', () => {
    const core = linted.get('tag-derived')!.entries.find((entry) => entry.package === 'lark-core')!;
    expect(core.workflows[0]!.reason).toBe('on push of tag lark-core-v1.2.3 (its [tool.hatch.version] tag-pattern), the run builds packages/lark-core');
    expect(core.workflows[0]!.route).toEqual([
      { what: 'upload (pypa/gh-action-pypi-publish)', file: '.github/workflows/release.yml', line: 34 },
      { what: 'build (build)', file: '.github/workflows/release.yml', line: 29 },
      { what: 'directory packages/lark-core', file: '.github/workflows/release.yml', line: 29 },
      { what: 'on push tags', file: '.github/workflows/release.yml', line: 7 },
    ]);
  });
});

describe('the links of a resolved route', () => {
  it('reusable-two-level: from the upload outwards, through both callers to the tag pattern', () => {
    const plugin = linted.get('reusable-two-level')!.entries.find((entry) => entry.package === 'ptarmigan-s3')!;
    expect(plugin.workflows[0]!.route).toEqual([
      { what: 'upload (pypa/gh-action-pypi-publish)', file: '.github/workflows/build-and-upload.yml', line: 33 },
      { what: 'build (build)', file: '.github/workflows/build-and-upload.yml', line: 29 },
      { what: 'directory plugins/ptarmigan-s3', file: '.github/workflows/release-ptarmigan-s3.yml', line: 18 },
      { what: 'called by job upload', file: '.github/workflows/publish-package.yml', line: 36 },
      { what: 'called by job publish', file: '.github/workflows/release-ptarmigan-s3.yml', line: 16 },
      { what: 'on push tags', file: '.github/workflows/release-ptarmigan-s3.yml', line: 6 },
    ]);
  });

  it('artifact-merge: each package through its own artifact of the v4 pattern download', () => {
    const redis = linted.get('artifact-merge')!.entries.find((entry) => entry.package === 'wren-redis')!;
    expect(redis.workflows[0]!.route.map((link) => link.what)).toEqual([
      'upload (pypa/gh-action-pypi-publish)',
      'download-artifact dist-*',
      'upload-artifact dist-redis (job build-redis)',
      'build (build)',
      'directory extras/wren-redis',
      'on push tags',
    ]);
  });
});

/** Every (fixture, package, route) of the plans. */
function allRoutes(): { fixture: string; entry: PlanEntry; route: RouteEntry }[] {
  return [...linted].flatMap(([fixture, { entries }]) => entries.flatMap((entry) => entry.workflows.map((route) => ({ fixture, entry, route }))));
}

function lineOf(fixture: string, file: string, line: number): string | undefined {
  const full = path.join(ROOT, fixture, file);
  if (!fs.existsSync(full)) return undefined;
  return fs.readFileSync(full, 'utf8').split('\n')[line - 1];
}

/** Whether a line of a file names what a link of a route says it is. */
function namesLink(text: string, what: string, route: RouteEntry): boolean {
  const [kind, ...rest] = what.split(' ');
  const detail = rest.join(' ');
  switch (kind) {
    case 'upload':
      return text.includes(route.uploadTool);
    case 'build':
      return /build|maturin/i.test(text);
    case 'download-artifact':
    case 'upload-artifact':
      return text.includes(kind);
    case 'directory':
      if (route.confidence === 'inferred' && /GITHUB_REF|github\.ref/.test(text)) return true; // derived from the tag
      // The root is where a build runs when nothing names a directory: the build command is the evidence.
      if (detail === '.') return /build|maturin|package-dir|\.\s*$/i.test(text);
      // A directory typed in a dispatch input: the input's default, a package directory beside it.
      return (
        text.includes(path.posix.basename(detail)) ||
        (/^\s*default:/.test(text) && text.includes(`${path.posix.dirname(detail)}/`)) ||
        // A glob a script's loop runs over (`for d in exporters/*/`).
        text.split(/\s+/).some((word) => word.includes('*') && picomatch(word.replace(/\/+$/, ''))(detail))
      );
    case 'called':
      return /\buses:\s*\.\/\.github\/workflows\//.test(text);
    case 'tag':
      return route.tagPatterns.some((pattern) => text.includes(pattern));
    case 'on':
      return detail === 'push tags' ? route.tagPatterns.some((pattern) => text.includes(pattern)) : text.includes(detail);
    default:
      return false;
  }
}

describe('release-model properties', () => {
  it('every published package has exactly one PyPI route per trigger event', () => {
    const packages = [...linted].flatMap(([fixture, { entries }]) => entries.filter((entry) => entry.status === 'published').map((entry) => ({ fixture, entry })));
    fc.assert(
      fc.property(fc.constantFrom(...packages), ({ fixture, entry }) => {
        const toPyPI = entry.workflows.filter((route) => route.index === 'pypi' || route.index === 'unknown');
        const events = new Set(toPyPI.flatMap((route) => route.events));
        expect(events.size, `${fixture}: ${entry.package}`).toBeGreaterThan(0);
        for (const event of events) expect(toPyPI.filter((route) => route.events.includes(event)), `${fixture}: ${entry.package} on ${event}`).toHaveLength(1);
      }),
      { numRuns: 200 },
    );
  });

  it("every route's evidence is a real line of a real file that names the link", () => {
    const links = allRoutes().flatMap(({ fixture, entry, route }) => [
      ...route.route.map((link) => ({ fixture, entry, route, ...link })),
      { fixture, entry, route, what: `upload (${route.uploadTool})`, file: route.uploadFile, line: route.uploadLine },
      ...(route.build ? [{ fixture, entry, route, what: 'build', file: route.build.file, line: route.build.line }] : []),
    ]);
    fc.assert(
      fc.property(fc.constantFrom(...links), ({ fixture, entry, route, what, file, line }) => {
        const text = lineOf(fixture, file, line);
        expect(text, `${fixture}: ${entry.package}: ${what} at ${file}:${line}`).toBeDefined();
        expect(namesLink(text!, what, route), `${fixture}: ${entry.package}: ${what} at ${file}:${line} reads "${text}"`).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('every opaque step is a real line of a real file', () => {
    for (const [fixture, { opaque }] of linted) {
      for (const entry of opaque) expect(lineOf(fixture, entry.file, entry.line), `${fixture}: ${entry.file}:${entry.line}`).toMatch(/\S/);
    }
  });
});
