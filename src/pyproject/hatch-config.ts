/**
 * hatch's settings of a package, read as hatch reads them: `[tool.hatch]` of pyproject.toml, and a
 * `hatch.toml` beside it holding the same settings without the `tool.hatch` prefix. "Top level keys
 * in the latter file take precedence when defined in both" (hatch's docs, Introduction >
 * Configuration): a top-level key of hatch.toml (`version`, `build`, `metadata`...) replaces the
 * whole table of that name under `[tool.hatch]`; tables are not merged key by key.
 */
import type { TomlFile, TomlKeyPath } from '../project/toml-file.js';

/** A setting, the file that holds it (or would), and its key path in that file, for findings. */
export interface HatchSetting {
  value: unknown;
  file: TomlFile;
  path: TomlKeyPath;
}

/** The package's hatch setting at `keys` (e.g. `['version', 'path']`), from the file that decides it. */
export function hatchSetting(pkg: { pyproject: TomlFile; hatchToml?: TomlFile | undefined }, keys: readonly string[]): HatchSetting {
  const [top] = keys;
  if (pkg.hatchToml && top !== undefined && pkg.hatchToml.get([top]) !== undefined) {
    return { value: pkg.hatchToml.get([...keys]), file: pkg.hatchToml, path: [...keys] };
  }
  const path: TomlKeyPath = ['tool', 'hatch', ...keys];
  return { value: pkg.pyproject.get(path), file: pkg.pyproject, path };
}
