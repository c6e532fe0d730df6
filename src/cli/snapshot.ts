/**
 * `brook build`'s snapshot: the notebook is run once at its default inputs
 * (`snapshot-run.ts`, in a worker thread) and what it settled on becomes a
 * `BuildSnapshot` for the page (`src/client/build-snapshot.ts`) plus one
 * Arrow IPC file per query result under `snapshot/`.
 *
 * Nothing here fails a build: a cell that cannot run, fails or does not
 * finish in time is left to the page's live run with a warning, and a run
 * that cannot start at all leaves the whole notebook to it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { encodeSnapshot, SNAPSHOT_VERSION, type BuildSnapshot } from '../client/build-snapshot.ts';
import { runBasis } from '../client/last-run.ts';
import { fingerprint } from '../client/notebook-id.ts';
import { isNewer, type CellEvent } from '../runtime/protocol.ts';
import type { SeededResult, ShippedIndex } from '../data/api.ts';
import type { SettledEvent } from '../store/schema.ts';
import type { SnapshotMessage, SnapshotRunRequest } from './snapshot-run.ts';

/** How long the build waits for the notebook to settle before keeping what has. */
export const SNAPSHOT_TIMEOUT_MS = 60_000;
/** A cell whose outputs are larger than this (encoded) is left to the page: the snapshot is read before the first paint. */
const CELL_LIMIT_CHARS = 1_000_000;
/** Results larger than this are not shipped: the page computes them. */
const RESULT_LIMIT_BYTES = 8 * 1024 * 1024;
/**
 * Range indexes larger than this are not shipped, nor any beyond the total:
 * the page fetches them while DuckDB's wasm downloads (the page builds
 * them from the table instead, when idle).
 */
const INDEX_LIMIT_BYTES = 4 * 1024 * 1024;
const INDEXES_LIMIT_BYTES = 16 * 1024 * 1024;
/**
 * Answers (results of the runs for other control values, `control-values.ts`)
 * beyond these are not shipped: each is a file the page fetches only when a
 * reader picks that value; their list is fetched once, by the data worker.
 */
const ANSWER_LIMIT_BYTES = 512 * 1024;
const ANSWERS_LIMIT_BYTES = 8 * 1024 * 1024;
const ANSWERS_LIMIT_COUNT = 2_000;
/** The folder of the results, relative to the page. */
export const SNAPSHOT_DIR = 'snapshot';

export interface TakenSnapshot {
  snapshot: BuildSnapshot;
  /** Files to write, by path relative to the build's root (`snapshot/….arrow`). */
  files: Map<string, Uint8Array>;
  warnings: string[];
}

/** Runs the notebook and assembles its snapshot. `file` names the notebook in warnings. */
export async function takeSnapshot(request: SnapshotRunRequest, file: string, timeoutMs = SNAPSHOT_TIMEOUT_MS): Promise<TakenSnapshot> {
  const run = await runInWorker(request, timeoutMs);
  const { messages } = run;
  let { finished, failure } = run;
  const warnings: string[] = [];
  const data: Record<string, string> = {};
  const events: Record<string, CellEvent> = {};
  const skipped = new Set<string>();
  const results: Map<string, Omit<SeededResult, 'url'> & { ipc: Uint8Array }> = new Map();
  const indexes = new Map<string, Uint8Array>();
  const answers: Map<string, Omit<SeededResult, 'url'> & { ipc: Uint8Array }> = new Map();
  let answerBytes = 0;
  let exploring = false;
  for (const message of messages) {
    switch (message.type) {
      case 'skipped':
        skipped.add(message.cell);
        warnings.push(`${file}:${message.line}: left to the page (not run at build time): the cell ${message.reason}`);
        break;
      case 'table':
        data[message.table] = message.fingerprint;
        break;
      case 'table-failed':
        warnings.push(`${file}: data "${message.table}" could not be loaded at build time (${message.message}); cells reading it run on the page`);
        break;
      case 'event':
        // The runs for other control values are not the default view.
        if (!exploring && isNewer(events[message.event.cell], message.event)) events[message.event.cell] = message.event;
        break;
      case 'result': {
        const { ipc, rowCount, columns, tables } = message.result;
        const result = { key: message.key, ipc, rowCount, columns, tables };
        if (!exploring) {
          if (ipc.byteLength <= RESULT_LIMIT_BYTES) results.set(message.key, result);
        } else if (!results.has(message.key) && !answers.has(message.key) && ipc.byteLength <= ANSWER_LIMIT_BYTES
          && answers.size < ANSWERS_LIMIT_COUNT && answerBytes + ipc.byteLength <= ANSWERS_LIMIT_BYTES) {
          answers.set(message.key, result);
          answerBytes += ipc.byteLength;
        }
        break;
      }
      case 'exploring':
        exploring = true;
        break;
      case 'index': {
        const total = [...indexes.values()].reduce((sum, ipc) => sum + ipc.byteLength, 0);
        if (message.ipc.byteLength <= INDEX_LIMIT_BYTES && total + message.ipc.byteLength <= INDEXES_LIMIT_BYTES) indexes.set(message.key, message.ipc);
        break;
      }
      case 'done':
        break;
    }
  }
  // Once the runs for other control values began, the default run had settled: stopping those runs is no failure.
  if (exploring && (!finished || failure)) {
    warnings.push(`${file}: trying the controls' other values stopped early (${failure ?? 'out of time'}); the answers found so far are kept`);
    [finished, failure] = [true, undefined];
  }
  if (failure) warnings.push(`${file}: the notebook could not be run at build time (${failure}); the page runs it`);
  else if (!finished) warnings.push(`${file}: the notebook did not settle within ${Math.round(timeoutMs / 1000)} s at build time; unfinished cells run on the page`);

  const cells: Record<string, SettledEvent> = {};
  for (const [id, event] of Object.entries(events)) {
    if (skipped.has(id)) continue;
    if (event.status === 'pending') {
      if (finished) warnings.push(`${file}: cell ${id} did not finish at build time; the page runs it`);
      continue;
    }
    if (event.status === 'rejected') {
      warnings.push(`${file}${event.error.line ? `:${event.error.line}` : ''}: failed at build time (${event.error.name}: ${event.error.message}); the page runs it`);
      continue;
    }
    if (encodeSnapshot({ version: SNAPSHOT_VERSION, basis: '', data: {}, cells: { [id]: event }, results: [] }).length > CELL_LIMIT_CHARS) {
      warnings.push(`${file}: cell ${id}'s outputs are too large to paint before the page runs; the page runs it`);
      continue;
    }
    cells[id] = event;
  }

  const files = new Map<string, Uint8Array>();
  const seeded: SeededResult[] = [];
  for (const { ipc, ...result } of results.values()) {
    const url = `${SNAPSHOT_DIR}/${fingerprint(result.key)}.arrow`;
    files.set(url, ipc);
    seeded.push({ ...result, url });
  }
  const shipped: ShippedIndex[] = [];
  for (const [key, ipc] of indexes) {
    const url = `${SNAPSHOT_DIR}/index-${fingerprint(key)}.arrow`;
    files.set(url, ipc);
    shipped.push({ key, url });
  }
  // Each listed by its name: the list is in the same folder, and urls are read relative to it.
  const answered: SeededResult[] = [];
  for (const { ipc, ...result } of answers.values()) {
    const name = `${fingerprint(result.key)}.arrow`;
    files.set(`${SNAPSHOT_DIR}/${name}`, ipc);
    answered.push({ ...result, url: name });
  }
  // One list, fetched by the data worker: hundreds of keys (each holds its SQL) would weigh on the page's first bytes.
  let answersUrl: string | undefined;
  if (answered.length > 0) {
    const list = JSON.stringify(answered);
    answersUrl = `${SNAPSHOT_DIR}/answers-${fingerprint(list)}.json`;
    files.set(answersUrl, new TextEncoder().encode(list));
  }
  const snapshot: BuildSnapshot = {
    version: SNAPSHOT_VERSION,
    basis: runBasis(request.text, {}, {}, data),
    data,
    cells,
    results: seeded,
    ...(shipped.length > 0 ? { indexes: shipped } : {}),
    ...(answersUrl ? { answers: answersUrl } : {}),
  };
  return { snapshot, files, warnings };
}

/** Takes the snapshot and writes its result files into the build `out`; returns the snapshot for `index.html`. */
export async function writeSnapshot(out: string, request: SnapshotRunRequest, file: string, timeoutMs?: number): Promise<{ snapshot: BuildSnapshot; warnings: string[] }> {
  const { snapshot, files, warnings } = await takeSnapshot(request, file, timeoutMs);
  for (const [path, bytes] of files) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), bytes);
  }
  return { snapshot, warnings };
}

/** The snapshot thread's JavaScript heap (DuckDB's wasm memory is outside it). */
const SNAPSHOT_HEAP_MB = 1024;

/** Runs `snapshot-run.ts` in a worker thread, stopping it after `timeoutMs`; resolves with what it reported. */
function runInWorker(request: SnapshotRunRequest, timeoutMs: number): Promise<{ messages: SnapshotMessage[]; finished: boolean; failure?: string }> {
  return new Promise((resolve) => {
    const messages: SnapshotMessage[] = [];
    // A worker: a cell that loops forever can be stopped, and notebook code never sees the build's globals.
    // `env: {}`: the build's environment (tokens, keys) is not the notebook's to read.
    // `resourceLimits`: a cell that fills memory ends this thread (ERR_WORKER_OUT_OF_MEMORY), not the build.
    const worker = new Worker(new URL('./snapshot-worker.mjs', import.meta.url), {
      workerData: request,
      env: {},
      resourceLimits: { maxOldGenerationSizeMb: SNAPSHOT_HEAP_MB },
    });
    let settled = false;
    const finish = (finished: boolean, failure?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve({ messages, finished, failure });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    worker.on('message', (message: SnapshotMessage) => {
      messages.push(message);
      if (message.type === 'done') finish(true);
    });
    worker.on('error', (error) => finish(false, error.message));
    worker.on('exit', () => finish(false, 'the run ended early'));
  });
}
