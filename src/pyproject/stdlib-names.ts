/**
 * The project names PyPI refuses because they are standard-library modules, from
 * data/python-stdlib-modules.json (dated, with its sources): warehouse refuses a new project whose
 * canonical name is a stdlib module or a dotted prefix of one (`os`, `os-path`, `xml-etree`).
 */
import { readPackageJson } from '../package-root.js';

let names: Set<string> | undefined;

/** Whether PyPI refuses `canonicalName` (PEP 503 form) as the name of a new project. */
export function isStdlibName(canonicalName: string): boolean {
  names ??= new Set(readPackageJson<{ names: string[] }>('data/python-stdlib-modules.json').names);
  return names.has(canonicalName);
}
