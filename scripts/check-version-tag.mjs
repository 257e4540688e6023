#!/usr/bin/env node
// Checks that a release tag names the version in package.json: tag v1.2.3 for version 1.2.3.
// The release workflow runs it before publishing (a tag pushed before the version bump would
// publish the old version again, or a version the tag does not name); CI runs it on tag pushes.
//
//   node scripts/check-version-tag.mjs TAG      (TAG: v1.2.3 or refs/tags/v1.2.3)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Why `tag` does not name `version`, or undefined when it does. */
export function versionTagProblem(tag, version) {
  const name = tag.replace(/^refs\/tags\//, '');
  if (!/^v\d/.test(name)) return `tag "${name}" is not a release tag (v followed by the version, e.g. v${version})`;
  if (name.slice(1) !== version) return `tag ${name} does not name the version in package.json (${version}): bump package.json to ${name.slice(1)}, or tag v${version}`;
  return undefined;
}

function main() {
  const tag = process.argv[2];
  if (!tag) {
    process.stderr.write('usage: node scripts/check-version-tag.mjs TAG\n');
    return 2;
  }
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const problem = versionTagProblem(tag, version);
  if (problem) {
    process.stderr.write(`check-version-tag: ${problem}\n`);
    return 1;
  }
  process.stdout.write(`tag ${tag.replace(/^refs\/tags\//, '')} names version ${version}\n`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();
