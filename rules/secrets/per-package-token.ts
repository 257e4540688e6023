import { defineRule } from '../../src/engine/rule.js';
import { releasePlan, type PublishRoute } from '../../src/plan/release-plan.js';
import type { Package, Project } from '../../src/project/project.js';
import { firstRead } from '../../src/secrets/usage.js';
import { pushTo } from '../../src/group.js';

export default defineRule({
  meta: {
    id: 'secrets/per-package-token',
    category: 'security',
    defaultSeverity: 'warning',
    fixable: 'none',
    description: 'Two packages uploaded with the same token secret.',
    docs: {
      catches:
        'With token authentication (not trusted publishing), the same secret used to upload two or more packages, by one ' +
        'workflow (a matrix, a choice input) or by several. The first package in repository order (the root package first) is ' +
        'taken as the secret\'s own; every upload of another package with it is reported where its workflow reads the secret.',
      why:
        'PyPI tokens are either scoped to one project or to the whole account. A project-scoped token cannot upload a second ' +
        'project, so one of the uploads fails with 403 at release time. An account-wide token works, but then a leak of any ' +
        'one workflow (a compromised action, a log) lets the attacker publish every package of the account.',
      failing: {
        file: '.github/workflows/publish-plugin.yml',
        content:
          'on:\n  push:\n    tags: ["plugin-v*"]\njobs:\n  publish:\n    uses: ./.github/workflows/publish-to-pypi.yml\n' +
          '    with:\n      package-path: plugin\n    secrets:\n      pypi-token: ${{ secrets.PYPI_API_TOKEN }}  # also used for the core\n',
      },
      passing: {
        file: '.github/workflows/publish-plugin.yml',
        content:
          'on:\n  push:\n    tags: ["plugin-v*"]\njobs:\n  publish:\n    uses: ./.github/workflows/publish-to-pypi.yml\n' +
          '    with:\n      package-path: plugin\n    secrets:\n      pypi-token: ${{ secrets.PYPI_API_TOKEN_PLUGIN }}\n',
      },
      fixSafety: 'No fix: a new project-scoped token has to be created on PyPI and stored as a new secret first.',
    },
  },
  check({ project, report }) {
    const bySecret = new Map<string, { route: PublishRoute; packages: Package[] }[]>();
    for (const route of releasePlan(project).routes) {
      if (route.credential.kind !== 'token' || !route.credential.secret) continue;
      const packages = route.packageDirs.map((dir) => project.packageAt(dir)).filter((pkg): pkg is Package => pkg !== undefined);
      if (packages.length === 0) continue;
      const key = route.credential.secret.toUpperCase();
      pushTo(bySecret, key, { route, packages });
    }
    const order = packageOrder(project);
    for (const entries of bySecret.values()) {
      const packages = [...new Set(entries.flatMap((entry) => entry.packages))].sort((a, b) => order(a) - order(b));
      if (packages.length < 2) continue;
      const owner = packages[0]!;
      const reported = new Set<string>();
      for (const { route, packages: uploaded } of entries) {
        const others = uploaded.filter((pkg) => pkg !== owner);
        if (others.length === 0) continue;
        const key = `${route.workflow.name}|${route.job.id}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const secret = (route.credential as { secret: string }).secret;
        const read = firstRead(route.workflow, secret, route.job.path);
        const sharers = packages
          .filter((pkg) => !others.includes(pkg))
          .map((pkg) => `${label(pkg)} (${workflowsOf(entries, pkg, secret).join(', ')})`);
        const alsoHere = others.length > 1 ? ` (this workflow uploads ${others.map(label).join(' and ')} with it)` : '';
        report({
          file: route.workflow.file,
          range: read?.range ?? route.workflow.file.rangeOfKey(route.job.path) ?? { start: 0, end: 0 },
          message:
            `${others.map(label).join(', ')} ${others.length > 1 ? 'are' : 'is'} uploaded with secret ${secret}, the same secret as ${sharers.join(' and ')}${alsoHere}: ` +
            `a project-scoped token cannot upload both, and an account-wide token lets one leak publish every package; ` +
            `use a project-scoped token per package (e.g. ${suggestedName(others[0]!)}), or trusted publishing and no token`,
        });
      }
    }
  },
});

function label(pkg: Package): string {
  return pkg.name ?? pkg.dir;
}

/** Where each route uploading `pkg` reads the secret: `publish-core.yml:11`. */
function workflowsOf(entries: { route: PublishRoute; packages: Package[] }[], pkg: Package, secret: string): string[] {
  const where = (route: PublishRoute): string => {
    const read = firstRead(route.workflow, secret, route.job.path);
    return read ? `${route.workflow.name}:${route.workflow.file.positionAt(read.range.start).line}` : route.workflow.name;
  };
  return [...new Set(entries.filter((entry) => entry.packages.includes(pkg)).map((entry) => where(entry.route)))];
}

/** The root package first, then by directory. */
function packageOrder(project: Project): (pkg: Package) => number {
  const sorted = [...project.packages].sort((a, b) => (a.dir === '.' ? -1 : b.dir === '.' ? 1 : a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  return (pkg) => sorted.indexOf(pkg);
}

function suggestedName(pkg: Package): string {
  return `PYPI_API_TOKEN_${(pkg.normalizedName ?? pkg.dir).toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}
