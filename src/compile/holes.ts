/**
 * Finding `${expr}` holes in text (markdown and SQL cells). The end of each
 * hole is found by parsing the expression with acorn, so braces inside
 * strings, objects or template literals (`${ {a: 1}['a'] }`, `${"}"}`) do
 * not end it early. `\${` is a literal `${`.
 */
import * as acorn from 'acorn';
import { ACORN_OPTIONS, syntaxDiagnostic } from './parse-cell.ts';
import type { LocalDiagnostic } from './positions.ts';

/** A piece of literal text, as it should read (escapes resolved). */
export interface TextPart {
  text: string;
  /** Source offset of each character of `text` (escapes make them non-contiguous). */
  offsets: number[];
}

/** One parsed hole: the expression's source range (inside `${` and `}`). */
export interface Hole {
  start: number;
  end: number;
}

export interface SplitText {
  /** Literal text around the holes; `parts.length === holes.length + 1`. */
  parts: TextPart[];
  holes: Hole[];
  diagnostics: LocalDiagnostic[];
}

export interface SplitOptions {
  /** Leave backtick code spans (`` `${x}` ``) as text, as markdown renders them literally. */
  skipCodeSpans?: boolean;
}

/**
 * Splits `text` around its holes. A malformed hole yields a diagnostic at
 * its place and is kept as literal text; scanning continues after its `${`.
 */
export function splitHoles(text: string, options: SplitOptions = {}): SplitText {
  const parts: TextPart[] = [];
  const holes: Hole[] = [];
  const diagnostics: LocalDiagnostic[] = [];
  let current: TextPart = { text: '', offsets: [] };
  const literal = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      current.text += text[i];
      current.offsets.push(i);
    }
  };

  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && text.startsWith('${', i + 1)) {
      literal(i + 1, i + 3); // drop the backslash, keep `${`
      i += 3;
      continue;
    }
    if (options.skipCodeSpans && ch === '`') {
      let run = 1;
      while (text[i + run] === '`') run++;
      const fence = '`'.repeat(run);
      let close = text.indexOf(fence, i + run);
      while (close >= 0 && text[close + run] === '`') close = text.indexOf(fence, close + run + 1);
      const end = close >= 0 ? close + run : i + run;
      literal(i, end);
      i = end;
      continue;
    }
    if (ch === '$' && text[i + 1] === '{') {
      const hole = parseHole(text, i);
      if ('error' in hole) {
        diagnostics.push(hole.error);
        literal(i, i + 2);
        i += 2;
        continue;
      }
      parts.push(current);
      current = { text: '', offsets: [] };
      holes.push({ start: hole.start, end: hole.end });
      i = hole.close + 1;
      continue;
    }
    literal(i, i + 1);
    i++;
  }
  parts.push(current);
  return { parts, holes, diagnostics };
}

function parseHole(text: string, dollar: number): { start: number; end: number; close: number } | { error: LocalDiagnostic } {
  const open = dollar + 2;
  let start = open;
  while (start < text.length && /\s/.test(text[start])) start++;
  if (text[start] === '}') {
    return { error: { severity: 'error', code: 'empty-hole', message: 'empty `${}`: write an expression inside', start: dollar, end: start + 1 } };
  }
  let expression: acorn.Expression;
  try {
    // Keep parentheses so `${(a)}` ends after `)`, not after `a`.
    expression = acorn.parseExpressionAt(text, open, { ...ACORN_OPTIONS, preserveParens: true });
  } catch (error) {
    const diagnostic = syntaxDiagnostic(error, open);
    return { error: { ...diagnostic, code: 'hole-syntax', message: `in \`\${…}\`: ${diagnostic.message}` } };
  }
  let close = expression.end;
  while (close < text.length && /\s/.test(text[close])) close++;
  if (text[close] !== '}') {
    return {
      error: { severity: 'error', code: 'hole-syntax', message: 'in `${…}`: expected `}` after the expression', start: close, end: close },
    };
  }
  return { start: expression.start, end: expression.end, close };
}
