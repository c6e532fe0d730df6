import { Show, createSignal } from 'solid-js';
import type { ViewMode } from './notebook-context.ts';
import { useNotebook } from './notebook-context.ts';
import { ShareDialog } from './share-dialog.tsx';
import { isRestored } from '../runtime/protocol.ts';
import { DevFileChip, type DevFile } from './dev-file-status.tsx';
import { MenuButton } from './menu-button.tsx';
import { StatusLine } from './status-line.tsx';

/**
 * The bar above a notebook: title, App / Notebook switch, Share, Download,
 * Reset, and the engines' status. In the studio the logo leads home.
 */
export function NotebookHeader(props: {
  title: string;
  studio: boolean;
  hasSidebar: boolean;
  onToggleSidebar: () => void;
  setMode: (mode: ViewMode) => void;
  /** `brook dev`: edits go to this file, so the header says so instead of "edited". */
  devFile?: DevFile;
}) {
  const { session, snapshot, mode, networkBlocked } = useNotebook();
  const [share, setShare] = createSignal<ReturnType<typeof session.shareUrl>>();
  const download = () => {
    const blob = new Blob([session.source()], { type: 'text/markdown' });
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = `${fileStem(props.title)}.md`;
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  const reset = () => {
    if (window.confirm('Reset saved state? Input values, the state object, dropped files and unsaved edits of this notebook are cleared.')) {
      void session.reset();
    }
  };
  return (
    <header class="app-header">
      <div class="header-left">
        <Show when={props.hasSidebar}>
          <button type="button" class="icon-button sidebar-toggle" aria-label="Toggle sidebar" onClick={props.onToggleSidebar}>
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
              <path d="M2 3.5h12M2 8h12M2 12.5h12" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" />
            </svg>
          </button>
        </Show>
        <Show when={props.studio}>
          <a class="brand" href="#/" aria-label="Brook home">
            <BrookMark />
          </a>
          <span class="header-sep" aria-hidden="true">/</span>
        </Show>
        <h1 class="notebook-title">{props.title}</h1>
        <Show when={props.devFile} fallback={
          <Show when={snapshot().edited}>
            <span class="edited-badge" title="Edited since it was opened; the draft is saved in this browser">edited</span>
          </Show>
        }>
          {(file) => <DevFileChip file={file()} />}
        </Show>
        <Show when={networkBlocked}>
          <span class="network-badge" title="This shared notebook was opened without network access: its code cannot make requests">
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
              <path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2M3.5 7h9v6.5h-9z" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linejoin="round" />
            </svg>
            Network blocked
          </span>
        </Show>
      </div>
      {/* Between the two halves so that on a phone it stays on the title's row while the controls wrap below. */}
      <StatusLine runtime={snapshot().runtime} data={snapshot().data} restored={Object.values(snapshot().cells).some(isRestored)} />
      <div class="header-right">
        <div class="mode-switch" role="group" aria-label="View mode">
          <button type="button" aria-pressed={mode() === 'app'} onClick={() => props.setMode('app')}>
            App
          </button>
          <button type="button" aria-pressed={mode() === 'notebook'} onClick={() => props.setMode('notebook')}>
            Notebook
          </button>
        </div>
        <button type="button" class="button button-primary" onClick={() => setShare(session.shareUrl(location.href))}>
          Share
        </button>
        <MenuButton
          label="More actions"
          items={[
            { label: 'Download .md', onSelect: download },
            { label: 'Reset saved state…', onSelect: reset, danger: true },
          ]}
        />
      </div>
      <Show when={share()}>{(current) => <ShareDialog share={current()} onClose={() => setShare(undefined)} />}</Show>
    </header>
  );
}

/** The Brook logo: three stacked waves. */
export function BrookMark() {
  return (
    <svg class="brand-mark" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      <rect width="24" height="24" rx="6" fill="var(--accent)" />
      <path d="M5 9c2-1.6 4-1.6 7 0s5 1.6 7 0M5 13c2-1.6 4-1.6 7 0s5 1.6 7 0M5 17c2-1.6 4-1.6 7 0s5 1.6 7 0" fill="none" stroke="white" stroke-width="1.6" stroke-linecap="round" />
    </svg>
  );
}

function fileStem(title: string): string {
  return title.replace(/\.(md|ipynb)$/i, '').replace(/[\\/:*?"<>|]+/g, '-').trim() || 'notebook';
}
