/**
 * Mapping between the three coordinate systems the compiler juggles:
 * offsets in generated JavaScript, offsets in a cell's `source`, and
 * positions in the notebook file.
 */
import type { Diagnostic, Position, Severity, SourceCell, Span } from '../notebook/types.ts';

/**
 * A problem found while compiling one cell, placed by offsets into the code
 * that was analyzed (which may be generated). Turned into a file `Diagnostic`
 * through that code's {@link SourceMapping}.
 */
export interface LocalDiagnostic {
  severity: Severity;
  code: string;
  message: string;
  start: number;
  end: number;
}

/** Maps an offset in generated code back to an offset in the cell source; `null` means "the cell's opening fence". */
export interface SourceMapping {
  toSource(generatedOffset: number): number | null;
}

/** Generated code equals the source (plain JS cells). */
export const IDENTITY_MAPPING: SourceMapping = { toSource: (offset) => offset };

interface Chunk {
  genStart: number;
  length: number;
  /** Source offset of the chunk's first character. */
  srcStart: number | null;
  /** Copied text maps character by character; inserted text maps to its anchor. */
  verbatim: boolean;
}

/**
 * Builds generated code piece by piece while remembering where each piece
 * came from, so a diagnostic inside a SQL hole or markdown hole lands on the
 * exact column the user wrote.
 */
export class CodeBuilder implements SourceMapping {
  private readonly chunks: Chunk[] = [];
  code = '';

  /** Appends text taken verbatim from the source at `srcStart`. */
  copy(text: string, srcStart: number): this {
    return this.push(text, srcStart, true);
  }

  /** Appends synthetic text; any diagnostic inside it points at `anchor` (`null`: the fence). */
  insert(text: string, anchor: number | null): this {
    return this.push(text, anchor, false);
  }

  private push(text: string, srcStart: number | null, verbatim: boolean): this {
    if (text.length === 0) return this;
    this.chunks.push({ genStart: this.code.length, length: text.length, srcStart, verbatim });
    this.code += text;
    return this;
  }

  toSource(generatedOffset: number): number | null {
    let found: Chunk | undefined;
    for (const chunk of this.chunks) {
      if (chunk.genStart > generatedOffset) break;
      found = chunk;
    }
    if (!found || found.srcStart === null) return found ? null : 0;
    if (!found.verbatim) return found.srcStart;
    return found.srcStart + Math.min(generatedOffset - found.genStart, found.length);
  }
}

/** 0-based line and column of `offset` in `text`. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: clamped - lineStart };
}

/** The file position of an offset into `cell.source`. */
export function positionInCell(cell: SourceCell, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, cell.source.length));
  const { line, column } = lineColumnOf(cell.source, clamped);
  return {
    line: cell.sourceStart.line + line,
    column: line === 0 ? cell.sourceStart.column + column : column + 1,
    offset: cell.sourceStart.offset + clamped,
  };
}

/** The span of the cell's first line (its opening fence), for problems with no better place. */
export function fenceSpan(cell: SourceCell): Span {
  return { start: cell.span.start, end: cell.span.start };
}

/** Converts a local diagnostic to a file diagnostic of `cell`. */
export function toFileDiagnostic(cell: SourceCell, mapping: SourceMapping, local: LocalDiagnostic): Diagnostic {
  const start = mapping.toSource(local.start);
  const end = mapping.toSource(local.end);
  const span: Span =
    start === null
      ? fenceSpan(cell)
      : { start: positionInCell(cell, start), end: positionInCell(cell, Math.max(start, end ?? start)) };
  return { severity: local.severity, code: local.code, message: local.message, span, cellId: cell.id };
}
