import { normalizePackageName } from '../project/project.js';
import type { TomlFile } from '../project/toml-file.js';

/** A build backend the linter knows: how to recognise it, and what [build-system] it needs. */
export interface KnownBackend {
  /** The `build-backend` object reference. */
  backend: string;
  /** The distribution that provides it (PEP 503 normalised). */
  distribution: string;
  /** A `requires` entry with the lower bound the backend's PEP 621 support needs. */
  requirement: string;
  /** [tool.X] tables that mean this backend is in use. */
  toolTables: string[];
}

export const KNOWN_BACKENDS: readonly KnownBackend[] = [
  { backend: 'hatchling.build', distribution: 'hatchling', requirement: 'hatchling>=1.0', toolTables: ['tool.hatch'] },
  { backend: 'setuptools.build_meta', distribution: 'setuptools', requirement: 'setuptools>=61.0', toolTables: ['tool.setuptools', 'tool.setuptools_scm', 'tool.setuptools-scm'] },
  { backend: 'poetry.core.masonry.api', distribution: 'poetry-core', requirement: 'poetry-core>=1.0.0', toolTables: ['tool.poetry'] },
  { backend: 'flit_core.buildapi', distribution: 'flit-core', requirement: 'flit_core>=3.4,<4', toolTables: ['tool.flit'] },
  { backend: 'pdm.backend', distribution: 'pdm-backend', requirement: 'pdm-backend>=2.0', toolTables: ['tool.pdm'] },
  { backend: 'maturin', distribution: 'maturin', requirement: 'maturin>=1.0,<2.0', toolTables: ['tool.maturin'] },
  { backend: 'scikit_build_core.build', distribution: 'scikit-build-core', requirement: 'scikit-build-core>=0.4', toolTables: ['tool.scikit-build'] },
  { backend: 'mesonpy', distribution: 'meson-python', requirement: 'meson-python>=0.13', toolTables: ['tool.meson-python'] },
];

/**
 * The backend a pyproject's [tool.*] tables point to, if exactly one does; setuptools when none
 * does, since that is what pip builds such a project with today. Undefined when they disagree.
 */
export function inferBackend(pyproject: TomlFile): KnownBackend | undefined {
  const tool = (pyproject.get(['tool']) ?? {}) as Record<string, unknown>;
  const present = new Set(Object.keys(tool).map((name) => `tool.${name}`));
  const matches = KNOWN_BACKENDS.filter((known) => known.toolTables.some((table) => present.has(table)));
  // [tool.setuptools_scm] may sit beside [tool.hatch] (hatch-vcs reads it): hatch wins then.
  const distinct = matches.length > 1 ? matches.filter((known) => known.distribution !== 'setuptools') : matches;
  if (distinct.length === 0) return KNOWN_BACKENDS.find((known) => known.distribution === 'setuptools');
  return distinct.length === 1 ? distinct[0] : undefined;
}

/** The known backend whose distribution is required, to complete a [build-system] with no build-backend. */
export function backendForRequirement(distribution: string): KnownBackend | undefined {
  const normalized = normalizePackageName(distribution);
  return KNOWN_BACKENDS.find((known) => known.distribution === normalized);
}

/** The distribution that provides a `build-backend` reference (known ones, else its top module). */
export function distributionOfBackend(backend: string): string {
  const known = KNOWN_BACKENDS.find((candidate) => candidate.backend === backend);
  if (known) return known.distribution;
  return normalizePackageName(backend.split(/[.:]/)[0]!);
}
