/**
 * The snapshot of Go's start-up (src/actionlint/snapshot.ts), for real: a thread restored from the
 * snapshot `npm run build` wrote and a thread that starts Go itself lint the fixtures' workflows to
 * the same findings; a snapshot taken here works as the build's does; a snapshot of another module,
 * or a broken one, is refused, and that thread starts Go itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { signedLeb128 } from '../src/actionlint/snapshot.js';
import { ACTIONLINT_SNAPSHOT, startActionlintThread, takeActionlintSnapshot, type ActionlintThreadOptions } from '../src/actionlint/thread.js';
import type { ActionlintWorkerResponse, ActionlintWorkerResult } from '../src/actionlint/worker.js';
import { ensureBuilt, tempDir, REPO_ROOT } from './helpers/fixtures.js';

ensureBuilt();
const BUILT_SNAPSHOT = path.join(REPO_ROOT, ACTIONLINT_SNAPSHOT);
const threads: Worker[] = [];
afterAll(async () => {
  await Promise.all(threads.map((thread) => thread.terminate()));
});

interface Thread {
  /** How the thread's wasm got ready: from the snapshot, or by starting Go. */
  ready: Promise<'snapshot' | 'started'>;
  lint(files: { path: string; text: string }[]): Promise<ActionlintWorkerResult[]>;
}

function thread(options: ActionlintThreadOptions): Thread {
  const worker = startActionlintThread(options);
  threads.push(worker);
  const answers = new Map<number, (results: ActionlintWorkerResult[]) => void>();
  let nextId = 1;
  const ready = new Promise<'snapshot' | 'started'>((resolve, reject) => {
    worker.on('message', (message: ActionlintWorkerResponse) => {
      if ('ready' in message) resolve(message.ready);
      else if ('fatal' in message) reject(new Error(message.fatal.output));
      else if ('results' in message) answers.get(message.id)?.(message.results);
      else reject(new Error(JSON.stringify(message)));
    });
  });
  return {
    ready,
    lint: (files) =>
      new Promise((resolve) => {
        const id = nextId++;
        answers.set(id, resolve);
        worker.postMessage({ id, files });
      }),
  };
}

const EXPRESSION_ERROR = { path: '.github/workflows/ci.yml', text: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n' };

function fixtureWorkflows(): { path: string; text: string }[] {
  const found: { path: string; text: string }[] = [];
  const walk = (directory: string): void => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name) && full.includes(`${path.sep}.github${path.sep}workflows${path.sep}`)) {
        // actionlint takes paths as labels only; one label per file
        found.push({ path: path.relative(REPO_ROOT, full).split(path.sep).join('/'), text: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  walk(path.join(REPO_ROOT, 'fixtures'));
  return found;
}

describe('the snapshot of the embedded actionlint once Go has started', () => {
  it('is written by the build, and a thread restores from it', async () => {
    expect(fs.statSync(BUILT_SNAPSHOT).size).toBeGreaterThan(1_000_000);
    const restored = thread({});
    expect(await restored.ready).toBe('snapshot');
    expect((await restored.lint([EXPRESSION_ERROR])).map((result) => [result.kind, result.line, result.column])).toEqual([['expression', 6, 23]]);
  });

  it('gives the findings of a thread that starts Go, on every workflow of the fixtures', async () => {
    const files = fixtureWorkflows();
    expect(files.length).toBeGreaterThan(100);
    const restored = thread({});
    const started = thread({ snapshotFile: null });
    expect(await restored.ready).toBe('snapshot');
    expect(await started.ready).toBe('started');
    const [fromSnapshot, fromStart] = await Promise.all([restored.lint(files), started.lint(files)]);
    expect(fromSnapshot.length).toBeGreaterThan(10);
    expect(fromSnapshot).toEqual(fromStart);
  });

  it('can be taken again from the sources, and that one restores too', async () => {
    const file = path.join(tempDir(), 'taken.snapshot');
    expect(await takeActionlintSnapshot(file)).toBe('taken');
    const restored = thread({ snapshotFile: file });
    expect(await restored.ready).toBe('snapshot');
    expect((await restored.lint([EXPRESSION_ERROR])).map((result) => [result.kind, result.line])).toEqual([['expression', 6]]);
  });

  it('is refused when it is of another module, cut short or missing, and the thread starts Go itself', async () => {
    const directory = tempDir();
    const bytes = fs.readFileSync(BUILT_SNAPSHOT);
    const text = bytes.toString('latin1');
    const buildId = /"buildId":"([0-9a-f]+)"/.exec(text)!;
    const otherModule = Buffer.from(bytes);
    // the same length: only the recorded build id differs
    otherModule.write(buildId[1]!.startsWith('0') ? '1' : '0', buildId.index + '"buildId":"'.length, 'latin1');
    const variants = {
      'other-module': otherModule,
      'cut-short': bytes.subarray(0, bytes.length - 4096),
      'header-only': bytes.subarray(0, 100),
    };
    for (const [name, content] of Object.entries(variants)) fs.writeFileSync(path.join(directory, name), content);
    for (const name of [...Object.keys(variants), 'missing']) {
      const fallback = thread({ snapshotFile: path.join(directory, name) });
      expect(await fallback.ready, name).toBe('started');
      expect((await fallback.lint([EXPRESSION_ERROR])).map((result) => [result.kind, result.line]), name).toEqual([['expression', 6]]);
    }
  });
});

describe('a thread started before the linter is loaded (flagsGate)', () => {
  it('sets its V8 flags and gets ready once the host says so, or after its timeout when the host never does', async () => {
    const released = new Int32Array(new SharedArrayBuffer(4));
    const gated = thread({ flagsGate: released });
    Atomics.store(released, 0, 1);
    Atomics.notify(released, 0);
    expect(await gated.ready).toBe('snapshot');
    expect((await gated.lint([EXPRESSION_ERROR])).map((result) => [result.kind, result.line])).toEqual([['expression', 6]]);
    // A bin that failed to load the linter never says so: the thread is not stuck.
    const forgotten = thread({ flagsGate: new Int32Array(new SharedArrayBuffer(4)) });
    expect(await forgotten.ready).toBe('snapshot');
  });
});

describe('signedLeb128', () => {
  it('encodes the constants of the recorded globals as the wasm format reads them', () => {
    for (const value of [0n, 1n, -1n, 63n, 64n, -64n, -65n, 8_587_224n, -(2n ** 63n), 2n ** 63n - 1n]) {
      const global = [1, 0x7e, 0x00, 0x42, ...signedLeb128(value), 0x0b];
      const exported = [1, 1, 0x67, 0x03, 0x00];
      const module = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 6, global.length, ...global, 7, exported.length, ...exported]);
      const instance = new WebAssembly.Instance(new WebAssembly.Module(module));
      expect((instance.exports.g as WebAssembly.Global).value, String(value)).toBe(value);
    }
  });
});
