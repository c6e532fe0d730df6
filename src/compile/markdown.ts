/**
 * Markdown cells: the text is split around its `${expr}` holes into
 * `markdown.parts`; the holes become one statement,
 * `__brook.holes([e0, e1, …]);`, laid out so each expression sits on its own
 * source line. Code spans (`` `${x}` ``) stay literal, as markdown shows
 * code verbatim; `\${` is a literal `${`.
 */
import { CELL_CONTEXT } from './builtins.ts';
import { splitHoles } from './holes.ts';
import { CodeBuilder, lineColumnOf, type LocalDiagnostic } from './positions.ts';

export interface MarkdownSplit {
  parts: string[];
  /** The holes statement; `null` when there are no holes. */
  builder: CodeBuilder | null;
  diagnostics: LocalDiagnostic[];
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Splits a markdown cell into literal parts and the JavaScript of its holes. */
export function splitMarkdown(source: string): MarkdownSplit {
  const { parts, holes, diagnostics } = splitHoles(source, { skipCodeSpans: true });
  if (holes.length === 0) return { parts: parts.map((p) => p.text), builder: null, diagnostics };
  const builder = new CodeBuilder();
  builder.insert(`${CELL_CONTEXT}.holes([`, holes[0].start);
  holes.forEach((hole, i) => {
    if (i > 0) builder.insert(', ', hole.start);
    const missing = lineColumnOf(source, hole.start).line - countNewlines(builder.code);
    if (missing > 0) builder.insert('\n'.repeat(missing), hole.start);
    // Parenthesized so a sequence `${a, b}` stays one element.
    builder.insert('(', hole.start).copy(source.slice(hole.start, hole.end), hole.start).insert(')', hole.end);
  });
  builder.insert(']);', holes[holes.length - 1].end);
  return { parts: parts.map((p) => p.text), builder, diagnostics };
}
