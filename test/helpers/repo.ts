import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './fixtures.js';
import type { RuleMeta } from '../../src/types.js';
import { coreRules } from '../../rules/core/index.js';
import buildSystem from '../../rules/pyproject/build-system.js';
import metadata from '../../rules/pyproject/metadata.js';

/** Engine tests run only these, so rules added later cannot change what they see. */
export const ENGINE_RULES = [...coreRules, buildSystem, metadata];

/** Writes a small repo from a path → content map into a fresh temp dir. */
export function writeRepo(files: Record<string, string>): string {
  const root = tempDir('prl-repo-');
  for (const [file, content] of Object.entries(files)) {
    const absolute = path.join(root, file);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, content);
  }
  return root;
}

/** A package that passes every pyproject rule on its own. */
export const COMPLETE_PYPROJECT = `[build-system]
requires = ["hatchling>=1.0"]
build-backend = "hatchling.build"

[project]
name = "demo"
version = "1.0.0"
description = "A demo package."
readme = "README.md"
requires-python = ">=3.10"
license = { text = "MIT" }
authors = [{ name = "Ada" }]
keywords = ["demo"]
classifiers = ["Programming Language :: Python :: 3.10"]

[project.urls]
Homepage = "https://example.org/demo"
`;

/** The metadata of a test-only rule: every field filled with its id. */
export function testMeta(id: string): RuleMeta {
  return {
    id,
    category: 'release',
    defaultSeverity: 'error',
    fixable: 'safe',
    description: id,
    docs: { catches: id, why: id, failing: { file: 'a', content: '' }, passing: { file: 'a', content: '' }, fixSafety: id },
  };
}
