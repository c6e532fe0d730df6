import type { CellAttributes, CellKind, Diagnostic, Span } from '../notebook/types.ts';

/**
 * The one shape the runtime runs. JS, TS, SQL and markdown cells are all
 * rewritten to this before the runtime sees them.
 *
 * Execution contract (implemented by the runtime, produced by the compiler):
 * the runtime builds
 *
 *     new AsyncFunction('__brook', ...builtinNames, ...inputs, body)
 *
 * and calls it with the cell's built-ins (`display`, widgets, `query`, …) and
 * the current values of `inputs`. `body` declares the cell's outputs as local
 * bindings and ends with `return {out1, out2};`. A final bare expression is
 * rewritten to `__brook.value(expr);` (shown unless `undefined`). Markdown
 * holes compile to `return {}` preceded by `__brook.holes([e0, e1, …]);`.
 * The compiler keeps line numbers: line `n` of `body` is file line
 * `bodyLine + n - 1`.
 */
export interface CompiledCell {
  /** Same as the source cell's id (`c1`, `c2`, …). */
  id: string;
  /**
   * Identity that survives edits of *other* cells and insertions above:
   * the cell's first output name when it has one (`x`), else its kind
   * and ordinal among cells of that kind. Widget values and saved state are
   * keyed on it.
   */
  key: string;
  kind: CellKind;
  /** JavaScript (already transpiled) — see the execution contract above. Empty for `code` cells and cells with errors. */
  body: string;
  /** Free names this cell reads that other cells define. */
  inputs: string[];
  /** Top-level names this cell defines. */
  outputs: string[];
  /**
   * Built-ins (`BUILTIN_NAMES`) this cell reads, sorted, without repeats. The
   * runtime loads heavy built-ins (`Plot`) only for cells that list them. A
   * cell that calls `eval` lists every built-in: a direct `eval` can read any
   * of the cell function's parameters.
   */
  builtins: string[];
  attributes: CellAttributes;
  /** The whole cell in the file. */
  span: Span;
  /** File line of the first line of `body`. */
  bodyLine: number;
  /** The original source as written (for editors and `echo`). */
  source: string;
  /** For markdown cells: the text split around `${}` holes (`parts.length === holes + 1`). */
  markdown?: { parts: string[] };
  /** Errors that stop this cell from running (syntax, duplicate name, cycle, …). */
  errors: Diagnostic[];
}

/** The result of compiling a notebook: cells in document order plus every diagnostic. */
export interface CompiledNotebook {
  cells: CompiledCell[];
  diagnostics: Diagnostic[];
}

/** One dependency edge, for tools (`brook check`) and the UI. */
export interface Dependency {
  from: string;
  to: string;
  name: string;
}

export type { Span };

/** A name and where it is written in the file. */
export interface NamePlace {
  name: string;
  span: Span;
}

/**
 * A compiled cell plus the places the graph checks need: where each output
 * is defined and where each input is read. Keep these for a notebook and
 * pass them to `checkGraph` after recompiling one cell.
 */
export interface CellAnalysis {
  compiled: CompiledCell;
  /** One entry per output, at its binding identifier. */
  definitions: NamePlace[];
  /** Every read of an input, in source order. */
  references: NamePlace[];
  /** Everything found in this cell alone (errors are also in `compiled.errors`). */
  diagnostics: Diagnostic[];
}
