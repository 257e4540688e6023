import { defineRule } from '../../src/engine/rule.js';
import { tomlString } from '../../src/engine/toml-edit.js';
import type { TomlKeyPath } from '../../src/project/toml-file.js';
import { parseMarker, type MarkerNode, type MarkerValue } from '../../src/pyproject/pep508.js';
import { dependenciesOf, isPublished, isVirtualProject, repoPackages, type Dependency, type RepoPackage } from '../../src/pyproject/packages.js';
import { admits, clausesOf, compatibleRange, hasLowerBound, hasUpperBound, intersection, isDevelopmentRelease, joinClauses, nextBreaking, poetryToPep440, pythonWitness } from '../../src/pyproject/specifiers.js';
import { stringContentStart, valueAt, valueLine, valueRange } from '../../src/pyproject/toml-text.js';
import { describeVersionSource, knownVersion, versionOf, type VersionSource } from '../../src/pyproject/version.js';
import type { Fix, TextEdit } from '../../src/types.js';
import type { Range } from '../../src/project/source-file.js';
import { pushTo } from '../../src/group.js';
import { summarizeList } from '../../src/summarize.js';

export default defineRule({
  meta: {
    id: 'pyproject/sibling-dependencies',
    category: 'release',
    defaultSeverity: 'error',
    kinds: {
      'excludes-current': {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: "A sibling dependency whose specifier excludes the sibling's current version.",
      },
      'no-lower-bound': { category: 'release', defaultSeverity: 'error', enabledByDefault: true, description: 'A sibling dependency with no lower bound.' },
      'no-upper-bound': { category: 'hygiene', defaultSeverity: 'warning', enabledByDefault: false, description: 'A sibling dependency with no upper bound.' },
      cycle: { category: 'release', defaultSeverity: 'warning', enabledByDefault: true, description: 'A cycle of required dependencies between packages of the repository.', fixable: 'none' },
      'python-range': {
        category: 'release',
        defaultSeverity: 'error',
        enabledByDefault: true,
        description: 'A dependent whose requires-python admits Pythons its sibling dependency does not.',
        fixable: 'none',
      },
    },
    fixable: 'unsafe',
    description: 'A dependency on another package of this repository that its current version does not satisfy, or that is unbounded.',
    docs: {
      catches:
        'A dependency (in `dependencies`, any `optional-dependencies` extra, or Poetry\'s `[tool.poetry.dependencies]`) on ' +
        'another package of this repository, matched by PEP 503 normalised name (`Open_Ticket.AI` is `open-ticket-ai`), ' +
        'whose specifier excludes that package\'s current version (evaluated by PEP 440, pre-releases, local versions, ' +
        '`~=`, `!=` and `===` included; a dynamic version is read from `[tool.hatch.version] path`, setuptools `attr`/`file`, ' +
        'flit\'s `__version__` or Cargo.toml) (kind `excludes-current`) or has no lower bound (kind `no-lower-bound`), errors; ' +
        'a range below a sibling at a development version (`0.5b0.dev`) is a warning: separately released packages name the ' +
        'sibling\'s last release line on purpose between its releases; ' +
        'a cycle of required dependencies between packages (kind `cycle`, a warning); a dependent whose requires-python ' +
        'admits Python versions its dependency does not (kind `python-range`, an error); and, off by default, no upper bound ' +
        '(kind `no-upper-bound`, a warning; option `require-upper-bound = false` turns it off even when selected).',
      why:
        'Packages released from one repository are developed against each other\'s current code. A plugin that requires ' +
        '`open-ticket-ai>=2.0` while the core in the repository is 1.4.0 cannot be installed at all once released; one ' +
        'without a lower bound gets paired by pip with an old core that lacks the API it calls; one without an upper bound ' +
        'breaks on the next breaking core release (a new major, or a new minor before 1.0). A workspace tool (uv, Poetry path dependencies) hides all of this locally, ' +
        'because it installs the sibling from the checkout.',
      failing: {
        file: 'plugins/hf/pyproject.toml',
        content: '[project]\nname = "open-ticket-ai-hf-local"\nversion = "1.0.0"\ndependencies = ["open-ticket-ai>=2.0,<3"]\n# while pyproject.toml says name = "open-ticket-ai", version = "1.4.0"\n',
      },
      passing: {
        file: 'plugins/hf/pyproject.toml',
        content: '[project]\nname = "open-ticket-ai-hf-local"\nversion = "1.0.0"\ndependencies = ["open-ticket-ai>=1.4.0,<2"]\n',
      },
      fixSafety:
        'Unsafe: the fix rewrites the specifier, in that exact array element and nowhere else, to `>=CURRENT,<NEXT_BREAKING` ' +
        '(e.g. `>=1.4.0,<2`; before 1.0 the next minor: `>=0.7.5,<0.8`) when it excludes the current version or has no lower bound, and appends `,<NEXT_BREAKING` when ' +
        'only the upper bound is missing. The range is an assumption about compatibility that only the maintainers can ' +
        'confirm, so it needs `--unsafe-fixes`. No fix when the sibling\'s version is computed from git tags.',
    },
    optionsSchema: {
      properties: {
        'require-upper-bound': { type: 'boolean', description: 'Warn about sibling dependencies without an upper bound (default true).' },
      },
    },
  },
  check({ project, report, options }) {
    const requireUpper = options['require-upper-bound'] !== false;
    const packages = repoPackages(project);
    const byName = new Map(packages.map((pkg) => [pkg.normalizedName, pkg]));
    const edges = new Map<RepoPackage, { to: RepoPackage; dependency: Dependency }[]>();

    for (const pkg of packages) {
      // Only between published packages: what an unpublished application or example pins breaks no release.
      if (isVirtualProject(pkg) || !isPublished(project, pkg)) continue;
      const file = pkg.pyproject;
      // One finding per package and kind of missing bound, however many siblings: one cause.
      const unbounded: Record<'no-lower-bound' | 'no-upper-bound', Unbounded[]> = { 'no-lower-bound': [], 'no-upper-bound': [] };
      // One python-range finding per package, however many siblings require a narrower Python: one cause.
      const narrower: NarrowerPython[] = [];
      for (const dependency of dependenciesOf(pkg).dependencies) {
        const sibling = byName.get(dependency.normalizedName);
        if (!sibling || sibling === pkg || dependency.direct || !isPublished(project, sibling)) continue;
        if (!dependency.optional) pushTo(edges, pkg, { to: sibling, dependency });
        const alternatives = dependency.alternatives.map(clausesOf);
        if (alternatives.length === 0 || alternatives.some((clauses) => clauses === undefined)) continue;
        // Positions need a second parse of the file: only for a finding.
        const range = (): Range => valueRange(file, dependency.path);
        const source = versionOf(project, sibling);
        const version = knownVersion(project, sibling);
        const shown = dependency.syntax === 'pep508' ? dependency.written : `${dependency.written} (${dependency.alternatives.join(' || ') || 'any version'})`;
        if (version !== undefined && !dependency.alternatives.some((specifier) => admits(version, specifier))) {
          const fix = rewriteFix(pkg, dependency, version, 'replace');
          const remedy = fix ? fix.description : `require a ${sibling.name} range that admits ${version}`;
          // Ahead (>=2.0 against 1.4.0): nothing on PyPI satisfies it yet. Behind (<1 against 1.4.0): pip pairs it with an old release.
          const ahead = alternatives.every((clauses) => !admits(version, joinClauses(clauses!.filter((clause) => LOWER_BOUNDS.includes(clause.operator)))));
          const required = `${pkg.name}: requires ${shown}${dependency.optional ? ` (in ${dependency.group})` : ''}`;
          if (!ahead && isDevelopmentRelease(version)) {
            // Between releases of separately released packages: the range names the sibling's last release line on purpose.
            report({
              kind: 'excludes-current',
              file,
              range: range(),
              severity: 'warning',
              message:
                `${required}, below ${sibling.name} ${version} in this repository (${versionWhere(sibling, source)}), a development version: this release pairs with ${sibling.name} ` +
                `as released on PyPI, not with the code beside it that the repository's own tests run against; keep it if the package is also tested against that release, else ${remedy}`,
              fix,
            });
            continue;
          }
          report({
            kind: 'excludes-current',
            file,
            range: range(),
            message:
              `${required}, but ${sibling.name} in this repository is ${version} (${versionWhere(sibling, source)}): ` +
              (ahead
                ? `pip cannot install this release until PyPI has a release of ${sibling.name} that satisfies it; release one first, or ${remedy}`
                : `pip pairs this release with another ${sibling.name} release, never the one in this repository; ${remedy}`),
            fix,
          });
        } else if (!alternatives.every((clauses) => hasLowerBound(clauses!))) {
          unbounded['no-lower-bound'].push({
            dependency,
            sibling,
            shown,
            group: dependency.optional ? ` (in ${dependency.group})` : '',
            against: version !== undefined ? `${version}${describeVersionSource(source)}` : undefined,
            fix: version !== undefined ? rewriteFix(pkg, dependency, version, 'replace') : undefined,
          });
        } else if (requireUpper && !alternatives.every((clauses) => hasUpperBound(clauses!))) {
          unbounded['no-upper-bound'].push({
            dependency,
            sibling,
            shown,
            group: dependency.optional ? ` (in ${dependency.group})` : '',
            against: undefined,
            fix: version !== undefined ? rewriteFix(pkg, dependency, version, 'cap') : undefined,
          });
        }
        const python = narrowerPython(pkg, sibling, dependency);
        if (python && !narrower.some((entry) => entry.sibling === sibling)) narrower.push(python);
      }
      reportUnbounded(pkg, unbounded);
      reportPython(pkg, narrower);
    }
    reportCycles();

    function reportUnbounded(pkg: RepoPackage, unbounded: Record<'no-lower-bound' | 'no-upper-bound', Unbounded[]>): void {
      for (const [kind, list] of Object.entries(unbounded) as ['no-lower-bound' | 'no-upper-bound', Unbounded[]][]) {
        if (list.length === 0) continue;
        const first = list[0]!;
        const lower = kind === 'no-lower-bound';
        const message =
          list.length === 1
            ? lower
              ? `${pkg.name} requires ${first.shown} with no lower bound${first.group}: pip may pair it with any older ${first.sibling.name} release` +
                (first.against ? `, while it is developed against ${first.against}` : '')
              : `${pkg.name} requires ${first.shown} with no upper bound${first.group}: the next breaking ${first.sibling.name} release will be installed with this ${pkg.name} release too`
            : `${pkg.name} requires ${list.length} packages of this repository with no ${lower ? 'lower' : 'upper'} bound (${summarizeList(list.map((entry) => entry.shown + entry.group), 3)}): ` +
              (lower ? 'pip may pair it with any older release of each' : `the next breaking release of each will be installed with this ${pkg.name} release too`);
        const fixes = list.map((entry) => entry.fix).filter((fix): fix is Fix => fix !== undefined);
        const fix: Fix | undefined =
          fixes.length === 0 ? undefined : fixes.length === 1 ? fixes[0] : { applicability: 'unsafe', description: `bound ${fixes.length} sibling requirements of ${pkg.name}`, edits: fixes.flatMap((entry) => entry.edits) };
        report({ kind, file: pkg.pyproject, range: valueRange(pkg.pyproject, first.dependency.path), message, fix });
      }
    }

    /** Whether `pkg` admits a Python its dependency `sibling` does not, where the requirement applies (its python_version marker). */
    function narrowerPython(pkg: RepoPackage, sibling: RepoPackage, dependency: Dependency): NarrowerPython | undefined {
      // A package without requires-python is pyproject/metadata's finding, not this one's.
      const own = requiresPython(pkg);
      const theirs = requiresPython(sibling);
      if (own === undefined || theirs === undefined) return undefined;
      const marker = dependency.marker === undefined ? undefined : parseMarker(dependency.marker);
      const applies = (python: string): boolean => (marker?.ok ? evaluatePython(marker.value, python) : true);
      const witness = pythonWitness(own.specifier, theirs.specifier, applies);
      if (witness === undefined) return undefined;
      return { sibling, dependency, theirs, python: witness.replace(/\.0$/, '') };
    }

    function reportPython(pkg: RepoPackage, narrower: NarrowerPython[]): void {
      const own = requiresPython(pkg);
      if (own === undefined || narrower.length === 0) return;
      const file = pkg.pyproject;
      const pythons = [...new Set(narrower.map((entry) => entry.python))];
      const entry = (item: NarrowerPython): string => `${item.sibling.name} (line ${valueLine(file, item.dependency.path)}; ${valueAt(item.sibling.pyproject, item.theirs.path)})`;
      const sameRange = narrower.every((item) => item.theirs.written === narrower[0]!.theirs.written);
      const siblings = sameRange
        ? `${narrower.length === 1 ? 'its dependency' : 'its dependencies'} ${listed(narrower.map(entry))} require${narrower.length === 1 ? 's' : ''} "${narrower[0]!.theirs.written}"`
        : `its dependencies ${listed(narrower.map((item) => `${entry(item)} requires "${item.theirs.written}"`))}`;
      const target = intersection(own.specifier, narrower.map((item) => item.theirs.specifier));
      // Only the floor moves (>=3.9 to >=3.10): "raise"; a new cap or exclusion: "narrow".
      const kept = new Set(clausesOf(own.specifier)?.map((clause) => clause.operator + clause.version));
      const raise = target !== undefined && (clausesOf(target) ?? []).every((clause) => kept.has(clause.operator + clause.version) || clause.operator.startsWith('>'));
      const fix = target === undefined ? 'narrow requires-python to what they admit' : `${raise ? 'raise' : 'narrow'} requires-python to "${target}"`;
      report({
        kind: 'python-range',
        file,
        range: valueRange(file, own.path),
        message:
          `${pkg.name}: requires-python "${own.written}" admits Python ${listed(pythons)}, but ${siblings}: ` +
          `on ${listed(pythons)} pip falls back to older releases of ${narrower.length === 1 ? 'it' : 'them'} (or of ${pkg.name}) or fails; ${fix}`,
      });
    }

    function reportCycles(): void {
      const seen = new Set<string>();
      const walk = (start: RepoPackage, current: RepoPackage, trail: { to: RepoPackage; dependency: Dependency }[]): void => {
        for (const edge of edges.get(current) ?? []) {
          if (edge.to === start) {
            const cycle = [...trail, edge];
            const names = cycle.map((step) => step.to.name);
            const key = [...names].sort().join('\u0000');
            if (seen.has(key)) continue;
            seen.add(key);
            const first = cycle[0]!;
            report({
              kind: 'cycle',
              file: start.pyproject,
              range: valueRange(start.pyproject, first.dependency.path),
              message: `dependency cycle between packages of this repository: ${[start.name, ...names].join(' → ')}; none of them can be installed or released before the others`,
            });
            continue;
          }
          if (trail.some((step) => step.to === edge.to) || edge.to === current) continue;
          walk(start, edge.to, [...trail, edge]);
        }
      };
      for (const pkg of packages) walk(pkg, pkg, []);
    }
  },
});

function requiresPython(pkg: RepoPackage): { specifier: string; written: string; path: TomlKeyPath } | undefined {
  if (pkg.kind === 'pep621') {
    const value = pkg.pyproject.get(['project', 'requires-python']);
    if (typeof value !== 'string' || !clausesOf(value)) return undefined;
    return { specifier: value, written: value, path: ['project', 'requires-python'] };
  }
  const value = pkg.pyproject.get(['tool', 'poetry', 'dependencies', 'python']);
  if (typeof value !== 'string') return undefined;
  const converted = poetryToPep440(value);
  if (!converted || converted.length !== 1) return undefined;
  return { specifier: converted[0]!, written: value, path: ['tool', 'poetry', 'dependencies', 'python'] };
}

/** Evaluates a marker for one Python version: python_version / python_full_version comparisons; anything else may hold. */
function evaluatePython(node: MarkerNode, python: string): boolean {
  if (node.type !== 'compare') {
    return node.type === 'and'
      ? evaluatePython(node.left, python) && evaluatePython(node.right, python)
      : evaluatePython(node.left, python) || evaluatePython(node.right, python);
  }
  const value = (side: MarkerValue): string | undefined => {
    if (side.type === 'string') return side.value;
    if (side.name === 'python_version') return python.split('.').slice(0, 2).join('.');
    if (side.name === 'python_full_version') return python;
    return undefined;
  };
  const isPython = (side: MarkerValue): boolean => side.type === 'variable' && (side.name === 'python_version' || side.name === 'python_full_version');
  if (node.operator === 'in' || node.operator === 'not in') return true;
  const flipped: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
  if (isPython(node.left) && node.right.type === 'string') return admits(value(node.left)!, `${node.operator}${node.right.value}`);
  if (isPython(node.right) && node.left.type === 'string') return admits(value(node.right)!, `${flipped[node.operator] ?? node.operator}${node.left.value}`);
  return true;
}

const LOWER_BOUNDS: readonly string[] = ['>=', '>', '~=', '==', '==='];

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Where a sibling's version is written, for the other end of a finding: `pyproject.toml:3`, or the file it is read from. */
function versionWhere(pkg: RepoPackage, source: VersionSource): string {
  if (source.kind === 'file') return `from ${source.file}`;
  return valueAt(pkg.pyproject, pkg.kind === 'poetry' ? ['tool', 'poetry', 'version'] : ['project', 'version']);
}

/** A sibling whose requires-python excludes a Python this package admits, before it is reported. */
interface NarrowerPython {
  sibling: RepoPackage;
  /** The requirement on it: the first one, when the package requires it twice (dependencies and an extra). */
  dependency: Dependency;
  theirs: { specifier: string; written: string; path: TomlKeyPath };
  /** The lowest Python this package admits and the sibling does not (`3.9`). */
  python: string;
}

/** A sibling requirement missing a bound, before it is reported. */
interface Unbounded {
  dependency: Dependency;
  /** The sibling package the requirement names, for its name as the repo spells it. */
  sibling: RepoPackage;
  /** The requirement as written. */
  shown: string;
  /** ` (in optional-dependencies.cli)` when the requirement is an extra's, else empty. */
  group: string;
  /** The sibling's version and where it is read, for the message. */
  against: string | undefined;
  fix: Fix | undefined;
}

/**
 * The unsafe fix: in the exact element, replace the specifier with `>=CURRENT,<NEXT_MAJOR`
 * ('replace') or append `,<NEXT_MAJOR` to it ('cap'). Undefined when no edit can be made safely.
 */
function rewriteFix(pkg: RepoPackage, dependency: Dependency, version: string, mode: 'replace' | 'cap'): Fix | undefined {
  const range = compatibleRange(version);
  const major = nextBreaking(version);
  if (range === undefined || major === undefined) return undefined;
  const file = pkg.pyproject;
  const newSpecifier = mode === 'replace' ? range : `${dependency.specifier},<${major}`;
  let edit: TextEdit | undefined;
  if (dependency.syntax === 'poetry') {
    if (!dependency.versionPath || dependency.alternatives.length !== 1) return undefined;
    const target = file.rangeOfValue(dependency.versionPath);
    if (!target) return undefined;
    edit = { file: file.path, start: target.start, end: target.end, text: tomlString(newSpecifier) };
  } else {
    const span = specifierSpan(dependency.written, dependency.name);
    if (!span) return undefined;
    const contentStart = stringContentStart(file, dependency.path);
    if (contentStart !== undefined) {
      edit = { file: file.path, start: contentStart + span.start, end: contentStart + span.end, text: newSpecifier };
    } else {
      const whole = file.rangeOfValue(dependency.path);
      if (!whole) return undefined;
      const rewritten = dependency.written.slice(0, span.start) + newSpecifier + dependency.written.slice(span.end);
      edit = { file: file.path, start: whole.start, end: whole.end, text: tomlString(rewritten) };
    }
  }
  return { applicability: 'unsafe', description: `require ${dependency.name}${newSpecifier}`, edits: [edit] };
}

/**
 * Where the version specifier sits in a PEP 508 string: after the name and extras, before the
 * marker (`;`), inside parentheses if it has them. An empty span (start = end) when there is none.
 */
export function specifierSpan(requirement: string, name: string): { start: number; end: number } | undefined {
  let index = requirement.indexOf(name);
  if (index === -1) return undefined;
  index += name.length;
  let cursor = index;
  while (requirement[cursor] === ' ' || requirement[cursor] === '\t') cursor++;
  if (requirement[cursor] === '[') {
    const close = requirement.indexOf(']', cursor);
    if (close === -1) return undefined;
    index = close + 1;
  }
  const markerAt = requirement.indexOf(';', index);
  const end = markerAt === -1 ? requirement.length : markerAt;
  const region = requirement.slice(index, end);
  const trimmedStart = index + (region.length - region.trimStart().length);
  const trimmedEnd = end - (region.length - region.trimEnd().length);
  if (trimmedStart >= trimmedEnd) return { start: index, end: index };
  if (requirement[trimmedStart] === '(' && requirement[trimmedEnd - 1] === ')') {
    const innerStart = trimmedStart + 1;
    const innerEnd = trimmedEnd - 1;
    const inner = requirement.slice(innerStart, innerEnd);
    return { start: innerStart + (inner.length - inner.trimStart().length), end: innerEnd - (inner.length - inner.trimEnd().length) };
  }
  return { start: trimmedStart, end: trimmedEnd };
}
