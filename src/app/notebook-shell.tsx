import { For, Show, createMemo, createRenderEffect, createSignal, onCleanup } from 'solid-js';
import type { Notice, Session } from '../client/session-types.ts';
import { ActivityBars } from './activity-bars.tsx';
import { DevFileBanner, type DevFile } from './dev-file-status.tsx';
import { DropOverlay } from './drop-overlay.tsx';
import { LayoutView, withoutCells } from './layout-view.tsx';
import { NotebookCells } from './notebook-cells.tsx';
import { NotebookContext, type ViewMode } from './notebook-context.ts';
import { NotebookHeader } from './notebook-header.tsx';
import { CellView } from './cell-view.tsx';
import { NoticeToasts } from './notice-toasts.tsx';
import { createPrefersDark } from './prefers-dark.ts';
import { createSnapshotSignal } from './session-signal.ts';
import { isNotebookFile } from './notebook-files.ts';
import { createOutputWidthMeter } from './output-widths.ts';

/**
 * One open notebook with its chrome: header, optional sidebar (a drawer on
 * phones), the body in app or notebook mode, progress bars, toasts and the
 * drop target. Files dropped here become tables; notebook files are handed
 * to `onOpenNotebook` (the studio opens them).
 */
export function NotebookShell(props: {
  session: Session;
  studio: boolean;
  initialMode: ViewMode;
  fallbackTitle: string;
  /** Notices from opening (e.g. cells an .ipynb import skipped), shown with the session's own. */
  openingNotices?: Notice[];
  onOpenNotebook?: (file: File) => void;
  /** Opened without network access (a shared link, by the person's choice). */
  networkBlocked?: boolean;
  /** `brook dev`: the notebook file the page's edits are written to. */
  devFile?: DevFile;
}) {
  const snapshot = createSnapshotSignal(props.session);
  const [mode, setMode] = createSignal<ViewMode>(props.initialMode);
  const dark = createPrefersDark();
  // On phones the sidebar is a drawer, closed until asked for.
  const desktop = window.matchMedia('(min-width: 721px)');
  const [sidebarOpen, setSidebarOpen] = createSignal(desktop.matches);
  // Crossing the breakpoint (a rotated phone, a narrowed window) resets the drawer, so it never covers the page unasked.
  const onBreakpoint = (event: MediaQueryListEvent) => setSidebarOpen(event.matches);
  desktop.addEventListener('change', onBreakpoint);
  onCleanup(() => desktop.removeEventListener('change', onBreakpoint));
  // On phones the open drawer covers the toggle: Escape closes it for keyboard users.
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !desktop.matches && sidebarOpen()) setSidebarOpen(false);
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));
  const widths = createOutputWidthMeter((measured) => props.session.setOutputWidths(measured));
  onCleanup(() => widths.dispose());
  const [localNotices, setLocalNotices] = createSignal<Notice[]>(props.openingNotices ?? []);

  const title = () => snapshot().notebook.frontMatter.title ?? props.fallbackTitle;
  const wide = () => snapshot().notebook.frontMatter.layout === 'wide';
  const sidebarIds = createMemo(() => snapshot().notebook.cells.filter((c) => c.attributes.sidebar).map((c) => c.id));
  const mainLayout = createMemo(() => withoutCells(snapshot().notebook.layout, new Set(sidebarIds())));
  const hasSidebar = () => mode() === 'app' && sidebarIds().length > 0;
  const notices = () => [...localNotices(), ...snapshot().notices];

  // A memo, so the title is written only when it changes, not on every snapshot.
  const pageTitle = createMemo(() => `${title()} · Brook`);
  createRenderEffect(() => (document.title = pageTitle()));

  const onFiles = (files: File[]) => {
    const notebooks = files.filter(isNotebookFile);
    const data = files.filter((f) => !isNotebookFile(f));
    if (notebooks[0] && props.onOpenNotebook) props.onOpenNotebook(notebooks[0]);
    else if (notebooks.length) {
      setLocalNotices((list) => [...list, { id: `drop-${Date.now()}`, level: 'warning', message: 'Notebook files open in the Brook studio, not in a built app.' }]);
    }
    if (data.length) void props.session.addFiles(data);
  };
  const dismiss = (id: string) => {
    if (localNotices().some((n) => n.id === id)) setLocalNotices((list) => list.filter((n) => n.id !== id));
    else props.session.dismissNotice(id);
  };

  return (
    <NotebookContext.Provider value={{ session: props.session, snapshot, mode, dark, networkBlocked: props.networkBlocked ?? false, widths }}>
      <div class="notebook-page" classList={{ 'is-wide': wide() || mode() === 'notebook', 'has-sidebar': hasSidebar(), 'sidebar-open': sidebarOpen() }}>
        <NotebookHeader
          title={title()}
          studio={props.studio}
          hasSidebar={hasSidebar()}
          onToggleSidebar={() => setSidebarOpen((open) => !open)}
          setMode={setMode}
          devFile={props.devFile}
        />
        {/* One sticky strip under the header, so a banner and progress bars stack instead of covering each other. */}
        <div class="page-bars">
          <Show when={props.devFile}>{(file) => <DevFileBanner file={file()} />}</Show>
          <ActivityBars activities={snapshot().activities} />
        </div>
        <div class="notebook-body">
          <Show when={hasSidebar()}>
            <aside class="sidebar" aria-label="Sidebar" hidden={!sidebarOpen()}>
              <For each={sidebarIds()}>{(id) => <CellView cellId={id} />}</For>
            </aside>
            <button type="button" class="drawer-scrim" aria-label="Close sidebar" tabindex="-1" onClick={() => setSidebarOpen(false)} />
          </Show>
          <main ref={(main) => onCleanup(widths.trackMain(main))} class="notebook-main" classList={{ 'mode-app': mode() === 'app', 'mode-notebook': mode() === 'notebook' }}>
            <Show when={mode() === 'app'} fallback={<NotebookCells />}>
              <LayoutView nodes={mainLayout()} />
            </Show>
          </main>
        </div>
        <NoticeToasts notices={notices()} onDismiss={dismiss} />
        <DropOverlay label={props.onOpenNotebook ? 'Drop data files or a notebook' : 'Drop data files to load them'} onFiles={onFiles} />
      </div>
    </NotebookContext.Provider>
  );
}
