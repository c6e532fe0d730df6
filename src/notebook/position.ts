/**
 * Offsets ↔ line/column positions for one (newline-normalized) text.
 * Shared by the parser, front matter, layout and edit modules so every span in
 * a `Notebook` is computed the same way.
 */
import type { Position, Span } from './types.ts';

/** Line starts of a text whose line ends are all `\n`, for O(log n) offset → position. */
export class LineIndex {
  /** Offset of the first character of each line (0-based lines). */
  readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  /** Number of lines; a text ending in `\n` has an empty last line, and `''` has one line. */
  get lineCount(): number {
    return this.starts.length;
  }

  /** The 1-based position of a 0-based offset (clamped into the text). */
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo] + 1, offset: o };
  }

  /** The span `[start, end)` between two offsets. */
  span(start: number, end: number): Span {
    return { start: this.position(start), end: this.position(end) };
  }

  /** Offset of the first character of 0-based line `line`. */
  lineStart(line: number): number {
    return this.starts[Math.min(line, this.starts.length - 1)];
  }

  /** Offset just past the last character of 0-based line `line`, before its `\n`. */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return next;
  }

  /** The text of 0-based line `line`, without its `\n`. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/**
 * Strips a UTF-8 byte-order mark and turns CRLF and lone CR into `\n`.
 * Every position the parser reports refers to the text this returns.
 */
export function normalizeSource(raw: string): string {
  const noBom = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  return noBom.replace(/\r\n?/g, '\n');
}
