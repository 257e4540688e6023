import fs from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Project } from '../project/project.js';
import { refusalToWrite, replaceFile, WriteRefusedError } from '../project/safe-write.js';
import { SourceFile } from '../project/source-file.js';
import { TomlFile } from '../project/toml-file.js';
import { YamlFile } from '../project/yaml-file.js';
import type { Finding, Fix, TextEdit } from '../types.js';
import { planFixPass } from './fix-pass.js';
import type { RunContext } from './context.js';
import { lintProject } from './lint.js';
import type { Rule } from './rule.js';

/** ESLint's limit: fixes that keep producing new fixes stop here. */
export const MAX_FIX_PASSES = 10;

export interface FixOptions {
  /** Apply the safe fixes, or the unsafe ones too (--unsafe-fixes). */
  fixes: 'safe' | 'unsafe';
  /** Fix only the findings this accepts (file arguments: the findings the run reports); default all. */
  only?: (finding: Finding) => boolean;
}

export interface FixOutcome {
  /** The project as it is after the last pass, and what is left to report. */
  project: Project;
  findings: Finding[];
  /** Files the fixes changed: path → original and fixed text (BOM excluded). */
  changes: Map<string, { original: SourceFile; fixed: string }>;
  /**
   * Files a fix would have changed but may not be written in place (a symbolic link, or one on the
   * way to it: fixes never write through a link), with the reason. Their fixes were not applied, so
   * their findings are still reported.
   */
  notFixed: Map<string, string>;
  /** The findings whose fixes were applied, pass after pass (--show-fixes lists them). */
  applied: Finding[];
}

/**
 * Lints, applies the fixes that may be applied, and re-lints, until nothing changes (at most 10
 * passes). Nothing is written here: edits live in an in-memory overlay the next pass reads.
 */
export async function lintAndFix(project: Project, rules: readonly Rule[], options: FixOptions, run: RunContext): Promise<FixOutcome> {
  const overlay = new Map<string, string>();
  const originals = new Map<string, SourceFile>();
  const refusals = new Map<string, string | undefined>();
  const notFixed = new Map<string, string>();
  const fixable = (file: string): boolean => {
    if (!refusals.has(file)) refusals.set(file, refusalToWrite(project.root, path.resolve(project.root, file)));
    const refusal = refusals.get(file);
    if (refusal !== undefined) notFixed.set(file, refusal);
    return refusal === undefined;
  };
  const wanted = options.only ?? ((): boolean => true);
  const applied: Finding[] = [];
  let current = project;
  let findings = await lintProject(current, rules, run);
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixing = findings.filter((finding) => finding.fix && (finding.fix.applicability === 'safe' || options.fixes === 'unsafe') && wanted(finding));
    const accepted = applyFixes(current, fixing, fixable, overlay, originals);
    if (accepted.length === 0) break;
    applied.push(...accepted);
    current = current.reload(current.store.withOverlay(overlay));
    findings = await lintProject(current, rules, run);
  }
  const changes = new Map<string, { original: SourceFile; fixed: string }>();
  for (const [file, raw] of overlay) {
    const original = originals.get(file)!;
    const fixed = new SourceFile(file, raw).text;
    if (fixed !== original.text) changes.set(file, { original, fixed });
  }
  return { project: current, findings, changes, notFixed, applied };
}

/**
 * Applies a pass of the findings' fixes to the overlay (fix-pass.ts: ruff's rule against the texts the
 * pass linted); a fix that touches a file that is not `fixable`, or after which a touched file no
 * longer parses, is dropped. Returns the findings whose fixes changed some text (none: nothing changed).
 */
function applyFixes(project: Project, findings: Finding[], fixable: (file: string) => boolean, overlay: Map<string, string>, originals: Map<string, SourceFile>): Finding[] {
  const sourceOf = (file: string): SourceFile | undefined => project.file(file) ?? project.sourceFile(file);
  const withFileEol = (edit: TextEdit): TextEdit => (sourceOf(edit.file)?.eol === '\r\n' ? { ...edit, text: edit.text.replace(/\r?\n/g, '\r\n') } : edit);
  const findingOf = new Map<Fix, Finding>(findings.map((finding) => [{ ...finding.fix!, edits: finding.fix!.edits.map(withFileEol) }, finding]));
  const pass = planFixPass([...findingOf.keys()], (file) => (fixable(file) ? sourceOf(file)?.text : undefined), reparses);
  let changed = false;
  for (const [file, text] of pass.texts) {
    const source = sourceOf(file)!;
    if (text === source.text) continue;
    if (!originals.has(file)) originals.set(file, source);
    overlay.set(file, source.serialize(text));
    changed = true;
  }
  return changed ? pass.accepted.map((fix) => findingOf.get(fix)!) : [];
}

/** True when the edited text still parses as its kind of file. */
function reparses(file: string, text: string): boolean {
  if (/\.toml$/i.test(file)) return new TomlFile(file, text).parseError === undefined;
  if (/\.ya?ml$/i.test(file)) return new YamlFile(file, text).parseError === undefined;
  return true;
}

/** A unified diff of the changes, for --diff. */
export function formatDiff(changes: FixOutcome['changes']): string {
  let output = '';
  for (const [file, { original, fixed }] of [...changes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    output += createTwoFilesPatch(`a/${file}`, `b/${file}`, original.text, fixed, undefined, undefined, { context: 3 }).replace(/^=+\n/, '');
  }
  return output;
}

/** A file changed on disk after it was read (or became a link): --fix does not overwrite it. */
export class ConcurrentModificationError extends Error {}

/**
 * Writes each changed file atomically through src/project/safe-write.ts (a temporary file created
 * exclusively beside it, then renamed over it), keeping its mode and BOM. A file whose disk content
 * is no longer what was linted, or that became a link since, is left alone.
 */
export function writeChanges(root: string, changes: FixOutcome['changes']): string[] {
  const written: string[] = [];
  const skipped: string[] = [];
  for (const [file, { original, fixed }] of changes) {
    const absolute = path.resolve(root, file);
    if (textOnDisk(root, absolute) !== original.serialize(original.text)) {
      skipped.push(file);
      continue;
    }
    try {
      replaceFile(root, absolute, original.serialize(fixed));
      written.push(file);
    } catch (error) {
      if (!(error instanceof WriteRefusedError)) throw error;
      skipped.push(file);
    }
  }
  if (skipped.length > 0) throw new ConcurrentModificationError(`not written, changed on disk while linting: ${skipped.join(', ')}`);
  return written;
}

/** The file's text, or undefined when it is gone or no longer a regular file reached without a link. */
function textOnDisk(root: string, absolute: string): string | undefined {
  if (refusalToWrite(root, absolute) !== undefined || !fs.existsSync(absolute)) return undefined;
  return fs.readFileSync(absolute, 'utf8');
}
