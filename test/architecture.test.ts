import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/fixtures.js';

/** The import specifiers of a TypeScript file (static and dynamic). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1]!);
}

describe('the engine is a pure core', () => {
  it('src/engine/ imports nothing from rules/, src/cli/ or src/gate/: rules and the run context come in as arguments', () => {
    const dir = path.join(REPO_ROOT, 'src/engine');
    const outside = fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => importsOf(path.join(dir, name)).map((specifier) => [name, specifier] as const))
      .filter(([, specifier]) => /(^|\/)(rules|cli|gate)\//.test(specifier));
    expect(outside).toEqual([]);
  });
});
