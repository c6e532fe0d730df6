/**
 * A `Session` with canned snapshots, for developing and checking the UI
 * without workers. It parses and compiles a real notebook, then answers with
 * events covering every `OutputItem` type, a 1M-row virtual table, widget
 * changes that re-run downstream cells (with a visible pending phase), engine
 * start-up, an activity and a notice. Test fixture only: never shipped.
 */
import { compileNotebook } from '../../src/compile/compile.ts';
import type { Activity, Notice, Session, SessionOrigin, SessionSnapshot, ShareLink } from '../../src/client/session-types.ts';
import type { AttributePatch } from '../../src/notebook/edit.ts';
import type { FrontMatterPatch } from '../../src/notebook/front-matter-edit.ts';
import { parseNotebook } from '../../src/notebook/parse.ts';
import type { CellKind } from '../../src/notebook/types.ts';
import type { OutputWidths } from '../../src/runtime/messages.ts';
import type { CellEvent, OutputItem, SortSpec, TableSource, WidgetSpec } from '../../src/runtime/protocol.ts';

export const FIXTURE_ROWS = 1_000_000;
const REGIONS = ['North', 'South', 'East', 'West'];

/** Row `i` of the virtual orders table, as a function of its index (so any window can be produced). */
export function fixtureRow(i: number): Record<string, unknown> {
  return {
    id: i + 1,
    region: REGIONS[i % 4],
    amount: Math.round(((i * 7919) % 100_000) / 10) / 10,
    day: Date.UTC(2024, 0, 1) + (i % 90) * 86_400_000,
    note: i % 13 === 0 ? null : `order ${i + 1}`,
  };
}

export interface FixtureOptions {
  /** Markdown source of the notebook. */
  source: string;
  /** Renders a figure (the dev page passes Observable Plot); returns SVG markup. */
  figure: () => string;
  /** Milliseconds until the runtime / data engine report ready. */
  runtimeDelay?: number;
  dataDelay?: number;
  /** Milliseconds a re-run stays pending (to see the dimmed state). */
  runDelay?: number;
}

export class FixtureSession implements Session {
  readonly origin: SessionOrigin = { kind: 'example', path: 'sales.md' };
  readonly notebookId = 'fixture:sales';
  private state: SessionSnapshot;
  private text: string;
  private generation = 1;
  private readonly listeners = new Set<(s: SessionSnapshot) => void>();
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  /** Calls the UI made, for tests to assert on. */
  readonly calls: { method: string; args: unknown[] }[] = [];

  constructor(private readonly options: FixtureOptions) {
    this.text = options.source;
    const notebook = parseNotebook(options.source, 'sales.md');
    this.state = {
      notebook,
      compiled: compileNotebook(notebook),
      cells: {},
      inputs: { 'slider:minAmount': 250, 'select:region': 'All', 'toggle:showReturns': true },
      tables: [],
      runtime: 'starting',
      data: 'starting',
      activities: [],
      notices: [],
      edited: false,
    };
    this.later(options.runtimeDelay ?? 600, () => {
      this.update({ runtime: 'ready' });
      this.runAll();
    });
    this.later(options.dataDelay ?? 1200, () => this.update({ data: 'ready' }));
    this.startActivity();
  }

  snapshot(): SessionSnapshot {
    return this.state;
  }

  subscribe(listener: (snapshot: SessionSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setInput(key: string, value: unknown): void {
    this.calls.push({ method: 'setInput', args: [key, value] });
    this.update({ inputs: { ...this.state.inputs, [key]: value } });
    // Everything after the sidebar re-runs, as downstream cells would.
    const downstream = this.state.compiled.cells.filter((c) => c.kind !== 'md' && !c.attributes.sidebar).map((c) => c.id);
    this.rerun(downstream);
  }

  editCell(cellId: string, source: string): void {
    this.calls.push({ method: 'editCell', args: [cellId, source] });
    const cell = this.state.notebook.cells.find((c) => c.id === cellId);
    if (!cell) return;
    this.text = this.text.slice(0, cell.sourceStart.offset) + source + this.text.slice(cell.sourceStart.offset + cell.source.length);
    this.recompile(true);
    this.rerun([cellId]);
  }

  insertCell(afterId: string | null, kind: CellKind, source = ''): string {
    this.calls.push({ method: 'insertCell', args: [afterId, kind, source] });
    const fence = kind === 'md' ? `\n${source}\n` : `\n\`\`\`${kind}\n${source}\n\`\`\`\n`;
    const after = this.state.notebook.cells.find((c) => c.id === afterId);
    const at = after ? after.span.end.offset : this.state.notebook.cells[0]?.span.start.offset ?? this.text.length;
    this.text = this.text.slice(0, at) + fence + this.text.slice(at);
    this.recompile(true);
    this.runAll();
    return 'new';
  }

  deleteCell(cellId: string): void {
    this.calls.push({ method: 'deleteCell', args: [cellId] });
    const cell = this.state.notebook.cells.find((c) => c.id === cellId);
    if (!cell) return;
    this.text = this.text.slice(0, cell.span.start.offset) + this.text.slice(cell.span.end.offset);
    this.recompile(true);
    this.runAll();
  }

  moveCell(cellId: string, direction: -1 | 1): void {
    this.calls.push({ method: 'moveCell', args: [cellId, direction] });
  }

  replaceSource(source: string): void {
    this.calls.push({ method: 'replaceSource', args: [source] });
    this.text = source;
    this.recompile(false);
    this.runAll();
  }

  source(): string {
    return this.text;
  }

  /** Canned outputs do not depend on widths (and resizes are not calls the fixture tests look for). */
  setOutputWidths(_widths: OutputWidths): void {}

  async addFiles(files: File[]): Promise<void> {
    this.calls.push({ method: 'addFiles', args: [files.map((f) => f.name)] });
    this.notice('info', `Loaded ${files.map((f) => f.name).join(', ')}.`);
  }

  async rows(source: TableSource, offset: number, limit: number, sort?: SortSpec): Promise<Record<string, unknown>[]> {
    this.calls.push({ method: 'rows', args: [source, offset, limit, sort] });
    await new Promise((resolve) => setTimeout(resolve, 120));
    const rows: Record<string, unknown>[] = [];
    for (let i = offset; i < Math.min(FIXTURE_ROWS, offset + limit); i++) {
      rows.push(fixtureRow(sort?.direction === 'desc' ? FIXTURE_ROWS - 1 - i : i));
    }
    return rows;
  }

  shareUrl(base: string): ShareLink {
    const url = `${base.split('#')[0]}#/s/1${'x'.repeat(this.text.length / 2)}`;
    return { url, bytes: url.length, tooLong: url.length > 8192, leftOut: [] };
  }

  setCellAttributes(cellId: string, patch: AttributePatch): void {
    this.calls.push({ method: 'setCellAttributes', args: [cellId, patch] });
  }

  editFrontMatter(patch: FrontMatterPatch): string | undefined {
    this.calls.push({ method: 'editFrontMatter', args: [patch] });
    return undefined;
  }

  async reset(): Promise<void> {
    this.calls.push({ method: 'reset', args: [] });
    this.update({ inputs: {} });
    this.runAll();
  }

  dismissNotice(id: string): void {
    this.update({ notices: this.state.notices.filter((n) => n.id !== id) });
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.listeners.clear();
  }

  // ─── canned behaviour ────────────────────────────────────────────────

  private later(ms: number, run: () => void): void {
    this.timers.push(setTimeout(run, ms));
  }

  private update(patch: Partial<SessionSnapshot>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }

  private notice(level: Notice['level'], message: string): void {
    this.update({ notices: [...this.state.notices, { id: `n${Date.now()}${Math.random()}`, level, message }] });
  }

  private recompile(edited: boolean): void {
    const notebook = parseNotebook(this.text, 'sales.md');
    this.update({ notebook, compiled: compileNotebook(notebook), edited });
  }

  private startActivity(): void {
    const activity: Activity = { id: 'load', label: 'Loading orders.csv', fraction: 0 };
    this.update({ activities: [activity] });
    for (let step = 1; step <= 5; step++) {
      this.later(step * 250, () =>
        this.update({ activities: step === 5 ? [] : [{ ...activity, fraction: step / 5 }] }),
      );
    }
    this.later(1400, () => this.notice('warning', 'orders.csv: 3 malformed lines were skipped (lines 18, 211, 4022).'));
  }

  private runAll(): void {
    this.rerun(this.state.compiled.cells.map((c) => c.id));
  }

  private rerun(ids: string[]): void {
    const generation = ++this.generation;
    const cells = { ...this.state.cells };
    for (const id of ids) {
      const runs = (cells[id]?.run.runs ?? 0) + 1;
      cells[id] = { cell: id, status: 'pending', run: { generation, runs } };
    }
    this.update({ cells });
    this.later(this.options.runDelay ?? 500, () => {
      const settled = { ...this.state.cells };
      for (const id of ids) {
        const previous = settled[id];
        if (!previous || previous.run.generation > generation) continue;
        settled[id] = this.settle(id, previous.run.runs, generation);
      }
      this.update({ cells: settled });
    });
  }

  private widget(kind: WidgetSpec['kind'], key: string, label: string, options: Record<string, unknown> = {}, fields?: WidgetSpec[]): OutputItem {
    const value = this.state.inputs[key] ?? options.value;
    return { type: 'widget', widget: { kind, key, label, value, options, fields } };
  }

  private settle(id: string, runs: number, generation: number): CellEvent {
    const cell = this.state.compiled.cells.find((c) => c.id === id);
    const run = { generation, runs };
    const source = cell?.source ?? '';
    const ok = (outputs: OutputItem[]): CellEvent => ({ cell: id, status: 'fulfilled', run, outputs, durationMs: 3 + runs });
    const minAmount = Number(this.state.inputs['slider:minAmount'] ?? 250);
    if (cell?.kind === 'md') {
      const holes = (cell.markdown?.parts.length ?? 1) - 1;
      return ok(holes ? [{ type: 'holes', values: ['48,210', '4'].slice(0, holes) }] : []);
    }
    if (source.includes('select("Region"'))
      return ok([this.widget('select', 'select:region', 'Region', { options: ['All', ...REGIONS], value: 'All' })]);
    if (source.includes('slider('))
      return ok([this.widget('slider', 'slider:minAmount', 'Minimum amount', { min: 0, max: 1000, step: 10, value: 250 })]);
    if (source.includes('toggle('))
      return ok([this.widget('toggle', 'toggle:showReturns', 'Include returns', { value: true })]);
    if (source.includes('metric("Revenue"')) return ok([{ type: 'metric', label: 'Revenue', value: '$1.28M', delta: '+12.4%', deltaSign: 1 }]);
    if (source.includes('metric("Orders"')) return ok([{ type: 'metric', label: 'Orders', value: '48,210', delta: '-3.1%', deltaSign: -1 }]);
    if (source.includes('metric(')) return ok([{ type: 'metric', label: 'Avg. basket', value: '$26.55', delta: '0.0%', deltaSign: 0 }]);
    if (cell?.kind === 'sql' && cell.attributes.name) {
      const head = Array.from({ length: 200 }, (_, i) => fixtureRow(i));
      return ok([
        {
          type: 'table',
          table: {
            columns: [
              { name: 'id', type: 'BIGINT' },
              { name: 'region', type: 'VARCHAR' },
              { name: 'amount', type: 'DOUBLE' },
              { name: 'day', type: 'DATE' },
              { name: 'note', type: 'VARCHAR' },
            ],
            rowCount: FIXTURE_ROWS - minAmount,
            head,
            source: { kind: 'query', sql: source, params: [minAmount] },
          },
        },
      ]);
    }
    if (source.includes('Plot.plot')) return ok([{ type: 'figure', html: this.options.figure() }]);
    if (source.includes('form(')) {
      const fields: WidgetSpec[] = [
        { kind: 'text', key: 'form:Filters/customer', label: 'Customer', value: '', options: { placeholder: 'Name or id' } },
        { kind: 'number', key: 'form:Filters/limit', label: 'Limit', value: 100, options: { min: 1, max: 1000 } },
        { kind: 'date', key: 'form:Filters/since', label: 'Since', value: '2024-01-01', options: {} },
      ];
      return ok([
        this.widget('range', 'range:Amount', 'Amount between', { min: 0, max: 1000, value: [100, 600] }),
        this.widget('radio', 'radio:Channel', 'Channel', { options: ['Web', 'Store', 'Phone'], value: 'Web' }),
        this.widget('select', 'select:Tags', 'Tags', { options: ['new', 'repeat', 'vip', 'wholesale'], multiple: true, value: ['repeat', 'vip'] }),
        this.widget('checkbox', 'checkbox:Only paid', 'Only paid orders', { value: false }),
        this.widget('textarea', 'textarea:Notes', 'Notes', { placeholder: 'Anything to remember…' }),
        this.widget('file', 'file:Upload', 'Upload a CSV', { accept: '.csv,.tsv' }),
        this.widget('button', 'button:Refresh', 'Refresh data'),
        this.widget('form', 'form:Filters', 'Filters', {}, fields),
      ]);
    }
    if (source.includes('nested')) {
      return ok([{ type: 'value', typeName: 'Object', preview: { name: 'orders', rows: 48210, columns: ['id', 'region', 'amount'], nested: { deep: [1, 2, 3] } } }]);
    }
    if (source.includes('missingName')) {
      return { cell: id, status: 'rejected', run, outputs: [], durationMs: 1, error: { name: 'ReferenceError', message: 'missingName is not defined', line: cell?.bodyLine, column: 1, hint: 'Define missingName in another cell, or check its spelling.' } };
    }
    if (source.includes('nowhere')) {
      return { cell: id, status: 'rejected', run, outputs: [], durationMs: 4, error: { name: 'QueryError', message: 'Catalog Error: Table with name nowhere does not exist!', line: cell?.bodyLine, sql: 'SELECT * FROM nowhere', hint: 'Drop a file named nowhere.csv on the page to create it.' } };
    }
    if (source.includes('download(')) return ok([{ type: 'download', filename: 'orders.csv', mime: 'text/csv', data: 'id,region\n1,North\n', label: 'Download orders.csv' }]);
    if (source.includes('plain text')) return ok([{ type: 'text', text: 'plain text output\nwith two lines' }, { type: 'html', html: '<p>Some <b>HTML</b> output <script>alert(1)</script></p>' }, { type: 'markdown', markdown: '*Markdown* output from `md`' }]);
    return ok([]);
  }
}
