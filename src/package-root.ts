import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * The directory of this package's package.json. Code runs both from src/ (tests) and from dist/src/
 * (the installed CLI), so shipped data (schemas/, data/) is found by walking up, not by a fixed "../".
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let directory = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(directory, 'package.json'))) {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('pypi-release-lint: cannot find its own package.json');
    directory = parent;
  }
  cachedRoot = directory;
  return directory;
}

/** Reads and parses a JSON file shipped with the package (e.g. 'schemas/config.schema.json'). */
export function readPackageJson<T = unknown>(relativePath: string): T {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), relativePath), 'utf8')) as T;
}
