/**
 * Where in a workflow a finding points: the exact YAML node (value or key), a piece of text inside
 * a scalar (`--skip-existing` in a run script), an event under `on:`. Falls back to the nearest
 * existing key, never to nothing.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Origin } from './values.js';
import type { Range } from '../project/source-file.js';
import type { YamlFile, YamlPath } from '../project/yaml-file.js';

/** The value at `path`, else the nearest existing key along it. */
export function valueRange(file: YamlFile, path: YamlPath): Range {
  return file.rangeOfValue(path) ?? file.rangeOfNearest(path);
}

/** The key of the entry at `path`, else the nearest existing key along it. */
export function keyRange(file: YamlFile, path: YamlPath): Range {
  return file.rangeOfKey(path) ?? file.rangeOfNearest(path);
}

export function originRange(origin: Origin): Range {
  return valueRange(origin.file, origin.path);
}

/**
 * The first match of `needle` inside the source text of the scalar at `path` (a command inside a
 * `run: |` block, a pattern inside a quoted string); the whole value when it is not found there.
 */
export function textRange(file: YamlFile, path: YamlPath, needle: string | RegExp): Range {
  const whole = valueRange(file, path);
  const source = file.text.slice(whole.start, whole.end);
  if (typeof needle === 'string') {
    const index = source.indexOf(needle);
    return index < 0 ? whole : { start: whole.start + index, end: whole.start + index + needle.length };
  }
  const match = new RegExp(needle.source, needle.flags.replace('g', '')).exec(source);
  return match ? { start: whole.start + match.index, end: whole.start + match.index + match[0].length } : whole;
}

/** The offset of the first character of a scalar's content (after an opening quote). */
export function scalarContentStart(file: YamlFile, path: YamlPath): number | undefined {
  const range = file.rangeOfValue(path);
  if (!range) return undefined;
  const first = file.text[range.start];
  return first === '"' || first === "'" ? range.start + 1 : range.start;
}

/** The event's entry under `on:` (its key in a mapping, its item in a list, or the `on:` value itself). */
export function eventRange(file: YamlFile, event: string): Range {
  const on = file.node(['on']);
  if (isMap(on)) return keyRange(file, ['on', event]);
  if (isSeq(on)) {
    const index = on.items.findIndex((item) => isScalar(item) && item.value === event);
    if (index >= 0) return valueRange(file, ['on', index]);
  }
  return valueRange(file, ['on']);
}

/** The first top-level key (usually `name:` on line 1): where a finding about the whole file points. */
export function headRange(file: YamlFile): Range {
  const contents = file.document?.contents;
  if (isMap(contents)) {
    const key = contents.items[0]?.key as Node | undefined;
    if (key?.range) return { start: key.range[0], end: key.range[1] };
  }
  return { start: 0, end: 0 };
}

/** 1-based line of a YAML path's key (or value), for messages that name another file's line. */
export function lineOf(file: YamlFile, path: YamlPath): number {
  return file.positionAt(keyRange(file, path).start).line;
}
