/**
 * The publishers a repository already has, of any kind, so that `init` never adds a second one:
 *
 * - the release plan's upload routes (src/plan/): a workflow's upload step, in the workflow itself,
 *   a reusable workflow it calls, or a local action or script it runs;
 * - scripts under scripts/ and Makefile targets that run an upload command (`twine upload`,
 *   `uv publish`...), which a release engineer may run by hand or a workflow through `make`;
 * - TWINE_* settings (TWINE_USERNAME, TWINE_PASSWORD, TWINE_REPOSITORY_URL...) and a .pypirc, which
 *   only a twine upload reads.
 *
 * A route says which packages it uploads; the others do not, so they may publish any package.
 */
import { packageDirsOf, releasePlan } from '../plan/release-plan.js';
import type { Project } from '../project/project.js';
import { lineOf } from '../workflow/locate.js';
import { uploadGroups } from '../workflow/publish-jobs.js';

export interface ExistingPublisher {
  /** Repo-relative file and line: `.github/workflows/publish.yml:30`. */
  where: string;
  /** What publishes there, in a few words. */
  what: string;
  /**
   * The directories of the packages it is known to upload (a route may upload more it cannot tell);
   * undefined for a script or settings, which may upload any package.
   */
  packageDirs: string[] | undefined;
}

/** An upload command in a shell script, a Makefile recipe or a Python list (`["twine", "upload", ...]`). */
const UPLOAD = /\b(twine|uv|poetry|hatch|flit|pdm|maturin)["',\s]+(upload|publish)\b/;
const TWINE_SETTING = /\bTWINE_(?:USERNAME|PASSWORD|REPOSITORY_URL|REPOSITORY|API_KEY)\b/;
/** Files that may hold TWINE_* settings besides workflows, scripts and the Makefile. */
const SETTINGS_FILES = ['tox.ini', 'noxfile.py', '.env', '.envrc', 'setup.cfg', 'justfile', 'Justfile'];
const MAKEFILES = ['Makefile', 'makefile', 'GNUmakefile'];
const SCRIPTS_DIR = 'scripts';
/** scripts/ is read this deep and this wide at most (a vendored tree there is not a release script). */
const MAX_SCRIPT_DEPTH = 3;
const MAX_SCRIPTS = 200;

export function findPublishers(project: Project): ExistingPublisher[] {
  const found: ExistingPublisher[] = [];
  const plan = releasePlan(project);
  const routed = new Set<string>();
  for (const { site, routes } of uploadGroups(plan)) {
    const { step, tool } = site;
    routed.add(step.file.path);
    const targets = routes.flatMap((route) => route.targets);
    const names = [...new Set(targets.map((target) => target.pkg?.name ?? target.name ?? target.dir).filter((name): name is string => Boolean(name)))];
    const callers = [...new Set(routes.map((route) => route.workflow.file.path).filter((file) => file !== step.file.path))];
    found.push({
      where: `${step.file.path}:${lineOf(step.file, step.path)}`,
      what: `${tool ?? 'an upload'} uploads ${names.length > 0 ? names.join(', ') : 'packages the linter cannot tell'}${callers.length > 0 ? ` (run by ${callers.join(', ')})` : ''}`,
      packageDirs: packageDirsOf(routes),
    });
  }

  const makeCalls = makeCallsInWorkflows(project);
  for (const makefile of MAKEFILES) {
    const text = project.readText(makefile);
    if (text === undefined) continue;
    for (const target of uploadTargets(text)) {
      const caller = makeCalls.find((call) => call.target === target.name);
      found.push({
        where: `${makefile}:${target.line}`,
        what: `target ${target.name} runs ${target.command}${caller ? ` (called from ${caller.where})` : ''}`,
        packageDirs: undefined,
      });
    }
  }

  for (const script of scriptFiles(project)) {
    if (routed.has(script)) continue;
    const text = project.readText(script) ?? '';
    const hit = firstLine(text, UPLOAD);
    if (hit) found.push({ where: `${script}:${hit.line}`, what: `runs ${hit.match}`, packageDirs: undefined });
  }

  const settingsFiles = [...project.workflows.map((file) => file.path), ...MAKEFILES, ...SETTINGS_FILES, ...scriptFiles(project)];
  for (const file of settingsFiles) {
    if (routed.has(file) || found.some((publisher) => publisher.where.startsWith(`${file}:`))) continue;
    const hit = firstLine(project.readText(file) ?? '', TWINE_SETTING);
    if (hit) found.push({ where: `${file}:${hit.line}`, what: `sets ${hit.match}, which only a twine upload reads`, packageDirs: undefined });
  }
  if (project.exists('.pypirc')) found.push({ where: '.pypirc:1', what: "twine's index and credential settings", packageDirs: undefined });
  return found;
}

/** The Makefile targets whose recipe runs an upload command (or sets TWINE_*), with the target's line. */
export function uploadTargets(makefile: string): { name: string; line: number; command: string }[] {
  const targets: { name: string; line: number; command: string }[] = [];
  let current: { name: string; line: number } | undefined;
  makefile.split('\n').forEach((text, index) => {
    const rule = /^([A-Za-z0-9_.-]+)\s*:(?!=)/.exec(text);
    if (rule) {
      current = { name: rule[1]!, line: index + 1 };
      return;
    }
    if (!current || !text.startsWith('\t')) return;
    const upload = UPLOAD.exec(text) ?? TWINE_SETTING.exec(text);
    if (upload && !targets.some((target) => target.name === current!.name)) targets.push({ ...current, command: upload[0] });
  });
  return targets;
}

/** `make TARGET` in the run: scripts of the workflows, with where. */
function makeCallsInWorkflows(project: Project): { target: string; where: string }[] {
  const calls: { target: string; where: string }[] = [];
  for (const workflow of project.workflows) {
    workflow.text.split('\n').forEach((text, index) => {
      for (const match of text.matchAll(/(?:^|[\s;&|(])g?make\s+(?:-\S+\s+)*([A-Za-z0-9_.-]+)/g)) calls.push({ target: match[1]!, where: `${workflow.path}:${index + 1}` });
    });
  }
  return calls;
}

/** Regular files under scripts/, a few levels deep. */
function scriptFiles(project: Project): string[] {
  const files: string[] = [];
  const walk = (directory: string, depth: number): void => {
    for (const name of [...project.listDirectory(directory)].sort()) {
      if (files.length >= MAX_SCRIPTS) return;
      const child = `${directory}/${name}`;
      if (project.readText(child) !== undefined) files.push(child);
      else if (depth < MAX_SCRIPT_DEPTH) walk(child, depth + 1);
    }
  };
  walk(SCRIPTS_DIR, 1);
  return files;
}

function firstLine(text: string, pattern: RegExp): { line: number; match: string } | undefined {
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const match = pattern.exec(lines[index]!);
    if (match) return { line: index + 1, match: match[0].replace(/["',\s]+/g, ' ') };
  }
  return undefined;
}
