import fs from 'node:fs';
import path from 'node:path';
import { formatGithub } from '../format/github.js';
import { formatJson } from '../format/json.js';
import { maskSecrets } from '../format/mask.js';
import type { LintReport } from '../format/report.js';
import { formatSarif } from '../format/sarif.js';
import { formatStylish } from '../format/stylish.js';
import { baseFor, replaceFile, WriteRefusedError } from '../project/safe-write.js';
import { UsageError } from './errors.js';

export const FORMATS = ['stylish', 'json', 'github', 'sarif'] as const;
export type FormatName = (typeof FORMATS)[number];

export function formatReport(report: LintReport, format: FormatName, color: boolean): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'github':
      return formatGithub(report);
    case 'sarif':
      return formatSarif(report);
    case 'stylish':
      return formatStylish(report, { color });
  }
}

/*
 * The output boundary: everything the CLI prints or writes as a report leaves through these three
 * functions, and each masks secrets (src/format/mask.ts) exactly once, on the whole text.
 */

/** Writes to stdout. */
export function writeStdout(text: string): void {
  process.stdout.write(maskSecrets(text));
}

/** Writes to stderr (error lines, the "fixed N files" line, the gate's progress). */
export function writeStderr(text: string): void {
  process.stderr.write(maskSecrets(text));
}

/** Writes to --output-file or stdout. */
export function emit(text: string, outputFile: string | undefined): void {
  if (outputFile) writeReport(outputFile, maskSecrets(text));
  else writeStdout(text);
}

/**
 * -o FILE. The GitHub Action writes its SARIF into the checkout it lints, where a pull request can
 * commit a link at that name: inside the working directory the report is written through safe-write
 * (no link on the way); a path outside it is the user's own (-o /dev/stdout keeps working).
 */
function writeReport(file: string, text: string): void {
  const absolute = path.resolve(file);
  const base = baseFor(process.cwd(), absolute);
  if (base !== process.cwd()) {
    fs.writeFileSync(absolute, text);
    return;
  }
  try {
    replaceFile(base, absolute, text);
  } catch (error) {
    if (error instanceof WriteRefusedError) throw new UsageError(`not written, ${error.message} (the report is never written through a link): ${file}`);
    throw error;
  }
}

/** stderr as the gate's progress line sees it: a terminal whose every write is masked. */
export const maskedStderr = {
  get isTTY(): boolean {
    return process.stderr.isTTY === true;
  },
  get columns(): number {
    return process.stderr.columns;
  },
  write(chunk: string): boolean {
    writeStderr(chunk);
    return true;
  },
};

/** Colour on a terminal, unless --no-color or NO_COLOR (https://no-color.org) says otherwise. */
export function useColor(requested: boolean, outputFile: string | undefined): boolean {
  return requested && !outputFile && process.stdout.isTTY === true && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
}
