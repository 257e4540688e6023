#!/usr/bin/env node
// A stand-in for `python` in the gate's hostile tests: it answers the gate's tooling probes as a
// Python with build and twine would, and its `-m build` does what FAKE_BUILD says, as a build
// backend built to hurt the gate could:
//   detach        start a child in a new session that holds the output pipes, then hang
//   detach-exit   start such a child, write good artifacts and exit at once
//   negative-tar  an sdist whose tar header has a negative size (a naive reader loops forever)
//   tar-bomb      an sdist of 64 KB whose header claims 2 GB of zeros
//   zip-bomb      a wheel whose METADATA inflates to 40 MB
//   special       a FIFO and a link to /dev/zero named like artifacts, besides good ones
//   readonly      good artifacts, and a read-only directory with a file in the temporary copy
//   token-output  fail after 550 KB of output, a token across the 256 KiB the gate keeps of it
// Every child it leaves runs `sleep` with FAKE_SLEEP_TAG in its command line, for the test to find.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const args = process.argv.slice(2);
const say = (text) => process.stdout.write(`${text}\n`);

if (args[0] === '-c') {
  say('3.11.4'); // the version probe; any other -c (the venv probe) succeeds silently
  process.exit(0);
}
if (args[0] === '-m' && args[1] === 'build' && args[2] === '--version') say('build 1.2.1 (fake)');
else if (args[0] === '-m' && args[1] === 'build' && args[2] === '--help') say('usage: --sdist --wheel --outdir --no-isolation --skip-dependency-check');
else if (args[0] === '-m' && args[1] === 'twine' && args[2] === '--version') say('twine version 5.1.0 (fake)');
else if (args[0] === '-m' && args[1] === 'twine' && args[3] === '--help') say('usage: twine check [--strict] dists');
else if (args[0] === '-m' && args[1] === 'twine') for (const file of args.slice(4)) say(`Checking ${file}: PASSED`);
else if (args[0] === '-m' && args[1] === 'build') await build(args[args.indexOf('--outdir') + 1], args[args.length - 1]);
process.exit(0);

async function build(outDir, source) {
  const mode = process.env.FAKE_BUILD;
  const name = process.env.FAKE_NAME ?? 'demo';
  fs.mkdirSync(outDir, { recursive: true });
  const sdist = path.join(outDir, `${name}-1.0.0.tar.gz`);
  const wheel = path.join(outDir, `${name}-1.0.0-py3-none-any.whl`);
  if (mode === 'detach' || mode === 'detach-exit') {
    spawn('setsid', ['sleep', process.env.FAKE_SLEEP_TAG], { stdio: ['ignore', 'inherit', 'inherit'], detached: true }).unref();
    if (mode === 'detach') await new Promise((resolve) => setTimeout(resolve, 120_000));
  }
  if (mode === 'negative-tar') fs.writeFileSync(sdist, zlib.gzipSync(Buffer.concat([tarHeader(`${name}-1.0.0/PKG-INFO`, '-0000001000\0'), Buffer.alloc(1024)])));
  else if (mode === 'tar-bomb') {
    const claims = (2 * 1024 ** 3 - 1).toString(8).padStart(11, '0') + '\0';
    fs.writeFileSync(sdist, zlib.gzipSync(Buffer.concat([tarHeader(`${name}-1.0.0/zeros`, claims), Buffer.alloc(64 * 1024 * 1024)]), { level: 9 }));
  } else fs.writeFileSync(sdist, goodSdist(name));
  if (mode === 'zip-bomb') fs.writeFileSync(wheel, zipWith(`${name}-1.0.0.dist-info/METADATA`, Buffer.alloc(40 * 1024 * 1024)));
  else fs.writeFileSync(wheel, zipWith(`${name}-1.0.0.dist-info/METADATA`, Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0.0\n`)));
  if (mode === 'special') {
    spawnSync('mkfifo', [path.join(outDir, `${name}-0.9.0.tar.gz`)]);
    fs.symlinkSync('/dev/zero', path.join(outDir, `${name}-0.9.0-py3-none-any.whl`));
  }
  if (mode === 'readonly') {
    const locked = path.join(source, 'locked');
    fs.mkdirSync(locked, { recursive: true });
    fs.writeFileSync(path.join(locked, 'inside.txt'), 'x');
    fs.chmodSync(locked, 0o555);
  }
  if (mode === 'token-output') {
    const token = process.env.FAKE_TOKEN;
    // 300 KB of output, then the token, starting 20 characters before the last 256 KiB (what the gate
    // keeps): a tail cut without masking first would keep all of it but `pypi-AgEIcHlwaS5vcm`.
    // written synchronously: process.exit drops what a pipe has not taken yet
    fs.writeSync(1, `${'x'.repeat(300 * 1024)}\n${token}\n${'y'.repeat(256 * 1024 + 20 - token.length - 2)}\n`);
    fs.writeSync(2, 'error: the backend failed on purpose\n');
    process.exit(1);
  }
}

function tarHeader(name, sizeField) {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(sizeField, 124);
  header.write('00000000000\0', 136);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return header;
}

function goodSdist(name) {
  const info = Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0.0\n`);
  const size = info.length.toString(8).padStart(11, '0') + '\0';
  return zlib.gzipSync(Buffer.concat([tarHeader(`${name}-1.0.0/PKG-INFO`, size), info, Buffer.alloc(512 - info.length), Buffer.alloc(1024)]));
}

/** A zip of one deflated member. */
function zipWith(member, content) {
  const data = zlib.deflateRawSync(content);
  const name = Buffer.from(member);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(name.length, 28);
  const directory = Buffer.concat([central, name]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(30 + name.length + data.length, 16);
  return Buffer.concat([local, name, data, directory, end]);
}
