import { readPackageJson } from './package-root.js';

export function toolVersion(): string {
  return readPackageJson<{ version: string }>('package.json').version;
}
