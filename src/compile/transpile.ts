/**
 * TypeScript → JavaScript for `ts` cells, with sucrase: small and fast
 * enough to run in the browser, and it keeps every line where it was (type
 * annotations are deleted, not reflowed), so line `n` of the output is line
 * `n` of the input. Columns can move left where types were removed;
 * {@link LineMapping} puts diagnostics back on the original column.
 */
import type { transform as sucraseTransform } from 'sucrase';
import type { Notebook } from '../notebook/types.ts';
import { syntaxDiagnostic } from './parse-cell.ts';
import type { LocalDiagnostic, SourceMapping } from './positions.ts';

let transform: typeof sucraseTransform | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the transpiler (sucrase: about a quarter of the page's code, and
 * only notebooks with `ts` cells need it). Call before compiling a notebook
 * with `ts` cells; see {@link needsTypeScript}. A failed load is not kept.
 */
export function loadTypeScript(): Promise<void> {
  if (transform) return Promise.resolve();
  loading ??= import('sucrase').then(
    (sucrase) => {
      transform = sucrase.transform;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Whether compiling `notebook` needs {@link loadTypeScript} first. */
export function needsTypeScript(notebook: Notebook): boolean {
  return transform === undefined && notebook.cells.some((cell) => cell.kind === 'ts');
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineIndexOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const IDENTIFIER_CHAR = /[\p{ID_Continue}$\u200c\u200d]/u;

/**
 * Maps offsets of line-preserving output back to the source. The line is
 * exact; for the column, when the output offset starts a word (the usual
 * place of a diagnostic: an identifier) the nearest occurrence of that same
 * word on the source line is used, else the column is clamped to the line.
 */
export class LineMapping implements SourceMapping {
  private readonly sourceStarts: number[];
  private readonly outputStarts: number[];

  constructor(
    private readonly source: string,
    private readonly output: string,
  ) {
    this.sourceStarts = lineStarts(source);
    this.outputStarts = lineStarts(output);
  }

  toSource(offset: number): number {
    const line = lineIndexOf(this.outputStarts, offset);
    const column = offset - this.outputStarts[line];
    const srcLine = Math.min(line, this.sourceStarts.length - 1);
    const srcStart = this.sourceStarts[srcLine];
    const srcEnd = srcLine + 1 < this.sourceStarts.length ? this.sourceStarts[srcLine + 1] - 1 : this.source.length;
    const sourceLine = this.source.slice(srcStart, srcEnd);
    let wordEnd = offset;
    while (wordEnd < this.output.length && IDENTIFIER_CHAR.test(this.output[wordEnd])) wordEnd++;
    const word = this.output.slice(offset, wordEnd);
    if (word.length > 0) {
      let best = -1;
      for (let at = sourceLine.indexOf(word); at >= 0; at = sourceLine.indexOf(word, at + 1)) {
        const bounded =
          (at === 0 || !IDENTIFIER_CHAR.test(sourceLine[at - 1])) &&
          (at + word.length >= sourceLine.length || !IDENTIFIER_CHAR.test(sourceLine[at + word.length]));
        // Nearest wins: removed types move text left, expanded enums move it right.
        if (bounded && (best < 0 || Math.abs(at - column) < Math.abs(best - column))) best = at;
      }
      if (best >= 0) return srcStart + best;
    }
    return srcStart + Math.min(column, sourceLine.length);
  }
}

export type TranspileResult = { code: string; mapping: SourceMapping } | { error: LocalDiagnostic };

/**
 * Transpiles a TypeScript cell. Imports are kept even when unused here
 * (another cell may use them); `import type` is still removed. Modern
 * syntax is left as-is for the browser.
 */
export function transpileTypeScript(source: string): TranspileResult {
  // Callers load it first (needsTypeScript); this is what a cell says when that load failed.
  if (!transform) {
    const message = 'TypeScript cells need the transpiler, which could not be loaded; reload the page to try again.';
    return { error: { severity: 'error', code: 'typescript-unavailable', message, start: 0, end: 0 } };
  }
  try {
    const { code } = transform(source, {
      transforms: ['typescript'],
      disableESTransforms: true,
      keepUnusedImports: true,
    });
    return { code, mapping: new LineMapping(source, code) };
  } catch (error) {
    // sucrase reports `pos` as an offset into the source it was given.
    return { error: syntaxDiagnostic(error, 0) };
  }
}
