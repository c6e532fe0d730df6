/**
 * A `Session` is one open notebook on the page. It owns the data worker
 * (tables, query memo), the runtime worker (notebook code, replaced by the
 * watchdog when a cell hangs), the saved state in IndexedDB, and the snapshot
 * the UI renders. Saved inputs and state are restored *before* the first run,
 * so the first run already uses them.
 */
import * as Comlink from 'comlink';
import { compileNotebook } from '../compile/compile.ts';
import { loadTypeScript, needsTypeScript } from '../compile/transpile.ts';
import type { CompiledNotebook } from '../compile/types.ts';
import { insertCell, moveCell, removeCell, replaceCellSource } from '../notebook/edit.ts';
import { parseNotebook } from '../notebook/parse.ts';
import type { CellKind, Notebook } from '../notebook/types.ts';
import type { ProgressCallback, Result, TableInfo } from '../runtime/messages.ts';
import { isNewer, type OutputItem, type SortSpec, type TableSource } from '../runtime/protocol.ts';
import { DataProcess } from './data-process.ts';
import { lastRunOf, restoredCells, runBasis } from './last-run.ts';
import { notebookIdFor } from './notebook-id.ts';
import { RuntimeProcess } from './runtime-process.ts';
import type { Activity, Notice, Session, SessionOrigin, SessionSnapshot } from './session-types.ts';
import { formatFromName } from '../data/file-format.ts';
import { columnsNeeded, needsReload, sqlOfNotebook } from '../data/projection.ts';
import { tableRef } from '../data/sql-template.ts';
import { warmUpFormatsOf } from '../data/warm-up.ts';
import { openNotebookStore, type LoadedNotebook, type NotebookStore } from '../store/notebook-store.ts';
import { shareUrl } from '../store/share.ts';

export interface OpenRequest {
  origin: SessionOrigin;
  /** The notebook text as opened (file, example, shared link). */
  source: string;
  /** File name for messages (`sales.md:12:3: …`). */
  file: string;
  /** Front-matter data paths resolve against this URL. */
  baseUrl: string;
  /** Restore a saved draft over `source` (false for `brook dev`, where the file on disk is newest). */
  useDraft?: boolean;
  /** Input values carried by a share link; they win over saved ones. */
  inputs?: Record<string, unknown>;
  /** Block the notebook's network access (offered for shared links). */
  blockNetwork?: boolean;
}

/** Default limit for a cell blocking the runtime, when the front matter sets none. */
const DEFAULT_TIMEOUT_MS = 5000;

/** Quiet time after the last cell event before the run's outputs are saved for the next visit. */
const LAST_RUN_QUIET_MS = 1000;

/** Opens a notebook: restores saved state, starts both workers, runs it. */
export async function openSession(request: OpenRequest): Promise<Session> {
  performance.mark('brook:open');
  const parsed = parseNotebook(request.source, request.file);
  const notebookId = notebookIdFor(request.origin, parsed.frontMatter, request.source);
  const store = openNotebookStore(notebookId);
  const saved = await store.load();
  performance.mark('brook:saved-loaded');
  if (request.inputs) saved.inputs = { ...saved.inputs, ...request.inputs };
  const useDraft = request.useDraft !== false && request.origin.kind !== 'shared';
  const text = useDraft && saved.draft ? saved.draft : request.source;
  await prepareCompiler(text === request.source ? parsed : parseNotebook(text, request.file));
  return new NotebookSession(request, notebookId, store, text, saved);
}

class NotebookSession implements Session {
  readonly origin: SessionOrigin;
  private state: SessionSnapshot;
  private text: string;
  private readonly listeners = new Set<(snapshot: SessionSnapshot) => void>();
  private notifyScheduled = false;
  private warmUpScheduled = false;
  private readonly data: DataProcess;
  private readonly runtime: RuntimeProcess;
  /** Tables made from dropped files (and `file()` widgets), by table name → file name. */
  private readonly droppedTables = new Map<string, string>();
  /** Front-matter tables as loaded: their path, and the columns a range read left out. */
  private loadedData: Record<string, { path: string; omittedColumns?: string[] }> = {};
  private noticeCount = 0;
  /** The notebook's `state` as the runtime last reported it (part of a run's basis). */
  private runState: Record<string, unknown>;
  /** Calls into the runtime not yet acknowledged: a run may be about to start, so outputs are not saved. */
  private runtimeCalls = 0;
  private lastRunTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every text change; a change waiting for the transpiler is dropped when a newer one came. */
  private textVersion = 0;
  private readonly onPageHide = () => void this.store.flush();

  constructor(
    private readonly request: OpenRequest,
    readonly notebookId: string,
    private readonly store: NotebookStore,
    text: string,
    saved: LoadedNotebook,
  ) {
    this.origin = request.origin;
    this.text = text;
    this.runState = saved.state;
    const { notebook, compiled } = compile(text, request.file);
    const basis = runBasis(text, saved.inputs, saved.state);
    this.state = {
      notebook,
      compiled,
      // Last visit's outputs, shown until this visit's runtime replaces them.
      cells: restoredCells(saved.lastRun, basis, compiled.cells.map((c) => c.id)),
      inputs: saved.inputs,
      tables: [],
      runtime: 'starting',
      data: 'starting',
      activities: [],
      notices: saved.notices.map((message) => this.makeNotice('warning', message)),
      edited: text !== request.source,
    };
    this.data = new DataProcess(notebookId, { blockNetwork: request.blockNetwork ?? false });
    this.runtime = new RuntimeProcess({
      connectData: () => this.data.connect(),
      timeoutMs: notebook.frontMatter.timeout ?? DEFAULT_TIMEOUT_MS,
      blockNetwork: request.blockNetwork ?? false,
      onStatus: (runtime) => this.update({ runtime }),
      host: {
        event: (event) => {
          if (!isNewer(this.state.cells[event.cell], event)) return;
          this.update({ cells: { ...this.state.cells, [event.cell]: event } });
          this.scheduleLastRun();
          if (event.status !== 'pending') this.scheduleWarmUp(event.outputs);
        },
        stateChanged: (state) => {
          this.runState = state;
          void this.store.saveState(state).then((r) => this.noticeOnFailure(r));
        },
      },
    });
    addEventListener('pagehide', this.onPageHide);
    const start = () => {
      void this.callRuntime(this.runtime.start({ notebookId, inputs: saved.inputs, state: saved.state }, compiled.cells));
      void this.startData(saved.files);
    };
    // With last visit's outputs to show, paint them first: starting three workers means parsing
    // ~1.3 MB of script on the same few cores the page needs for that first frame.
    if (Object.keys(this.state.cells).length > 0) afterNextPaint(start);
    else start();
  }

  snapshot(): SessionSnapshot {
    return this.state;
  }

  subscribe(listener: (snapshot: SessionSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setInput(key: string, value: unknown): void {
    if (value instanceof File) {
      void this.setFileInput(key, value);
      return;
    }
    this.commitInput(key, value);
  }

  editCell(cellId: string, source: string): void {
    this.setText(replaceCellSource(this.text, this.state.notebook, cellId, source));
  }

  insertCell(afterId: string | null, kind: CellKind, source = ''): string {
    const before = new Set(this.state.notebook.cells.map((c) => c.id));
    const index = afterId === null ? 0 : this.state.notebook.cells.findIndex((c) => c.id === afterId) + 1;
    this.setText(insertCell(this.text, this.state.notebook, afterId, kind, source));
    // Ids are ordinal, so the new cell is the one now at `index`.
    return this.state.notebook.cells[index]?.id ?? [...this.state.notebook.cells].reverse().find((c) => !before.has(c.id))?.id ?? '';
  }

  deleteCell(cellId: string): void {
    this.setText(removeCell(this.text, this.state.notebook, cellId));
  }

  moveCell(cellId: string, direction: -1 | 1): void {
    this.setText(moveCell(this.text, this.state.notebook, cellId, direction));
  }

  replaceSource(source: string): void {
    this.setText(source, { draft: false });
  }

  source(): string {
    return this.text;
  }

  async addFiles(files: File[]): Promise<void> {
    const changed: string[] = [];
    for (const file of files) {
      if (!formatFromName(file.name)) {
        this.notice('warning', `${file.name}: not a data file Brook reads (CSV, TSV, JSON, Parquet, Arrow).`);
        continue;
      }
      const table = await this.ingestFile(file);
      if (table) changed.push(table.name);
    }
    if (changed.length) await this.callRuntime(this.runtime.tablesChanged(changed));
  }

  async rows(source: TableSource, offset: number, limit: number, sort?: SortSpec): Promise<Record<string, unknown>[]> {
    if (source.kind === 'runtime') return this.runtime.rows(source.handle, offset, limit, sort);
    const result = await this.data.api.window({ sql: source.sql, params: source.params, offset, limit, sort });
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }

  shareUrl(base: string): { url: string; bytes: number; tooLong: boolean } {
    return shareUrl(base, { source: this.text, inputs: shareableInputs(this.state.inputs) });
  }

  async reset(): Promise<void> {
    await this.store.reset();
    for (const table of this.droppedTables.keys()) await this.data.api.dropTable(table);
    this.droppedTables.clear();
    this.text = this.request.source;
    await prepareCompiler(parseNotebook(this.text, this.request.file));
    const { notebook, compiled } = compile(this.text, this.request.file);
    this.runState = {};
    this.update({ notebook, compiled, inputs: {}, cells: {}, edited: false, tables: await this.data.tables() });
    await this.callRuntime(this.runtime.restart({ notebookId: this.notebookId, inputs: {}, state: {} }).then(() => this.runtime.load(compiled.cells)));
  }

  dismissNotice(id: string): void {
    this.update({ notices: this.state.notices.filter((n) => n.id !== id) });
  }

  dispose(): void {
    clearTimeout(this.lastRunTimer);
    removeEventListener('pagehide', this.onPageHide);
    void this.store.flush();
    this.runtime.dispose();
    this.data.dispose();
    this.listeners.clear();
  }

  // ─── internals ────────────────────────────────────────────────────────────

  private update(patch: Partial<SessionSnapshot>): void {
    this.state = { ...this.state, ...patch };
    // Many cell events arrive together; render once per microtask.
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener(this.state);
    });
  }

  private setText(text: string, options: { draft?: boolean } = {}): void {
    if (text === this.text) return;
    const version = ++this.textVersion;
    const parsed = parseNotebook(text, this.request.file);
    if (needsTypeScript(parsed)) {
      // The first `ts` cell of this visit: apply the edit once the transpiler is here, unless a newer one came.
      void prepareCompiler(parsed).then(() => {
        if (version === this.textVersion) this.applyText(text, options);
      });
      return;
    }
    this.applyText(text, options);
  }

  private applyText(text: string, options: { draft?: boolean }): void {
    if (text === this.text) return;
    this.text = text;
    const { notebook, compiled } = compile(text, this.request.file);
    const ids = new Set(compiled.cells.map((c) => c.id));
    const cells = Object.fromEntries(Object.entries(this.state.cells).filter(([id]) => ids.has(id)));
    this.update({ notebook, compiled, cells, edited: text !== this.request.source });
    void this.callRuntime(this.runtime.load(compiled.cells));
    void this.loadFrontMatterData(notebook).then(async (changed) => {
      if (changed.length) await this.callRuntime(this.runtime.tablesChanged(changed));
    });
    if (options.draft !== false) void this.store.saveDraft(text).then((r) => this.noticeOnFailure(r));
  }

  private commitInput(key: string, value: unknown): void {
    const inputs = { ...this.state.inputs, [key]: value };
    this.update({ inputs });
    void this.store.saveInputs(inputs).then((r) => this.noticeOnFailure(r));
    void this.callRuntime(this.runtime.setInput(key, value, this.widgetOwner(key)));
  }

  /** The cell whose output holds the control `key` (forms hold their fields). */
  private widgetOwner(key: string): string | undefined {
    for (const [cellId, event] of Object.entries(this.state.cells)) {
      if (event.status === 'pending') continue;
      for (const item of event.outputs) {
        if (item.type !== 'widget') continue;
        if (item.widget.key === key || item.widget.fields?.some((f) => f.key === key)) return cellId;
      }
    }
    return undefined;
  }

  private async setFileInput(key: string, file: File): Promise<void> {
    const table = await this.ingestFile(file);
    if (!table) return;
    this.commitInput(key, fileTableValue(table, file.name));
    await this.callRuntime(this.runtime.tablesChanged([table.name]));
  }

  private async startData(files: { name: string; bytes: ArrayBuffer }[]): Promise<void> {
    void this.data.ready.then((ready) => {
      this.update({ data: ready.ok ? 'ready' : 'failed' });
      if (!ready.ok) this.notice('error', ready.error.message);
    });
    // Post every load before letting the runtime in: the data worker registers
    // each table as its load arrives, so the runtime's first queries wait for
    // those tables (or answer from the persisted memo) instead of failing.
    const loads: Promise<unknown>[] = [this.loadFrontMatterData(this.state.notebook)];
    for (const file of files) loads.push(this.ingest(file.name, file.bytes, {}));
    this.data.open();
    await Promise.all(loads);
    this.update({ tables: await this.data.tables() });
  }

  /**
   * Loads front-matter tables not loaded yet, or whose path changed, or whose
   * range-read load left out a column the SQL now names; returns their names.
   * Runs on every edit, so anything else (a new alias) loads nothing. All
   * loads are posted at once.
   */
  private async loadFrontMatterData(notebook: Notebook): Promise<string[]> {
    const columns = columnsNeeded(sqlOfNotebook(notebook.cells));
    const loads = Object.entries(notebook.frontMatter.data)
      .filter(([table, path]) => needsReload(this.loadedData[table], path, columns))
      .map(async ([table, path]) => {
        this.loadedData[table] = { path };
        const url = new URL(path, this.request.baseUrl).href;
        const result = await this.track<Result<TableInfo>>(`Loading ${path}`, (progress) =>
          this.data.api.ingestUrl({ url, table, columns }, progress),
        );
        if (result.ok) {
          this.loadedData[table] = { path, omittedColumns: result.value.omittedColumns };
          return table;
        }
        this.notice('error', `${this.request.file}: data "${table}" (${path}): ${result.error.message}`);
        return null;
      });
    const changed = (await Promise.all(loads)).filter((t): t is string => t !== null);
    if (changed.length) this.update({ tables: await this.data.tables() });
    return changed;
  }

  /** The File itself goes to the data worker (a handle; no bytes are copied) and is read there, off this thread. */
  private ingestFile(file: File): Promise<TableInfo | null> {
    return this.ingest(file.name, file, { keep: file });
  }

  /** Loads a file's content as a table; `keep` (the dropped or picked file) is saved for the next visit once it loaded. */
  private async ingest(fileName: string, content: ArrayBuffer | Blob, options: { keep?: File }): Promise<TableInfo | null> {
    const bytes = content instanceof ArrayBuffer ? Comlink.transfer(content, [content]) : content;
    const result = await this.track<Result<TableInfo>>(`Loading ${fileName}`, (progress) =>
      this.data.api.ingest({ fileName, bytes }, progress),
    );
    if (!result.ok) {
      this.notice('error', result.error.message.includes(fileName) ? result.error.message : `${fileName}: ${result.error.message}`);
      return null;
    }
    this.droppedTables.set(result.value.name, fileName);
    // The File itself goes to IndexedDB (no copy on the page), in the background.
    const keep = options.keep;
    if (keep) void this.store.saveFile({ name: fileName, bytes: keep, type: keep.type }).then((saved) => this.noticeOnFailure(saved));
    this.update({ tables: await this.data.tables() });
    return result.value;
  }

  /**
   * A call that may start a run. Until it is handed to the runtime, the
   * outputs on screen may not match the inputs, so they are not saved (the
   * quiet second before a save covers the runtime picking it up).
   */
  private async callRuntime<T>(call: Promise<T>): Promise<T> {
    this.runtimeCalls++;
    try {
      return await call;
    } finally {
      this.runtimeCalls--;
      this.scheduleLastRun();
    }
  }

  /** Saves the outputs for the next visit once the runtime has been quiet for a moment. */
  private scheduleLastRun(): void {
    clearTimeout(this.lastRunTimer);
    this.lastRunTimer = setTimeout(() => {
      if (this.runtimeCalls > 0 || this.state.runtime !== 'ready') return; // the call's end schedules again
      const lastRun = lastRunOf(this.state.cells, runBasis(this.text, this.state.inputs, this.runState), Date.now());
      // A cache: when it cannot be written, the next visit simply waits for the runtime.
      if (lastRun) void this.store.saveLastRun(lastRun);
    }, LAST_RUN_QUIET_MS);
  }

  /** A `file()` control means a file is coming: compile its reader while the page is idle (src/data/warm-up.ts). */
  private scheduleWarmUp(outputs: OutputItem[]): void {
    if (this.warmUpScheduled) return;
    const formats = warmUpFormatsOf(outputs);
    if (formats.length === 0) return;
    this.warmUpScheduled = true;
    void this.data.ready.then((ready) => {
      // Not at once: a file picked in the first second goes first, and then needs no warm-up.
      if (ready.ok) setTimeout(() => whenIdle(() => void this.data.api.warmUp(formats).catch(() => {})), WARM_UP_AFTER_MS);
    });
  }

  /** Shows an activity (progress bar) while `work` runs. */
  private async track<T>(label: string, work: (progress: ProgressCallback) => Promise<T>): Promise<T> {
    const activity: Activity = { id: `a${++this.noticeCount}`, label, fraction: null };
    this.update({ activities: [...this.state.activities, activity] });
    const progress = Comlink.proxy<ProgressCallback>((fraction) => {
      this.update({
        activities: this.state.activities.map((a) => (a.id === activity.id ? { ...a, fraction } : a)),
      });
    });
    try {
      return await work(progress);
    } finally {
      this.update({ activities: this.state.activities.filter((a) => a.id !== activity.id) });
    }
  }

  private noticeOnFailure(result: Result<unknown> | void): void {
    if (result && !result.ok) this.notice('error', result.error.message);
  }

  private notice(level: Notice['level'], message: string): void {
    this.update({ notices: [...this.state.notices, this.makeNotice(level, message)] });
  }

  private makeNotice(level: Notice['level'], message: string): Notice {
    return { id: `n${++this.noticeCount}`, level, message };
  }
}

/** How long after DuckDB is ready a warm-up may start. */
const WARM_UP_AFTER_MS = 1000;

/** Runs `work` when the page is idle (within 3 s at the latest). */
function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 3000 });
  else setTimeout(work, 1000);
}

/** Runs `work` just after the next frame is painted (a task queued from `requestAnimationFrame` runs after it). */
function afterNextPaint(work: () => void): void {
  if (typeof requestAnimationFrame !== 'function') return void setTimeout(work, 0);
  requestAnimationFrame(() => setTimeout(work, 0));
}

/** The value a `file()` widget takes once its file is a table: usable directly in `query\`FROM ${f}\``. */
function fileTableValue(table: TableInfo, fileName: string) {
  return { ...tableRef(table.name), table: table.name, name: fileName, rowCount: table.rowCount };
}

/**
 * Loads what compiling `notebook` needs beyond the page's own code (the
 * TypeScript transpiler, for `ts` cells). A failed load is logged; the `ts`
 * cells then say so in place when compiled.
 */
async function prepareCompiler(notebook: Notebook): Promise<void> {
  if (!needsTypeScript(notebook)) return;
  try {
    await loadTypeScript();
  } catch (error) {
    console.error('brook: the TypeScript transpiler could not be loaded', error);
  }
}

function compile(text: string, file: string): { notebook: Notebook; compiled: CompiledNotebook } {
  const notebook = parseNotebook(text, file);
  return { notebook, compiled: compileNotebook(notebook) };
}

/** Table references from `file()` widgets point at data that is not in the link; leave them out. */
function shareableInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(inputs).filter(([, value]) => !(value && typeof value === 'object' && 'table' in value)),
  );
}
