import { releasePlan, uploadsToPyPI } from '../plan/release-plan.js';
import type { WorkflowModel } from '../workflow/model.js';
import { factKey, type Package, type Project } from '../project/project.js';

export interface PublishedPackage {
  pkg: Package;
  /** The workflows whose triggers publish it (the callers, for a reusable upload), in plan order. */
  workflows: WorkflowModel[];
}

const PUBLISHED_WITH_WORKFLOWS = factKey<PublishedPackage[]>('readme:published');

/**
 * The packages some publish workflow uploads to PyPI, with those workflows: the root package first,
 * then by directory. A package that only goes to TestPyPI or another index has no PyPI page to badge. Unlike the metadata rules, the readme rules do not fall back to every package when
 * the repository has no publish workflow: there is no badge or install line to ask for then.
 */
export function publishedWithWorkflows(project: Project): PublishedPackage[] {
  return project.fact(PUBLISHED_WITH_WORKFLOWS, () => {
    const byDir = new Map<string, WorkflowModel[]>();
    for (const route of releasePlan(project).routes) {
      if (!uploadsToPyPI(route)) continue;
      for (const dir of route.packageDirs) {
        const list = byDir.get(dir) ?? [];
        if (!list.includes(route.workflow)) list.push(route.workflow);
        byDir.set(dir, list);
      }
    }
    return [...project.packages]
      .filter((pkg) => byDir.has(pkg.dir) && pkg.name !== undefined)
      .sort((a, b) => (a.dir === '.' ? -1 : b.dir === '.' ? 1 : a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0))
      .map((pkg) => ({ pkg, workflows: byDir.get(pkg.dir)! }));
  });
}
