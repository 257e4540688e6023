/**
 * Where the plan learned something: a node of a workflow or action file (optionally a piece of
 * text inside it, such as one command of a `run:` block), or an offset in a script the plan
 * followed. Every edge of a route carries one, so messages can name file:line of both ends.
 */
import type { Range, SourceFile } from '../project/source-file.js';
import { YamlFile, type YamlPath } from '../project/yaml-file.js';
import { textRange, valueRange } from '../workflow/locate.js';

export interface Evidence {
  file: SourceFile;
  /** The YAML node (workflow and action files). */
  path?: YamlPath | undefined;
  /** Text inside the node to point at, e.g. the command `uv build` in a `run:` block. */
  text?: string | undefined;
  /** An offset into the file (scripts the plan followed). */
  offset?: number | undefined;
}

export function evidenceRange(evidence: Evidence): Range {
  const { file } = evidence;
  if (file instanceof YamlFile && evidence.path) {
    return evidence.text ? textRange(file, evidence.path, evidence.text) : valueRange(file, evidence.path);
  }
  const offset = evidence.offset ?? 0;
  const end = file.text.indexOf('\n', offset);
  return { start: offset, end: end < 0 ? file.text.length : end };
}

export function evidenceLine(evidence: Evidence): number {
  return evidence.file.positionAt(evidenceRange(evidence).start).line;
}

/** `path:line`, for messages. */
export function describeEvidence(evidence: Evidence): string {
  return `${evidence.file.path}:${evidenceLine(evidence)}`;
}
