import fs from 'node:fs';
import { formatGithub } from '../format/github.js';
import { formatJson } from '../format/json.js';
import { maskSecrets } from '../format/mask.js';
import type { LintReport } from '../format/report.js';
import { formatSarif } from '../format/sarif.js';
import { formatStylish } from '../format/stylish.js';

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

/** Writes to --output-file or stdout; every byte passes the secret mask first. */
export function emit(text: string, outputFile: string | undefined): void {
  const masked = maskSecrets(text);
  if (outputFile) fs.writeFileSync(outputFile, masked);
  else process.stdout.write(masked);
}

/** Colour on a terminal, unless --no-color or NO_COLOR (https://no-color.org) says otherwise. */
export function useColor(requested: boolean, outputFile: string | undefined): boolean {
  return requested && !outputFile && process.stdout.isTTY === true && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
}
