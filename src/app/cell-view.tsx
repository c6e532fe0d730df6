import { Index, Show, Suspense, createEffect, createMemo, lazy, onCleanup } from 'solid-js';
import { isRestored, type CellEvent, type OutputItem } from '../runtime/protocol.ts';
import { describeCell } from './cell-names.ts';
import { CellToolbar } from './cell-toolbar.tsx';
import { DiagnosticList } from './diagnostic-list.tsx';
import { EnginePasswordForm } from './engine-password.tsx';
import { useNotebook } from './notebook-context.ts';
import { CellErrorView, isWaiting } from './outputs/cell-error-view.tsx';
import { MarkdownView } from './outputs/markdown-view.tsx';
import { OutputItemView } from './outputs/output-item-view.tsx';
import { createDelayedPending } from './pending-delay.ts';

// CodeMirror is most of the bundle and app mode rarely shows source: load it on first use.
const CellEditor = lazy(() => import('./cell-editor.tsx').then((m) => ({ default: m.CellEditor })));

type Settled = Exclude<CellEvent, { status: 'pending' }>;

/**
 * One cell. App mode: its outputs (and source when `echo`); notebook mode:
 * a toolbar, an editor, compile diagnostics, then the outputs. While a cell
 * re-runs its previous output stays in place, dimmed after a short delay.
 */
export function CellView(props: { cellId: string }) {
  const { session, snapshot, mode, dark, widths } = useNotebook();
  const source = createMemo(() => snapshot().notebook.cells.find((c) => c.id === props.cellId));
  const compiled = createMemo(() => snapshot().compiled.cells.find((c) => c.id === props.cellId));
  const event = createMemo(() => snapshot().cells[props.cellId]);

  // The newest finished event of *this* cell id; a pending event keeps the previous one on screen.
  const settled = createMemo<{ id: string; event?: Settled }>(
    (previous) => {
      const current = event();
      if (current && current.status !== 'pending') return { id: props.cellId, event: current };
      return previous.id === props.cellId ? previous : { id: props.cellId };
    },
    { id: '' },
  );
  // What the run in progress has shown so far (streamed display(), progress bars), if anything yet.
  const partial = () => {
    const current = event();
    return current?.status === 'pending' ? current.partial : undefined;
  };
  const outputs = (): OutputItem[] => settled().event?.outputs ?? [];
  const error = () => {
    const e = settled().event;
    return !partial() && e?.status === 'rejected' ? e.error : undefined;
  };
  const running = createDelayedPending(() => event()?.status === 'pending');
  const kind = () => source()?.kind ?? compiled()?.kind ?? 'js';
  const attributes = () => source()?.attributes ?? compiled()?.attributes;
  /** A cell its engine refused: the engine and its settings, to ask for a password (on ClickHouse before 22.10 a refusal looks like CORS). */
  const enginePassword = createMemo(() => {
    const failed = error();
    const engine = attributes()?.engine;
    const spec = engine === undefined ? undefined : snapshot().notebook.frontMatter.engines?.[engine];
    if (!failed || !engine || !spec || !session.setEnginePassword) return undefined;
    const refused = failed.name === 'EngineAuthError' || (failed.name === 'EngineCorsError' && spec.user !== undefined);
    return refused ? { engine, spec } : undefined;
  });
  const visibleOutputs = () => outputs().filter((item) => item.type !== 'holes');
  // While a run streams, its outputs take the places of the last run's (as Streamlit re-draws a script's
  // elements in order); the last run's outputs it has not reached yet stay after them, dimmed, so the page
  // does not collapse and re-grow on every re-run.
  const liveOutputs = () => partial()?.filter((item) => item.type !== 'holes') ?? visibleOutputs();
  const staleTail = () => {
    const live = partial();
    return live ? visibleOutputs().slice(live.length) : [];
  };
  const showOutputs = () => mode() === 'notebook' || !attributes()?.hidden;
  const diagnostics = createMemo(() => {
    const fromCompile = compiled()?.errors ?? [];
    const fromParse = snapshot().notebook.diagnostics.filter((d) => d.cellId === props.cellId);
    return [...fromParse, ...fromCompile];
  });
  const holeValues = () => outputs().find((item): item is Extract<OutputItem, { type: 'holes' }> => item.type === 'holes')?.values;
  const markdownParts = () => compiled()?.markdown?.parts ?? [source()?.source ?? ''];
  const showSource = () => mode() === 'notebook' || kind() === 'code' || attributes()?.echo === true;
  const index = () => snapshot().notebook.cells.findIndex((c) => c.id === props.cellId);
  // Cells that can draw at their output's width (`width`, or `Plot` without one) get it measured.
  const drawsAtWidth = createMemo(() => compiled()?.builtins.some((name) => name === 'width' || name === 'Plot') ?? false);
  const measureWidth = (output: HTMLDivElement) =>
    createEffect(() => {
      if (drawsAtWidth()) onCleanup(widths.track(props.cellId, output));
    });
  // An app-mode code cell with nothing to show takes no space (no gap between its neighbours).
  const empty = () =>
    mode() === 'app' && kind() !== 'md' && !showSource() && !running() && !error() && (!showOutputs() || liveOutputs().length === 0);

  return (
    <Show when={source()}>
      {(cell) => (
        <section
          class={`cell cell-${kind()}`}
          classList={{
            'is-notebook': mode() === 'notebook',
            'is-running': running(),
            // A cell waiting for a table or a failed cell above is not one more error on the page.
            'is-error': !!error() && !isWaiting(error()!),
            'is-hidden': empty(),
          }}
          data-cell={props.cellId}
          data-restored={isRestored(settled().event) ? '' : undefined}
          aria-busy={event()?.status === 'pending'}
        >
          <Show when={mode() === 'notebook'}>
            <CellToolbar cellId={props.cellId} kind={kind()} attributes={cell().attributes} event={event()} running={running()} />
          </Show>
          <Show when={showSource() && (mode() === 'notebook' || kind() !== 'md')}>
            <Suspense fallback={<pre class="cell-editor-fallback">{cell().source}</pre>}>
              <CellEditor
              source={cell().source}
              kind={kind()}
              firstLine={cell().sourceStart.line}
              dark={dark()}
              readOnly={mode() === 'app'}
              label={`Cell ${index() + 1}, ${kind() === 'md' ? 'Markdown' : kind().toUpperCase()}`}
              onChange={(text) => session.editCell(props.cellId, text)}
              />
            </Suspense>
          </Show>
          <Show when={mode() === 'notebook' && diagnostics().length > 0}>
            <DiagnosticList diagnostics={diagnostics()} />
          </Show>
          <div ref={measureWidth} class="cell-output" classList={{ 'is-stale': running() && !partial() }} data-streaming={partial() ? '' : undefined}>
            <Show when={kind() === 'md'}>
              <MarkdownView parts={markdownParts()} values={holeValues()} />
            </Show>
            <Show when={kind() !== 'md' && showOutputs()}>
              {/* Keyed by position: a re-run updates outputs in place, so a control being dragged or a half-filled form survives it. */}
              <Index each={liveOutputs()}>{(item) => <OutputItemView item={item()} />}</Index>
              <Show when={staleTail().length > 0}>
                <div class="output-stale-tail" classList={{ 'is-stale': running() }}>
                  <Index each={staleTail()}>{(item) => <OutputItemView item={item()} />}</Index>
                </div>
              </Show>
            </Show>
            <Show when={error()}>{(e) => <CellErrorView error={e()} describe={(id) => describeCell(snapshot().compiled.cells, id)} />}</Show>
            <Show when={enginePassword()}>
              {(ask) => (
                <EnginePasswordForm
                  engine={ask().engine}
                  spec={ask().spec}
                  shared={session.origin.kind === 'shared'}
                  onSubmit={(password) => session.setEnginePassword?.(ask().engine, password)}
                />
              )}
            </Show>
          </div>
          <Show when={running() && kind() !== 'md'}>
            <div class="cell-running" role="status">
              <span class="spinner" aria-hidden="true" /> Running…
            </div>
          </Show>
        </section>
      )}
    </Show>
  );
}
