/**
 * The `${{ … }}` expressions of a text, found in one pass: each `${{` and the first `}}` after it.
 * A regular expression with a lazy body (`\$\{\{([\s\S]*?)\}\}`) rescans to the end of the text for
 * every `${{` that is never closed, which is quadratic on a script repeating one; here the scan
 * stops at the first unclosed `${{`, since no later one can find a `}}` either.
 */
export interface ExpressionSpan {
  /** Offset of `${{`. */
  start: number;
  /** Offset just past `}}`. */
  end: number;
  /** The text between the braces. */
  body: string;
  /** Offset of the body's first character. */
  bodyStart: number;
}

export function expressionSpans(text: string): ExpressionSpan[] {
  const spans: ExpressionSpan[] = [];
  for (let open = text.indexOf('${{'); open >= 0; open = text.indexOf('${{', open)) {
    const close = text.indexOf('}}', open + 3);
    if (close < 0) break;
    spans.push({ start: open, end: close + 2, body: text.slice(open + 3, close), bodyStart: open + 3 });
    open = close + 2;
  }
  return spans;
}
