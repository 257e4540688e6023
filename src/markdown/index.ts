import type { SourceFile } from '../project/source-file.js';
import { readMarkdown } from './markdown.js';
import type { DocModel } from './model.js';
import { readRst } from './rst.js';

export * from './model.js';
export { scanHtml } from './html.js';

const cache = new WeakMap<SourceFile, DocModel>();

export function isRst(path: string): boolean {
  return /\.(rst|rest)$/i.test(path);
}

/** A doc file read as Markdown (or reStructuredText, by extension), once per file object. */
export function readDocument(file: SourceFile): DocModel {
  let model = cache.get(file);
  if (!model) {
    try {
      model = isRst(file.path) ? readRst(file) : readMarkdown(file);
    } catch {
      // A document the readers cannot follow is read as empty rather than stopping the run.
      model = { file, format: isRst(file.path) ? 'rst' : 'markdown', headings: [], images: [], code: [], codeBlocks: [], tables: [], lists: [] };
    }
    cache.set(file, model);
  }
  return model;
}
