/**
 * The tags a checkout already has, read from `.git/refs/tags/` and `.git/packed-refs` as files (no
 * git process: a checkout's git config could make git run programs). A worktree or submodule whose
 * `.git` is a file, or a checkout without git, has none the rehearsal knows of.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../project/safe-read.js';

/** Reading stops past this many tags or directories: a rehearsal needs the tags, not a bound on hostile trees. */
const MAX_ENTRIES = 20_000;
const MAX_DEPTH = 8;

export function existingTags(root: string): Set<string> {
  const tags = new Set<string>();
  const git = path.join(root, '.git');
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(git);
  } catch {
    return tags;
  }
  if (!stat.isDirectory()) return tags;
  const packed = readRegularFile(path.join(git, 'packed-refs'), 64 * 1024 * 1024);
  if (packed.ok) {
    for (const line of packed.bytes.toString('utf8').split('\n')) {
      const match = /^[0-9a-f]{40,64} refs\/tags\/(.+)$/.exec(line.trim());
      if (match && tags.size < MAX_ENTRIES) tags.add(match[1]!);
    }
  }
  let budget = MAX_ENTRIES;
  const walk = (directory: string, prefix: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (--budget < 0) return;
      // Links are not followed; a loose ref is a regular file.
      if (entry.isDirectory()) walk(path.join(directory, entry.name), `${prefix}${entry.name}/`, depth + 1);
      else if (entry.isFile()) tags.add(`${prefix}${entry.name}`);
    }
  };
  walk(path.join(git, 'refs', 'tags'), '', 0);
  return tags;
}
