/**
 * One run of a notebook at its default inputs, in Node, for `brook build`'s
 * snapshot: the page's own compiler, the runtime worker's `CellRuntime`, the
 * data engine over DuckDB-WASM's Node build, and Plot over linkedom, so what
 * it computes is what a browser would. It runs in a worker thread
 * (`snapshot-worker.mjs`) that reports as it goes; the build stops the thread
 * when the run takes too long and keeps what was reported.
 *
 * Cells that read the clock, randomness, the network or a browser-only API
 * would give a different answer in the reader's browser, so they are not run
 * here (nor anything downstream): the page runs them live.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { compileNotebook } from '../compile/compile.ts';
import { loadTypeScript, needsTypeScript } from '../compile/transpile.ts';
import type { CompiledCell } from '../compile/types.ts';
import { NO_EXTERNAL_ACCESS } from '../data/duck-connection.ts';
import { WIDGET_NAMES } from '../widgets/kinds.ts';
import { exploreControls } from './control-values.ts';
import { DataEngine, type MemoStore } from '../data/engine.ts';
import { linkEngineResults } from '../data/engine-cells.ts';
import type { PersistedResult } from '../data/persisted-memo.ts';
import { isVolatileSql } from '../data/volatile.ts';
import { parseNotebook } from '../notebook/parse.ts';
import { findImports } from '../runtime/module-guard.ts';
import type { CellError, CellEvent, WidgetSpec } from '../runtime/protocol.ts';
import { lockDown } from '../../workers/runtime/isolation.ts';
import { importPlot } from '../../workers/runtime/plot-loader.ts';
import { CellRuntime } from '../../workers/runtime/runtime.ts';
import { FALLBACK_WIDTH } from '../../workers/runtime/widths.ts';
import { decodeParquetNode, nodeDuck } from './node-duck.ts';

/** What the build asks for. */
export interface SnapshotRunRequest {
  /** The notebook text exactly as the build writes it (`notebook.md`). */
  text: string;
  /** The file name the page compiles it under. */
  file: string;
  /** Front-matter tables the build copied, with the absolute path of each file. */
  data: { table: string; path: string }[];
  /** Also run the notebook for the other values of its controls (default true; `brook build --no-answers` turns it off). */
  explore?: boolean;
}

/** What the run reports, in order; `done` comes last unless the build stopped the run. */
export type SnapshotMessage =
  | { type: 'skipped'; cell: string; line: number; reason: string }
  | { type: 'table'; table: string; fingerprint: string }
  | { type: 'table-failed'; table: string; message: string }
  | { type: 'event'; event: CellEvent }
  | { type: 'result'; key: string; result: Omit<PersistedResult, 'savedAt'> }
  | { type: 'index'; key: string; ipc: Uint8Array }
  /** From here on the run tries other control values: its results are answers, its events not the snapshot's. */
  | { type: 'exploring' }
  | { type: 'done' };

/** At most this long is spent running the notebook for other control values (`exploreControls`)… */
const EXPLORE_BUDGET_MS = 15_000;
/** …and none of it after this long since the run began (the build stops the run at 60 s). */
const EXPLORE_BY_MS = 40_000;

/** What makes a cell's answer depend on where and when it runs, by what its code names. */
const BUILD_TIME_BLOCKERS: { pattern: RegExp; reason: string }[] = [
  { pattern: /\bDate\.now\s*\(|\bDate\s*\(\s*\)|\bperformance\.now\s*\(/, reason: 'reads the clock' },
  { pattern: /\bMath\.random\s*\(|\bcrypto\.(?:getRandomValues|randomUUID)\s*\(/, reason: 'draws random numbers' },
  { pattern: /\b(?:fetch|XMLHttpRequest|WebSocket|EventSource)\b/, reason: 'uses the network' },
  {
    pattern: /\b(?:navigator|indexedDB|caches|OffscreenCanvas|createImageBitmap|Notification|BroadcastChannel|Worker|requestAnimationFrame|setInterval)\b/,
    reason: 'uses a browser-only API',
  },
];

/**
 * Why a cell cannot run at build time, or `undefined` when it can. Read from
 * its code, so the rule is predictable: a cell that names `Date.now()` is
 * left to the page even if that line never runs.
 */
export function buildTimeBlocker(cell: CompiledCell): string | undefined {
  if (cell.builtins.includes('now')) return 'reads the clock (`now`)';
  if (cell.kind === 'sql' && cell.attributes.engine !== undefined) return `queries the engine ${cell.attributes.engine} (the build contacts no engine, and has no reader's password)`;
  if (cell.kind === 'sql' && isVolatileSql(cell.source)) return 'runs volatile SQL (random(), now(), a URL read, a statement that changes the database…)';
  // In Node, `import()` reaches the build machine's modules (node:fs, node:child_process).
  if (findImports(cell.body).length > 0) return 'loads a module';
  return BUILD_TIME_BLOCKERS.find(({ pattern }) => pattern.test(cell.body))?.reason;
}

/** Cells that cannot run at build time, and every cell downstream of one (by the names they read). */
export function cellsLeftToThePage(compiled: readonly CompiledCell[]): Map<string, string> {
  // Local SQL reading an engine cell's result by name is downstream of it (engine-cells.ts).
  const cells = linkEngineResults(compiled);
  const left = new Map<string, string>();
  for (const cell of cells) {
    const reason = buildTimeBlocker(cell);
    if (reason) left.set(cell.id, reason);
  }
  // Cells are in document order, but a cell may read a name defined below it: iterate to a fixed point.
  for (let changed = true; changed; ) {
    changed = false;
    for (const cell of cells) {
      if (left.has(cell.id)) continue;
      const upstream = cells.find((other) => left.has(other.id) && other.outputs.some((name) => cell.inputs.includes(name)));
      if (upstream) {
        left.set(cell.id, `reads \`${upstream.outputs.find((name) => cell.inputs.includes(name))}\`, which is computed on the page`);
        changed = true;
      }
    }
  }
  return left;
}

/** Runs the notebook, reporting through `post`; resolves when every cell has settled. */
export async function runSnapshot(request: SnapshotRunRequest, post: (message: SnapshotMessage) => void): Promise<void> {
  const began = performance.now();
  // Notebook code may use `self` (the worker's global).
  (globalThis as { self?: unknown }).self ??= globalThis;
  const notebook = parseNotebook(request.text, request.file);
  if (needsTypeScript(notebook)) await loadTypeScript();
  const cells = compileNotebook(notebook).cells;
  const left = cellsLeftToThePage(cells);
  const skip: Record<string, CellError> = {};
  for (const [id, reason] of left) {
    const cell = cells.find((c) => c.id === id)!;
    post({ type: 'skipped', cell: id, line: cell.span.start.line, reason });
    skip[id] = { name: 'BuildTimeSkip', message: `Not run at build time: it ${reason}.` };
  }

  const recorder: MemoStore = {
    get: async () => undefined,
    put: async (key, result) => {
      post({ type: 'result', key, result });
      return true;
    },
  };
  // Every result is recorded (threshold below zero): the page asks for them at once.
  const connection = nodeDuck();
  // SQL reads only the tables Brook registered, as on a network-blocked page:
  // `read_text('/home/…/.ssh/id_rsa')` or `COPY … TO '/…'` would reach the build machine's disk.
  await (await connection).query(NO_EXTERNAL_ACCESS);
  // Queries whose values follow an input keep their range indexes: the page loads them for a control's first change.
  const engine = new DataEngine({ connection, decodeParquet: decodeParquetNode, persisted: recorder, persistAfterMs: -1, prepareAfterMs: null, keepPreparations: true });
  await Promise.all(request.data.map(async ({ table, path }) => {
    const bytes = readFileSync(path);
    const loaded = await engine.ingest({ fileName: basename(path), table, bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
    post(loaded.ok ? { type: 'table', table, fingerprint: loaded.value.fingerprint } : { type: 'table-failed', table, message: loaded.error.message });
  }));

  // Only now: DuckDB has loaded its wasm and the data (Arrow's JSON builder compiles code from
  // strings). From here on the thread runs a stranger's code with the build machine's rights,
  // so it loses what the page's network-blocked runtime loses (network, code from strings:
  // `import()` could otherwise be rebuilt from a string) and Node's own handle on the machine
  // (`process.binding`, `process.dlopen`, `process.env`).
  lockDown({ blockNetwork: true });
  withoutNodeHandles();
  const controls = new Map<string, WidgetSpec>();
  const runtime = new CellRuntime({
    // No page to measure: charts are drawn at Plot's default width (the page redraws them at its own).
    init: { notebookId: 'brook-build', inputs: {}, state: {}, widths: { main: FALLBACK_WIDTH, cells: {} }, blockNetwork: true },
    host: {
      event: (event) => {
        post({ type: 'event', event });
        noteControls(event, controls);
      },
      running: () => {},
      stateChanged: () => {},
      toast: () => {},
    },
    data: { query: (query) => engine.query(query), cancelBefore: (generation) => engine.cancelBefore(generation) },
    // No origin to stay on: every `import()` is refused (such cells were left to the page above).
    moduleBase: 'https://brook-build.invalid/',
    prepareFollowing: WIDGET_NAMES,
    loadPlot: importPlot,
  });
  runtime.load(cells, skip);
  await runtime.idle();
  for (const index of await engine.shipIndexes()) post({ type: 'index', ...index });
  post({ type: 'exploring' });
  const budget = Math.min(EXPLORE_BUDGET_MS, EXPLORE_BY_MS - (performance.now() - began));
  if (budget > 0 && request.explore !== false) await exploreControls(runtime, [...controls.values()], budget);
  post({ type: 'done' });
}

/** The controls a delivered run showed, by key (the newest spec of each). */
function noteControls(event: CellEvent, controls: Map<string, WidgetSpec>): void {
  if (event.status !== 'fulfilled') return;
  for (const output of event.outputs) if (output.type === 'widget') controls.set(output.widget.key, output.widget);
}

/**
 * Replaces Node's `process` with what the libraries in this thread read of it
 * (platform, versions, timers' `nextTick`), leaving out what reaches the
 * machine: `binding` (raw fs), `dlopen` (native code), `env`, `kill`, `chdir`.
 */
function withoutNodeHandles(): void {
  const node = globalThis.process;
  const standIn = Object.freeze({
    platform: node.platform,
    version: node.version,
    versions: Object.freeze({ ...node.versions }),
    arch: node.arch,
    env: Object.freeze({}),
    argv: Object.freeze([] as string[]),
    nextTick: node.nextTick.bind(node),
    hrtime: node.hrtime,
    cwd: () => '/',
    emitWarning: () => {},
  });
  Object.defineProperty(globalThis, 'process', { value: standIn, writable: false, configurable: false });
}
