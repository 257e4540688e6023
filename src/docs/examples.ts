/**
 * Rule examples that run: each rule's failing and passing example (meta.docs.failing / passing) is the
 * file its page shows; the folder docs/rules/<id>/fail/ (or pass/) holds the files around it that make
 * it a repository of its own (a package beside a workflow, a README...). test/rule-examples.test.ts
 * writes each into a temporary directory and lints it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RuleMeta } from '../types.js';

export type ExampleSide = 'fail' | 'pass';

export interface ExampleFile {
  file: string;
  content: string;
}

/** The files of docs/rules/<id>/<side>/ (repo-relative paths with `/`), sorted; none without the folder. */
export function exampleContext(docsDir: string, id: string, side: ExampleSide): ExampleFile[] {
  const base = path.join(docsDir, ...id.split('/'), side);
  const found: ExampleFile[] = [];
  const walk = (relative: string): void => {
    const entries = fs.readdirSync(path.join(base, relative), { withFileTypes: true, encoding: 'utf8' });
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) found.push({ file: child, content: fs.readFileSync(path.join(base, child), 'utf8') });
    }
  };
  if (fs.existsSync(base)) walk('');
  return found.sort((a, b) => (a.file < b.file ? -1 : 1));
}

/** Writes the example as a repository under `target`: the folder's files, then the rule's example file. */
export function writeExample(meta: RuleMeta, docsDir: string, side: ExampleSide, target: string): void {
  const shown = side === 'fail' ? meta.docs.failing : meta.docs.passing;
  for (const { file, content } of [...exampleContext(docsDir, meta.id, side), shown]) {
    const absolute = path.join(target, ...file.split('/'));
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, content);
  }
}
