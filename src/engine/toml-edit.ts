import type { TomlFile, TomlKeyPath } from '../project/toml-file.js';
import type { TextEdit } from '../types.js';

/** A TOML basic string literal. */
export function tomlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * An edit that adds `lines` (each `key = value`) at the end of the [table] at `path`; undefined when
 * the table has no header of its own (dotted keys, inline tables): those are left to the user.
 */
export function appendToTable(file: TomlFile, path: TomlKeyPath, lines: string[]): TextEdit | undefined {
  const body = file.tableBody(path);
  if (!body) return undefined;
  const needsBreak = body.insertAt > 0 && file.text[body.insertAt - 1] !== '\n';
  return { file: file.path, start: body.insertAt, end: body.insertAt, text: `${needsBreak ? '\n' : ''}${lines.map((line) => `${line}\n`).join('')}` };
}

/** An edit that inserts a whole new table before the file's first table header (or at its end). */
export function insertTableBeforeFirst(file: TomlFile, header: string, lines: string[]): TextEdit {
  const match = /^[ \t]*\[/m.exec(file.text);
  const block = `[${header}]\n${lines.map((line) => `${line}\n`).join('')}`;
  if (match) return { file: file.path, start: match.index, end: match.index, text: `${block}\n` };
  const needsBreak = file.text.length > 0 && !file.text.endsWith('\n');
  return { file: file.path, start: file.text.length, end: file.text.length, text: `${needsBreak ? '\n' : ''}${file.text.length > 0 ? '\n' : ''}${block}` };
}
