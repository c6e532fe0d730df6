/**
 * How engine cells meet local SQL. A SQL cell on an engine (`engine=NAME`)
 * with a result name has its rows registered as a DuckDB table of that name,
 * so a local SQL cell can read it by name (`FROM by_state`). That read is in
 * SQL text, not a JS reference, so the compiler sees no dependency: this adds
 * it, and the local cell then runs after the engine cell (and again whenever
 * it re-runs), and waits — instead of failing — while it has no result.
 * Pure.
 */
import type { CompiledCell } from '../compile/types.ts';
import type { EngineDeclarations } from './api.ts';
import { urlsWritten } from './readable-urls.ts';
import { tablesRead } from './sql-identifiers.ts';

/**
 * The name an engine's queries count as reading (not a real table): the page
 * re-runs the cells that read it (`tablesChanged`) once a password is given.
 */
export function engineTable(engine: string): string {
  return `@${engine}`;
}

/** The engine cells of a notebook: result name → engine name. */
export function engineResults(cells: readonly Pick<CompiledCell, 'kind' | 'attributes'>[]): Record<string, string> {
  const results: Record<string, string> = {};
  for (const cell of cells) {
    const { engine, name } = cell.attributes;
    if (cell.kind === 'sql' && engine !== undefined && name !== undefined) results[name] = engine;
  }
  return results;
}

/** What the data worker needs to know about a notebook's engines and the URLs its SQL may read (`text`: the whole notebook). */
export function engineDeclarations(
  engines: EngineDeclarations['engines'] | undefined,
  cells: readonly Pick<CompiledCell, 'kind' | 'attributes'>[],
  text: string,
): EngineDeclarations {
  return { engines: { ...engines }, results: engineResults(cells), readableUrls: urlsWritten(text) };
}

/** `cells` with each local SQL cell that reads an engine cell's result by name depending on that cell. */
export function linkEngineResults(cells: readonly CompiledCell[]): CompiledCell[] {
  const remote = new Map(Object.keys(engineResults(cells)).map((name) => [name.toLowerCase(), name]));
  if (remote.size === 0) return [...cells];
  return cells.map((cell) => {
    if (cell.kind !== 'sql' || cell.attributes.engine !== undefined || cell.body === '') return cell;
    const reads = tablesRead(cell.source, [])
      .map((table) => remote.get(table))
      .filter((name): name is string => name !== undefined && !cell.inputs.includes(name) && !cell.outputs.includes(name));
    return reads.length > 0 ? { ...cell, inputs: [...cell.inputs, ...new Set(reads)] } : cell;
  });
}
