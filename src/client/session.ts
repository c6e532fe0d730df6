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
import { insertCell, moveCell, removeCell, replaceCellSource, setCellAttributes, type AttributePatch } from '../notebook/edit.ts';
import { editFrontMatter, FrontMatterEditError, type FrontMatterPatch } from '../notebook/front-matter-edit.ts';
import { parseNotebook } from '../notebook/parse.ts';
import type { CellKind, Notebook } from '../notebook/types.ts';
import type { OutputWidths } from '../runtime/messages.ts';
import type { EngineDeclarations, ProgressCallback, Result, TableInfo } from '../data/api.ts';
import { engineDeclarations, engineTable } from '../data/engine-cells.ts';
import { isNewer, type CellEvent, type CellToast, type OutputItem, type SortSpec, type TableSource, type WidgetSpec } from '../runtime/protocol.ts';
import { applyChanges } from '../store/changes.ts';
import { builtFingerprint, snapshotAsLastRun, type BuildSnapshot } from './build-snapshot.ts';
import { cellTimeoutMs } from './cell-timeout.ts';
import { TOASTS_ON_SCREEN, ToastGate, toastDisplayText, toastLimitText } from './cell-toasts.ts';
import { DataProcess } from './data-process.ts';
import { saveEnginePassword, savedEnginePassword } from './engine-passwords.ts';
import { lastRunOf, restoredCells, runBasis } from './last-run.ts';
import { notebookIdFor } from './notebook-id.ts';
import { markOwnView } from './own-view-mark.ts';
import { RuntimeProcess } from './runtime-process.ts';
import { openTabSync, type TabMessage, type TabSync } from './tab-sync.ts';
import type { Activity, Notice, Session, SessionOrigin, SessionSnapshot, ShareLink } from './session-types.ts';
import { formatFromName, formatList } from '../data/file-format.ts';
import { columnsNeeded, needsReload, sqlOfNotebook } from '../data/projection.ts';
import { tableRef } from '../data/sql-template.ts';
import { tableNameFor, tableNameForDrop } from '../data/table-name.ts';
import { dataEntryLine } from '../notebook/front-matter.ts';
import { warmUpFormatsOf } from '../data/warm-up.ts';
import { openNotebookStore, type LoadedNotebook, type NotebookStore } from '../store/notebook-store.ts';
import { shareUrl } from '../store/share.ts';
import { ViewLink, viewCarriesInputs, widgetsOnScreen } from './view-link.ts';

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
  /** A built app's snapshot (`build-snapshot.ts`): painted when nothing newer matches, its results answer queries. */
  snapshot?: BuildSnapshot;
  /**
   * Whose persisted query memo this notebook uses (default: its own). The
   * pages of one site share one: a memo key holds the SQL, the parameters and
   * the tables' content fingerprints, so only the same query over the same
   * bytes is answered from another page's result.
   */
  memoScope?: string;
  /** A built app's URL query (`?year=2014`): the inputs of a view link, kept in step with the reader's (view-link.ts). */
  view?: string;
}

/** Quiet time after the last cell event before the run's outputs are saved for the next visit. */
const LAST_RUN_QUIET_MS = 1000;

/** How a notebook is opened beyond its request: what it may take over from the page it replaces. */
export interface OpenOptions {
  /**
   * A running data worker to take over instead of starting one (the next page
   * of a site, opened in place: DuckDB starts once per visit to the site).
   * The session does not dispose it; whoever passed it does.
   */
  data?: DataProcess;
  /**
   * With `data`: whether this open may still take it over. A page left before
   * its session was made (the reader went on at once) must not: a newer page
   * has the worker, and this session would replace that page's tables.
   */
  mayAdopt?: () => boolean;
}

/** Opens a notebook: restores saved state, starts both workers (or takes `options.data` over), runs it. */
export async function openSession(request: OpenRequest, options: OpenOptions = {}): Promise<Session> {
  performance.mark('brook:open');
  const parsed = parseNotebook(request.source, request.file);
  const notebookId = notebookIdFor(request.origin, parsed.frontMatter, request.source);
  let session: NotebookSession | undefined;
  const tabs = openTabSync(notebookId, (message) => session?.heard(message));
  const store = openNotebookStore(notebookId, { onWritten: (change) => tabs.post(change) });
  const saved = await store.load();
  performance.mark('brook:saved-loaded');
  if (request.inputs) saved.inputs = { ...saved.inputs, ...request.inputs };
  const useDraft = request.useDraft !== false && request.origin.kind !== 'shared';
  const draft = useDraft && saved.draft ? parseNotebook(saved.draft, request.file) : undefined;
  // A draft names the notebook it edits (front matter `id`); one that names
  // another notebook is not this page's, whatever key it was found under.
  const ownDraft = draft !== undefined && draft.frontMatter.id === parsed.frontMatter.id;
  const text = ownDraft ? saved.draft! : request.source;
  await prepareCompiler(ownDraft ? draft : parsed);
  if (options.data && options.mayAdopt?.() === false) {
    tabs.close();
    throw new Error('A newer page of the site has opened: this one is not opened.');
  }
  session = new NotebookSession(request, notebookId, store, text, saved, tabs, options.data);
  return session;
}

class NotebookSession implements Session {
  readonly origin: SessionOrigin;
  private state: SessionSnapshot;
  private text: string;
  private readonly listeners = new Set<(snapshot: SessionSnapshot) => void>();
  private notifyScheduled = false;
  private warmUpScheduled = false;
  private readonly data: DataProcess;
  /** Set by `dispose`: deferred work (the first start, a data load after the takeover) then does nothing. */
  private disposed = false;
  /** False for a data worker taken over from the page before (see `OpenOptions.data`): not this session's to end. */
  private readonly ownsData: boolean;
  /** Resolves once a taken-over data worker has let go of the page before's tables. */
  private readonly adopted: Promise<void>;
  private readonly runtime: RuntimeProcess;
  /** Tables made from dropped files (and `file()` widgets), by table name → file name. */
  private readonly droppedTables = new Map<string, string>();
  /** Front-matter tables whose data could not be loaded: a dropped file may take their name. */
  private readonly missingData = new Set<string>();
  /** Front-matter tables as loaded: their path, and the columns a range read left out. */
  private loadedData: Record<string, { path: string; omittedColumns?: string[] }> = {};
  private noticeCount = 0;
  private readonly toastGate = new ToastGate();
  /** The notebook's `state` as the runtime last reported it (part of a run's basis). */
  private runState: Record<string, unknown>;
  /** Calls into the runtime not yet acknowledged: a run may be about to start, so outputs are not saved. */
  private runtimeCalls = 0;
  private lastRunTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every text change; a change waiting for the transpiler is dropped when a newer one came. */
  private textVersion = 0;
  private readonly onPageHide = () => void this.store.flush();
  /** The engines and engine cells the data worker was last told about. */
  private engines: EngineDeclarations;
  /** Resolves once the front-matter and saved-file loads are posted to the data worker (see `rows`). */
  private readonly dataStarted: Promise<void>;
  private markDataStarted!: () => void;
  /** A built app's inputs in its URL query; absent elsewhere. */
  private readonly viewLink: ViewLink | undefined;

  constructor(
    private readonly request: OpenRequest,
    readonly notebookId: string,
    private readonly store: NotebookStore,
    text: string,
    saved: LoadedNotebook,
    private readonly tabs: TabSync,
    shared?: DataProcess,
  ) {
    this.origin = request.origin;
    this.dataStarted = new Promise((resolve) => (this.markDataStarted = resolve));
    this.text = text;
    this.runState = saved.state;
    this.viewLink = request.view === undefined ? undefined : new ViewLink(request.view);
    const { notebook, compiled } = compile(text, request.file);
    const basis = runBasis(text, saved.inputs, saved.state, request.snapshot?.data);
    const ids = compiled.cells.map((c) => c.id);
    const lastRun = restoredCells(saved.lastRun, basis, ids);
    // Last visit's outputs (else the build's), shown until this visit's runtime replaces them,
    // unless a view link sets a control they show otherwise: that would be another view.
    const restored = Object.keys(lastRun).length > 0 || !request.snapshot ? lastRun : restoredCells(snapshotAsLastRun(request.snapshot), basis, ids);
    const otherView = this.viewLink?.contradicts(restored, new Map(compiled.cells.map((c) => [c.id, c.key]))) ?? false;
    this.state = {
      notebook,
      compiled,
      cells: otherView ? {} : restored,
      inputs: saved.inputs,
      tables: [],
      runtime: 'starting',
      data: 'starting',
      activities: [],
      notices: [...saved.notices, ...(this.viewLink?.notices ?? [])].map((message) => this.makeNotice('warning', message)),
      edited: text !== request.source,
    };
    const seeds = request.snapshot?.results.map((seed) => ({ ...seed, url: new URL(seed.url, request.baseUrl).href }));
    const indexes = request.snapshot?.indexes?.map((index) => ({ ...index, url: new URL(index.url, request.baseUrl).href }));
    const answers = request.snapshot?.answers === undefined ? undefined : new URL(request.snapshot.answers, request.baseUrl).href;
    this.engines = engineDeclarations(notebook.frontMatter.engines, compiled.cells, text);
    // Only a worker with the same memo and the same network rule may be taken over (a shared link's blocked one never).
    if (shared && (shared.memoScope !== (request.memoScope ?? notebookId) || shared.options.blockNetwork || request.blockNetwork)) {
      throw new Error('A data worker can only be taken over by a page of the same site.');
    }
    this.ownsData = shared === undefined;
    this.data = shared ?? new DataProcess(request.memoScope ?? notebookId, seeds, { blockNetwork: request.blockNetwork ?? false, engines: this.engines, indexes, answers });
    this.adopted = shared ? shared.adopt(seeds, this.engines, indexes, answers) : Promise.resolve();
    this.restoreEnginePasswords();
    this.runtime = new RuntimeProcess({
      connectData: () => this.data.connect(),
      timeoutMs: cellTimeoutMs(notebook.frontMatter.timeout, request.origin.kind === 'shared'),
      blockNetwork: request.blockNetwork ?? false,
      onStatus: (runtime) => this.update({ runtime }),
      host: {
        event: (event) => {
          if (!isNewer(this.state.cells[event.cell], event)) return;
          this.update({ cells: { ...this.state.cells, [event.cell]: event } });
          this.judgeViewLink(event);
          // Widgets showing for the first time (a restored visit's inputs, say) join the URL too.
          if (event.status !== 'pending') this.writeViewLink();
          this.scheduleLastRun();
          if (event.status !== 'pending') this.scheduleWarmUp(event.outputs);
        },
        stateChanged: (state) => {
          this.runState = state;
          void this.store.saveState(state).then((r) => this.noticeOnFailure(r));
        },
        toast: (toast) => this.cellToast(toast),
      },
    });
    this.markOwnView();
    addEventListener('pagehide', this.onPageHide);
    const start = () => {
      // Left before its first frame (a site's next page opened at once): nothing to start.
      if (this.disposed) return;
      // The inputs as they are now: a control on restored outputs may have changed before this.
      const linked = this.viewLink?.linked();
      void this.callRuntime(this.runtime.start({ notebookId, inputs: this.state.inputs, state: saved.state, linked }, this.state.compiled.cells));
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

  setOutputWidths(widths: OutputWidths): void {
    void this.callRuntime(this.runtime.setWidths(widths));
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

  setCellAttributes(cellId: string, patch: AttributePatch): void {
    this.setText(setCellAttributes(this.text, this.state.notebook, cellId, patch));
  }

  editFrontMatter(patch: FrontMatterPatch): string | undefined {
    try {
      this.setText(editFrontMatter(this.text, patch));
      return undefined;
    } catch (error) {
      if (error instanceof FrontMatterEditError) return error.message;
      throw error;
    }
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
        this.notice('warning', `${file.name}: not a data file Brook reads (${formatList()}).`);
        continue;
      }
      const table = await this.ingestFile(file);
      if (table) changed.push(table.name);
    }
    if (changed.length) await this.callRuntime(this.runtime.tablesChanged(changed));
  }

  async rows(source: TableSource, offset: number, limit: number, sort?: SortSpec): Promise<Record<string, unknown>[]> {
    if (source.kind === 'runtime') return this.runtime.rows(source.handle, offset, limit, sort);
    // Last visit's tables are on screen before the loads are posted (they start after the first
    // paint); asked earlier, DuckDB would answer "table does not exist" instead of waiting for it.
    await this.dataStarted;
    const result = await this.data.api.window({ sql: source.sql, params: source.params, offset, limit, sort });
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }

  shareUrl(base: string): ShareLink {
    const leftOut = [...this.droppedTables].map(([table, file]) => ({ file, table }));
    const page = base.split('#')[0];
    // A built app as built is the site's own: a link to the view (its inputs in the query) needs no
    // trust, unless the reader set what a URL does not carry (a selection, a file): then the full link.
    const cellKeys = new Map(this.state.compiled.cells.map((c) => [c.id, c.key]));
    if (this.viewLink && !this.state.edited && viewCarriesInputs(this.state.inputs, widgetsOnScreen(this.state.cells, cellKeys))) {
      return { url: page, bytes: page.length, tooLong: false, view: true, leftOut };
    }
    return { ...shareUrl(page.split('?')[0], { source: this.text, inputs: shareableInputs(this.state.inputs) }), leftOut };
  }

  async reset(): Promise<void> {
    if (this.disposed) return;
    await this.store.reset();
    this.viewLink?.clear();
    for (const table of this.droppedTables.keys()) await this.data.api.dropTable(table);
    this.droppedTables.clear();
    this.text = this.request.source;
    await prepareCompiler(parseNotebook(this.text, this.request.file));
    const { notebook, compiled } = compile(this.text, this.request.file);
    this.runState = {};
    this.update({ notebook, compiled, inputs: {}, cells: {}, edited: false, tables: await this.data.tables() });
    await this.callRuntime(this.runtime.restart({ notebookId: this.notebookId, inputs: {}, state: {} }).then(() => this.runtime.load(compiled.cells)));
  }

  setEnginePassword(engine: string, password: string | null): void {
    if (this.disposed) return;
    const spec = this.state.notebook.frontMatter.engines?.[engine];
    if (!spec) return;
    // A shared link's notebook keeps a password only as long as the page (engine-passwords.ts).
    if (this.origin.kind !== 'shared') saveEnginePassword(this.notebookId, spec, password);
    void this.data.api.setEnginePassword(engine, password).then(() => this.callRuntime(this.runtime.tablesChanged([engineTable(engine)])));
  }

  dismissNotice(id: string): void {
    this.update({ notices: this.state.notices.filter((n) => n.id !== id) });
  }

  /**
   * Another tab of this notebook saved something: read it back and take it.
   * Widget values re-run their cells here too (buttons excepted: a click is
   * an action in the tab it happened in); `state` is taken as memory, like a
   * write from a cell; a dropped file becomes the same table here.
   */
  async heard(message: TabMessage): Promise<void> {
    if (this.disposed) return;
    if (message.kind === 'file') {
      const saved = await this.store.readFile(message.name);
      if (this.disposed) return;
      if (!saved) return;
      const table = await this.ingest(saved.name, saved.bytes, { table: saved.table ?? tableNameFor(saved.name) });
      if (table) await this.callRuntime(this.runtime.tablesChanged([table.name]));
      return;
    }
    const changes = await this.store.reread(message.kind);
    if (!changes) return;
    if (message.kind === 'state') {
      this.runState = applyChanges(this.runState, changes);
      await this.runtime.mergeState(changes.set, changes.removed);
      return;
    }
    this.update({ inputs: applyChanges(this.state.inputs, changes) });
    for (const [key, value] of Object.entries(changes.set)) {
      const shown = this.widgetOnScreen(key);
      if (shown?.widget.kind === 'button') continue;
      void this.callRuntime(this.runtime.setInput(key, value, shown?.cellId));
    }
  }

  dispose(): void {
    this.disposed = true;
    this.tabs.close();
    clearTimeout(this.lastRunTimer);
    removeEventListener('pagehide', this.onPageHide);
    void this.store.flush();
    this.runtime.dispose();
    if (this.ownsData) this.data.dispose();
    this.listeners.clear();
  }

  // ─── internals ────────────────────────────────────────────────────────────

  private update(patch: Partial<SessionSnapshot>): void {
    const before = this.state;
    this.state = { ...this.state, ...patch };
    if (this.state.edited !== before.edited || this.state.inputs !== before.inputs) this.markOwnView();
    if (this.state.inputs !== before.inputs) this.writeViewLink();
    // Many cell events arrive together; render once per microtask.
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener(this.state);
    });
  }

  /**
   * Whether the address bar is still this session's page. Pages of a site open
   * in place: after Back, or while the next page loads, the URL is another
   * page's, and this session must not write its view or mark there.
   */
  private onOwnPage(): boolean {
    if (this.disposed) return false;
    if (this.origin.kind !== 'built' || this.origin.site === undefined) return true;
    return location.pathname.replace(/[^/]*$/, '') === this.origin.site;
  }

  /** Tells the data worker about changed engines or engine cells (an edit); passwords saved for a new engine go along. */
  private declareEngines(declarations: EngineDeclarations): void {
    // Left (a site's next page has the data worker): nothing more of this session may reach it.
    if (this.disposed) return;
    if (JSON.stringify(declarations) === JSON.stringify(this.engines)) return;
    this.engines = declarations;
    void this.data.api.setEngines(declarations);
    this.restoreEnginePasswords();
  }

  /** Hands the data worker the passwords this browser keeps for the notebook's engines (never for a shared link). */
  private restoreEnginePasswords(): void {
    if (this.origin.kind === 'shared') return;
    for (const [name, spec] of Object.entries(this.engines.engines)) {
      const password = savedEnginePassword(this.notebookId, spec);
      if (password) void this.data.api.setEnginePassword(name, password);
    }
  }

  /** The front matter's data paths of the text as built (the snapshot's fingerprints name those files). */
  private builtPaths: Record<string, string> | undefined;

  /** The content fingerprint the build recorded for `table` read from `path`, if it read that very file (see `builtFingerprint`). */
  private builtFingerprint(table: string, path: string): string | undefined {
    if (!this.request.snapshot) return undefined;
    this.builtPaths ??= parseNotebook(this.request.source, this.request.file).frontMatter.data;
    return builtFingerprint(this.request.snapshot, this.builtPaths, table, path);
  }

  /** A built page hides the build's static view from its first paint when this browser's view differs from it (own-view-mark.ts). */
  private markOwnView(): void {
    if (this.origin.kind === 'built' && this.onOwnPage()) markOwnView(this.state.edited || Object.keys(this.state.inputs).length > 0);
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
    // Left (a site's next page has the data worker): nothing more of this session may reach it.
    if (this.disposed) return;
    if (text === this.text) return;
    this.text = text;
    const { notebook, compiled } = compile(text, this.request.file);
    const ids = new Set(compiled.cells.map((c) => c.id));
    const cells = Object.fromEntries(Object.entries(this.state.cells).filter(([id]) => ids.has(id)));
    this.update({ notebook, compiled, cells, edited: text !== this.request.source });
    this.declareEngines(engineDeclarations(notebook.frontMatter.engines, compiled.cells, text));
    void this.callRuntime(this.runtime.load(compiled.cells));
    void this.loadFrontMatterData(notebook).then(async (changed) => {
      if (changed.length) await this.callRuntime(this.runtime.tablesChanged(changed));
    });
    if (options.draft !== false) void this.store.saveDraft(text).then((r) => this.noticeOnFailure(r));
  }

  /**
   * A settled event shows widgets a view link named: the values they took
   * become the reader's inputs (saved, and kept for a replacement runtime,
   * without re-running anything); the values they refused get a notice.
   */
  private judgeViewLink(event: CellEvent): void {
    const cellKey = this.state.compiled.cells.find((c) => c.id === event.cell)?.key;
    if (!this.viewLink || cellKey === undefined) return;
    const { taken, notices } = this.viewLink.judge(event, cellKey);
    for (const message of notices) this.notice('warning', message);
    if (taken.length === 0) return;
    const inputs = { ...this.state.inputs, ...Object.fromEntries(taken.map(({ key, value }) => [key, value])) };
    this.update({ inputs });
    void this.store.saveInputs(inputs).then((r) => this.noticeOnFailure(r));
    for (const { key, value } of taken) this.runtime.keepInput(key, value);
  }

  /** Keeps a built app's URL query in step with the inputs (replaceState: no history entry per slider step). */
  private writeViewLink(): void {
    if (!this.viewLink || !this.onOwnPage()) return;
    const cellKeys = new Map(this.state.compiled.cells.map((c) => [c.id, c.key]));
    const query = this.viewLink.query(location.search, this.state.inputs, widgetsOnScreen(this.state.cells, cellKeys));
    if (query !== location.search) history.replaceState(history.state, '', `${location.pathname}${query}${location.hash}`);
  }

  private commitInput(key: string, value: unknown): void {
    const inputs = { ...this.state.inputs, [key]: value };
    this.update({ inputs });
    void this.store.saveInputs(inputs).then((r) => this.noticeOnFailure(r));
    void this.callRuntime(this.runtime.setInput(key, value, this.widgetOnScreen(key)?.cellId));
  }

  /** The control `key` on screen (a form's field too) and the cell whose output holds it, if it is on screen. */
  private widgetOnScreen(key: string): { cellId: string; widget: WidgetSpec } | undefined {
    for (const [cellId, event] of Object.entries(this.state.cells)) {
      if (event.status === 'pending') continue;
      for (const item of event.outputs) {
        if (item.type !== 'widget') continue;
        const widget = item.widget.key === key ? item.widget : item.widget.fields?.find((f) => f.key === key);
        if (widget) return { cellId, widget };
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

  private async startData(files: { name: string; bytes: ArrayBuffer; table?: string }[]): Promise<void> {
    // A taken-over worker drops the page before's tables first: a load posted sooner could be dropped with them.
    await this.adopted;
    if (this.disposed) return;
    void this.data.ready.then((ready) => {
      this.update({ data: ready.ok ? 'ready' : 'failed' });
      if (!ready.ok) this.notice('error', ready.error.message);
    });
    // Post every load before letting the runtime in: the data worker registers
    // each table as its load arrives, so the runtime's first queries wait for
    // those tables (or answer from the persisted memo) instead of failing.
    const loads: Promise<unknown>[] = [this.loadFrontMatterData(this.state.notebook)];
    for (const file of files) loads.push(this.ingest(file.name, file.bytes, { table: file.table }));
    this.data.open();
    this.markDataStarted();
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
    // Left (a site's next page has the data worker): nothing more of this session may reach it.
    if (this.disposed) return [];
    const columns = columnsNeeded(sqlOfNotebook(notebook.cells));
    const loads = Object.entries(notebook.frontMatter.data)
      .filter(([table, path]) => needsReload(this.loadedData[table], path, columns))
      .map(async ([table, path]) => {
        this.loadedData[table] = { path };
        const url = new URL(path, this.request.baseUrl).href;
        const result = await this.track<Result<TableInfo>>(`Loading ${path}`, (progress) =>
          this.data.api.ingestUrl({ url, table, columns, builtFingerprint: this.builtFingerprint(table, path) }, progress),
        );
        if (result.ok) {
          this.loadedData[table] = { path, omittedColumns: result.value.omittedColumns };
          // The file changed since the build: cells answered from the build's results run again on its rows.
          const built = this.builtFingerprint(table, path);
          if (built !== undefined && result.value.fingerprint !== built) void this.callRuntime(this.runtime.tablesChanged([table]));
          return table;
        }
        this.missingData.add(table.toLowerCase());
        // Cells answered from the build's results for this file wait for it now, like every other cell reading it.
        if (this.builtFingerprint(table, path) !== undefined) void this.callRuntime(this.runtime.tablesChanged([table]));
        this.notice('error', missingDataMessage(this.request.file, this.text, table, path, result.error.message));
        return null;
      });
    const changed = (await Promise.all(loads)).filter((t): t is string => t !== null);
    if (changed.length) this.update({ tables: await this.data.tables() });
    return changed;
  }

  /** Who holds each table a dropped file must not replace: front-matter tables that loaded, and dropped files. */
  private tableOwners(): Map<string, string> {
    const owners = new Map<string, string>();
    for (const [table, path] of Object.entries(this.state.notebook.frontMatter.data)) {
      if (!this.missingData.has(table.toLowerCase())) owners.set(table.toLowerCase(), `data:${path}`);
    }
    for (const [table, file] of this.droppedTables) owners.set(table, `file:${file}`);
    return owners;
  }

  /** The File itself goes to the data worker (a handle; no bytes are copied) and is read there, off this thread. */
  private ingestFile(file: File): Promise<TableInfo | null> {
    return this.ingest(file.name, file, { keep: file });
  }

  /**
   * Loads a file's content as a table; `keep` (the dropped or picked file) is
   * saved for the next visit once it loaded. `table` is the name it had when
   * saved; a new file gets one by `tableNameForDrop` (never another file's or
   * the front matter's table).
   */
  private async ingest(fileName: string, content: ArrayBuffer | Blob, options: { keep?: File; table?: string }): Promise<TableInfo | null> {
    // Left (a site's next page has the data worker): nothing more of this session may reach it.
    if (this.disposed) return null;
    const chosen = options.table ? { table: options.table } : tableNameForDrop(fileName, this.tableOwners());
    const { table } = chosen;
    const before = this.droppedTables.get(table);
    // Taken at once, so a second file dropped while this one loads does not pick the same name.
    this.droppedTables.set(table, fileName);
    const bytes = content instanceof ArrayBuffer ? Comlink.transfer(content, [content]) : content;
    const result = await this.track<Result<TableInfo>>(`Loading ${fileName}`, (progress) =>
      this.data.api.ingest({ fileName, bytes, table }, progress),
    );
    if (!result.ok) {
      if (before === undefined) this.droppedTables.delete(table);
      else this.droppedTables.set(table, before);
      this.notice('error', result.error.message.includes(fileName) ? result.error.message : `${fileName}: ${result.error.message}`);
      return null;
    }
    this.missingData.delete(table);
    if (chosen.clash) {
      const holder = this.droppedTables.get(chosen.clash);
      const held = holder ? holder : `the notebook's data (${this.state.notebook.frontMatter.data[chosen.clash] ?? chosen.clash})`;
      this.notice('warning', `${fileName} is the table ${table}: the table ${chosen.clash} already holds ${held}, which stays as it was.`);
    }
    // The File itself goes to IndexedDB (no copy on the page), in the background.
    const keep = options.keep;
    const saveAs = table === tableNameFor(fileName) ? undefined : table;
    if (keep) void this.store.saveFile({ name: fileName, bytes: keep, type: keep.type, table: saveAs }).then((saved) => this.noticeOnFailure(saved));
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
    if (this.disposed) return;
    this.lastRunTimer = setTimeout(() => {
      if (this.runtimeCalls > 0 || this.state.runtime !== 'ready') return; // the call's end schedules again
      const lastRun = lastRunOf(this.state.cells, runBasis(this.text, this.state.inputs, this.runState, this.request.snapshot?.data), Date.now());
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
    const progress = Comlink.proxy<ProgressCallback>((fraction, detail) => {
      this.update({
        activities: this.state.activities.map((a) => (a.id === activity.id ? { ...a, fraction, detail: detail ?? a.detail } : a)),
      });
    });
    try {
      return await work(progress);
    } finally {
      this.update({ activities: this.state.activities.filter((a) => a.id !== activity.id) });
    }
  }

  /** A cell's `toast()`: shown unless a newer run of the cell superseded it, or the notebook is over its toast limit. */
  private cellToast(toast: CellToast): void {
    const newest = this.state.cells[toast.cell];
    if (newest && toast.run.generation < newest.run.generation) return;
    if (!this.state.compiled.cells.some((cell) => cell.id === toast.cell)) return;
    const text = toastDisplayText(toast.text);
    if (!text) return;
    const admission = this.toastGate.admit();
    if (admission === 'dropped') return;
    const notice = { ...this.makeNotice('info', admission === 'show' ? text : toastLimitText()), transient: true };
    const toasts = this.state.notices.filter((n) => n.transient);
    const pushedOut = new Set(toasts.slice(0, Math.max(0, toasts.length + 1 - TOASTS_ON_SCREEN)).map((n) => n.id));
    this.update({ notices: [...this.state.notices.filter((n) => !pushedOut.has(n.id)), notice] });
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

/**
 * One message for a front-matter table whose data could not be loaded, placed
 * at its line: the cells that read it say they wait for it (engine.ts), so
 * this is the only error the person sees for it.
 */
function missingDataMessage(file: string, text: string, table: string, path: string, error: string): string {
  const line = dataEntryLine(text, table);
  const why = error.replace(/^Could not load \S+: /, '');
  const place = line === undefined ? `${file}, front matter` : `${file}, line ${line}`;
  const name = path.split(/[\\/]/).pop() ?? path;
  return `${place}: the data file ${path} for the table ${table} could not be loaded (${why}). Cells that read ${table} wait for it: drop ${name} on the page to load it.`;
}

/** Table references from `file()` widgets point at data that is not in the link; leave them out. */
function shareableInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(inputs).filter(([, value]) => !(value && typeof value === 'object' && 'table' in value)),
  );
}
