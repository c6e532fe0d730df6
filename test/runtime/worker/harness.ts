/** A CellRuntime with a recording host and a scripted data worker, for Node tests. */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { BUILTIN_NAMES } from '../../../src/compile/builtins.ts';
import type { CompiledCell } from '../../../src/compile/types.ts';
import type { RuntimeInit } from '../../../src/runtime/messages.ts';
import type { DataApi, QueryRequest, QueryResponse, Result } from '../../../src/data/api.ts';
import type { CellEvent, CellToast, OutputItem } from '../../../src/runtime/protocol.ts';
import { CellRuntime, type CellRuntimeOptions } from '../../../workers/runtime/runtime.ts';
import { importPlot } from '../../../workers/runtime/plot-loader.ts';

let line = 1;

/**
 * A compiled cell written per the execution contract. Unless given,
 * `builtins` are the built-in names the body mentions as words, which stands
 * in for the compiler's scope analysis in these hand-written bodies.
 */
export function compiled(id: string, body: string, fields: Partial<CompiledCell> = {}): CompiledCell {
  const bodyLine = fields.bodyLine ?? (line += 10);
  return {
    id,
    key: fields.key ?? `js:${id}`,
    kind: 'js',
    body,
    inputs: [],
    outputs: [],
    builtins: BUILTIN_NAMES.filter((name) => new RegExp(`\\b${name}\\b`).test(body)),
    attributes: { echo: false, hidden: false, sidebar: false },
    span: { start: { line: bodyLine - 1, column: 1, offset: 0 }, end: { line: bodyLine + 5, column: 1, offset: 0 } },
    bodyLine,
    source: body,
    errors: [],
    ...fields,
  };
}

export type QueryScript = (request: QueryRequest) => Result<QueryResponse>;

/** A query answer holding `columns` (name → values), reading `tables`. */
export function answer(columns: Record<string, unknown[]>, tables: string[] = []): Result<QueryResponse> {
  const table = tableFromArrays(columns as Record<string, string[] | number[]>);
  return {
    ok: true,
    value: {
      ipc: tableToIPC(table, 'stream'),
      rowCount: table.numRows,
      columns: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) === 'Utf8' ? 'VARCHAR' : 'DOUBLE' })),
      tables,
      cache: 'miss',
      durationMs: 1,
    },
  };
}

export function harness(
  init: Partial<RuntimeInit> = {},
  script: QueryScript = () => answer({ x: [1] }),
  options: Partial<Pick<CellRuntimeOptions, 'loadPlot' | 'widthsWaitMs' | 'streamFrameMs'>> & { queryDelayMs?: number } = {},
) {
  const { queryDelayMs = 1, ...runtimeOptions } = options;
  const events: CellEvent[] = [];
  const running: (string | null)[] = [];
  const states: Record<string, unknown>[] = [];
  const toasts: CellToast[] = [];
  const queries: QueryRequest[] = [];
  const cancelled: number[] = [];
  const data: Pick<DataApi, 'query' | 'cancelBefore'> = {
    async query(request) {
      queries.push(request);
      await new Promise((resolve) => setTimeout(resolve, queryDelayMs));
      return script(request);
    },
    cancelBefore: (generation) => void cancelled.push(generation),
  };
  const runtime = new CellRuntime({
    init: { notebookId: 'test', inputs: {}, state: {}, ...init },
    host: {
      event: (event) => void events.push(event),
      running: (cell) => void running.push(cell),
      stateChanged: (state) => void states.push(state),
      toast: (toast) => void toasts.push(toast),
    },
    data,
    stateDelayMs: 20,
    // No page measures widths here: cells that draw at a width use the fallback at once.
    widthsWaitMs: 0,
    loadPlot: importPlot,
    ...runtimeOptions,
  });
  const last = (cell: string) => events.filter((e) => e.cell === cell && e.status !== 'pending').at(-1);
  const outputs = (cell: string): OutputItem[] => {
    const e = last(cell);
    return e && e.status !== 'pending' ? e.outputs : [];
  };
  const texts = (cell: string) => outputs(cell).flatMap((o) => (o.type === 'text' ? [o.text] : []));
  const widgets = (cell: string) => outputs(cell).flatMap((o) => (o.type === 'widget' ? [o.widget] : []));
  // A run starts with one pending event; the pending events after it carry its streamed outputs.
  const runs = (cell: string) => events.filter((e) => e.cell === cell && e.status === 'pending' && !e.partial).length;
  const partials = (cell: string) => events.flatMap((e) => (e.cell === cell && e.status === 'pending' && e.partial ? [e.partial] : []));
  return { runtime, events, running, states, toasts, queries, cancelled, last, outputs, texts, widgets, runs, partials };
}
