/**
 * The compiler's entry points: one cell (`compileCell`, for the editor) or a
 * whole notebook (`compileNotebook`, which adds the graph checks). Every
 * kind of cell ends up in the one `CompiledCell` shape of `types.ts`.
 */
import type { CellKind, Diagnostic, Notebook, SourceCell, Span } from '../notebook/types.ts';
import { rewriteBody } from './body.ts';
import { BUILTIN_NAMES, CELL_CONTEXT } from './builtins.ts';
import { WORKER_SCOPE_GLOBALS } from './globals.ts';
import { checkGraph } from './graph-check.ts';
import { splitMarkdown } from './markdown.ts';
import { analyzeCode } from './parse-cell.ts';
import { IDENTITY_MAPPING, fenceSpan, toFileDiagnostic, type LocalDiagnostic, type SourceMapping } from './positions.ts';
import { sqlToJavaScript } from './sql.ts';
import { transpileTypeScript } from './transpile.ts';
import type { CellAnalysis, CompiledCell, CompiledNotebook, NamePlace } from './types.ts';

export type { CellAnalysis, NamePlace } from './types.ts';

const BUILTINS: ReadonlySet<string> = new Set([...BUILTIN_NAMES, CELL_CONTEXT]);


/** The identity of a cell across edits: its first output, else `kind-ordinal` (1-based among cells of that kind). */
export function cellKey(outputs: readonly string[], kind: CellKind, ordinal: number): string {
  return outputs.length > 0 ? outputs[0] : `${kind}-${ordinal}`;
}

interface CodeAnalysisInput {
  code: string;
  mapping: SourceMapping;
  /** Rewrite as a code cell (imports, final expression, return), or keep as-is (markdown holes). */
  rewrite: boolean;
  /** Problems found before code generation, placed by offsets into the cell source. */
  sourceDiagnostics: LocalDiagnostic[];
}

/** Produces the JavaScript to analyze for a cell, or `null` when there is none. */
function cellCode(cell: SourceCell): CodeAnalysisInput | { error: LocalDiagnostic; mapping: SourceMapping } | null {
  switch (cell.kind) {
    case 'js':
      return { code: cell.source, mapping: IDENTITY_MAPPING, rewrite: true, sourceDiagnostics: [] };
    case 'ts': {
      const result = transpileTypeScript(cell.source);
      if ('error' in result) return { error: result.error, mapping: IDENTITY_MAPPING };
      return { code: result.code, mapping: result.mapping, rewrite: true, sourceDiagnostics: [] };
    }
    case 'sql': {
      const { builder, diagnostics } = sqlToJavaScript(cell.source, cell.attributes.name, engineTag(cell));
      if (!builder) return { error: diagnostics[0], mapping: { toSource: () => null } };
      return { code: builder.code, mapping: builder, rewrite: true, sourceDiagnostics: diagnostics };
    }
    case 'md':
    case 'code':
      return null;
  }
}

/** The `query` tag of a SQL cell: on an engine, `query.engine(engine, result name)` (runtime: workers/runtime/query.ts). */
function engineTag(cell: SourceCell): string | undefined {
  const { engine, name } = cell.attributes;
  return engine === undefined ? undefined : `query.engine(${JSON.stringify(engine)}, ${JSON.stringify(name ?? null)})`;
}

/** A cell that runs nothing yet: the starting point of analysis, and what a cell the compiler failed on becomes. */
function emptyCell(cell: SourceCell, ordinal: number, errors: Diagnostic[]): CompiledCell {
  return {
    id: cell.id,
    key: cellKey([], cell.kind, ordinal),
    kind: cell.kind,
    body: '',
    inputs: [],
    outputs: [],
    builtins: [],
    attributes: cell.attributes,
    span: cell.span,
    bodyLine: cell.sourceStart.line,
    source: cell.source,
    errors,
  };
}

function analyze(cell: SourceCell, ordinal: number): CellAnalysis {
  const base = emptyCell(cell, ordinal, []);
  let input: CodeAnalysisInput | null;
  if (cell.kind === 'md') {
    const split = splitMarkdown(cell.source);
    base.markdown = { parts: split.parts };
    input = split.builder ? { code: split.builder.code, mapping: split.builder, rewrite: false, sourceDiagnostics: split.diagnostics } : null;
    if (!input) return finish(base, cell, IDENTITY_MAPPING, split.diagnostics, [], []);
  } else {
    const code = cellCode(cell);
    if (code && 'error' in code) return finish(base, cell, code.mapping, [code.error], [], []);
    input = code;
  }
  if (!input) return finish(base, cell, IDENTITY_MAPPING, [], [], []);

  const { code, mapping } = input;
  const placed = input.sourceDiagnostics.map((d) => toFileDiagnostic(cell, IDENTITY_MAPPING, d));
  const local: LocalDiagnostic[] = [];
  const analysis = analyzeCode(code);
  if ('error' in analysis) return finish(base, cell, mapping, [analysis.error], [], [], placed);

  const outputs = analysis.declarations.map((d) => d.name);
  for (const declaration of analysis.declarations) {
    if (BUILTINS.has(declaration.name)) {
      local.push({
        severity: 'error',
        code: 'builtin-name',
        message: `\`${declaration.name}\` is a built-in; choose another name`,
        start: declaration.start,
        end: declaration.end,
      });
    } else if (WORKER_SCOPE_GLOBALS.has(declaration.name)) {
      local.push({
        severity: 'warning',
        code: 'shadows-global',
        message: `\`${declaration.name}\` is a global: other cells still see the global, not this value`,
        start: declaration.start,
        end: declaration.end,
      });
    }
  }

  const inputs: string[] = [];
  const builtins = new Set<string>();
  const readPlaces: Array<{ name: string; start: number; end: number }> = [];
  for (const reference of analysis.references) {
    const { name } = reference;
    const builtin = BUILTINS.has(name);
    if (reference.assigned) {
      local.push({
        severity: 'error',
        code: builtin || WORKER_SCOPE_GLOBALS.has(name) ? 'assign-builtin' : 'assign-input',
        message:
          builtin || WORKER_SCOPE_GLOBALS.has(name)
            ? `cannot assign to the built-in \`${name}\``
            : `cannot assign to \`${name}\`: this cell does not declare it, and another cell's value is read-only here (declare a new name, or keep shared mutable data in \`state\`)`,
        start: reference.start,
        end: reference.end,
      });
    }
    if (name === 'eval') BUILTIN_NAMES.forEach((n) => builtins.add(n));
    else if (builtin && name !== CELL_CONTEXT) builtins.add(name);
    if (builtin || WORKER_SCOPE_GLOBALS.has(name)) continue;
    if (!inputs.includes(name)) inputs.push(name);
    readPlaces.push(reference);
  }

  let body = '';
  if (input.rewrite) {
    const rewritten = rewriteBody(code, analysis.program, outputs);
    local.push(...rewritten.diagnostics);
    body = rewritten.body;
  } else {
    body = `${code}\nreturn {};`;
  }
  const compiled: CompiledCell = { ...base, key: cellKey(outputs, cell.kind, ordinal), body, inputs, outputs, builtins: [...builtins].sort() };
  const definitions = analysis.declarations;
  return finish(compiled, cell, mapping, local, definitions, readPlaces, placed);
}

/** Places the local diagnostics in the file; a cell with an error gets an empty body. */
function finish(
  compiled: CompiledCell,
  cell: SourceCell,
  mapping: SourceMapping,
  local: readonly LocalDiagnostic[],
  definitions: ReadonlyArray<{ name: string; start: number; end: number }>,
  references: ReadonlyArray<{ name: string; start: number; end: number }>,
  placed: readonly Diagnostic[] = [],
): CellAnalysis {
  const place = (item: { name: string; start: number; end: number }): NamePlace => ({
    name: item.name,
    span: toFileDiagnostic(cell, mapping, { severity: 'error', code: '', message: '', start: item.start, end: item.end }).span,
  });
  const diagnostics = [...placed, ...local.map((d) => toFileDiagnostic(cell, mapping, d))].sort((a, b) => a.span.start.offset - b.span.start.offset);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return {
    compiled: { ...compiled, errors, body: errors.length > 0 ? '' : compiled.body },
    definitions: definitions.map(place),
    references: references.map(place),
    diagnostics,
  };
}

/**
 * Compiles one cell alone, keeping the places the graph checks need. Never
 * throws: an unexpected failure becomes an `internal-error` diagnostic.
 *
 * @param ordinal 1-based position of the cell among cells of its kind (for `key`).
 */
export function analyzeCell(cell: SourceCell, ordinal = 1): CellAnalysis {
  try {
    return analyze(cell, ordinal);
  } catch (error) {
    const diagnostic: Diagnostic = {
      severity: 'error',
      code: 'internal-error',
      message: `the compiler failed on this cell: ${error instanceof Error ? error.message : String(error)}`,
      span: fenceSpan(cell),
      cellId: cell.id,
    };
    const compiled = emptyCell(cell, ordinal, [diagnostic]);
    return { compiled, definitions: [], references: [], diagnostics: [diagnostic] };
  }
}

/**
 * Compiles one cell without graph checks (duplicate, undefined and circular
 * names need the whole notebook: see `checkGraph`).
 *
 * @param ordinal 1-based position of the cell among cells of its kind (for `key`).
 */
export function compileCell(cell: SourceCell, ordinal = 1): CompiledCell {
  return analyzeCell(cell, ordinal).compiled;
}

/** Ordinal of each cell among the cells of its kind, 1-based, in document order. */
function ordinals(cells: readonly SourceCell[]): number[] {
  const counts = new Map<CellKind, number>();
  return cells.map((cell) => {
    const n = (counts.get(cell.kind) ?? 0) + 1;
    counts.set(cell.kind, n);
    return n;
  });
}

/**
 * Compiles a notebook: every cell, then the graph checks over all of them.
 * The parser's diagnostics are included. Deterministic; never throws.
 */
export function compileNotebook(notebook: Notebook): CompiledNotebook {
  const ns = ordinals(notebook.cells);
  const result = checkGraph(notebook.cells.map((cell, i) => analyzeCell(cell, ns[i])));
  const diagnostics = [...notebook.diagnostics, ...result.diagnostics].sort((a, b) => a.span.start.offset - b.span.start.offset);
  return { cells: result.cells, diagnostics };
}
