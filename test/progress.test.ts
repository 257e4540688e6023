import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLineLog, createProgress, lineLogEnabled, progressEnabled, type ProgressStream } from '../src/cli/progress.js';
import { CLI, ensureBuilt, materialize } from './helpers/fixtures.js';

beforeAll(() => ensureBuilt());

function fakeTerminal(columns?: number): ProgressStream & { output: string } {
  const stream = { isTTY: true, columns, output: '', write: (text: string) => ((stream.output += text), true) };
  return stream;
}

describe('progress on long work', () => {
  it('is on only for stylish output on an interactive terminal outside CI', () => {
    const terminal = fakeTerminal();
    expect(progressEnabled('stylish', terminal, {})).toBe(true);
    expect(progressEnabled('json', terminal, {})).toBe(false);
    expect(progressEnabled('sarif', terminal, {})).toBe(false);
    expect(progressEnabled('stylish', { ...terminal, isTTY: false }, {})).toBe(false);
    expect(progressEnabled('stylish', terminal, { CI: 'true' })).toBe(false);
    expect(progressEnabled('stylish', terminal, { TERM: 'dumb' })).toBe(false);
  });

  it('redraws one line in place, keeps logged lines, and clears itself', () => {
    const terminal = fakeTerminal(0); // a pty that reports 0 columns: treated as 80
    const progress = createProgress({ enabled: true, stream: terminal, intervalMs: 0, now: () => 0 });
    progress.update('building open-ticket-ai');
    progress.log('built open-ticket-ai in 4.2 s');
    progress.done();
    expect(terminal.output).toContain('building open-ticket-ai');
    expect(terminal.output).toContain('built open-ticket-ai in 4.2 s\n');
    expect(terminal.output.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('writes nothing when disabled', () => {
    const terminal = fakeTerminal();
    const progress = createProgress({ enabled: false, stream: terminal });
    progress.update('building');
    progress.log('built');
    progress.done();
    expect(terminal.output).toBe('');
  });

  // A real pseudo-terminal (util-linux `script`) around the real gate, building one package.
  const gateInPty = (format: string): string => {
    const root = materialize('open-ticket-ai');
    const command = `${process.execPath} ${CLI} gate ${root} --tag hf-local-v1.0.0 --python /usr/bin/python3 --no-isolation --format ${format}`;
    const env = { ...process.env };
    delete env.CI;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...env, TERM: 'xterm' }, timeout: 120_000 });
    return result.stdout;
  };

  it('the gate shows the package it builds on a terminal, and not in JSON', () => {
    expect(gateInPty('stylish')).toContain('building open-ticket-ai-hf-local');
    const json = gateInPty('json');
    expect(json).not.toContain('building');
    expect(json).toContain('"findings"');
  });
});

describe('the gate log outside a terminal', () => {
  it('is on for stylish and github output without a terminal (or in CI), never with --quiet or for json and sarif', () => {
    const pipe = { ...fakeTerminal(), isTTY: false };
    expect(lineLogEnabled('stylish', false, pipe, {})).toBe(true);
    expect(lineLogEnabled('github', undefined, pipe, {})).toBe(true);
    expect(lineLogEnabled('stylish', false, fakeTerminal(), { CI: 'true' })).toBe(true);
    expect(lineLogEnabled('stylish', false, fakeTerminal(), {})).toBe(false); // the progress line is drawn instead
    expect(lineLogEnabled('stylish', true, pipe, {})).toBe(false);
    expect(lineLogEnabled('json', false, pipe, {})).toBe(false);
    expect(lineLogEnabled('sarif', false, pipe, {})).toBe(false);
  });

  it('prints the permanent lines only, plain, with control characters escaped', () => {
    const pipe = { isTTY: false, output: '', write: (text: string) => ((pipe.output += text), true) };
    const log = createLineLog({ enabled: true, stream: pipe });
    log.update('building demo');
    log.log('built demo: demo-1.0.0.tar.gz, 2.0 kB, 1.2 s, twine check --strict passed');
    log.log('built demo: evil\u001b[2J.whl, 1.0 kB, 1.2 s, twine check --strict passed');
    log.done();
    expect(pipe.output).toBe('built demo: demo-1.0.0.tar.gz, 2.0 kB, 1.2 s, twine check --strict passed\nbuilt demo: evil\\x1b[2J.whl, 1.0 kB, 1.2 s, twine check --strict passed\n');
  });
});
