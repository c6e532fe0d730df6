import { For, onCleanup, onMount } from 'solid-js';
import type { Notice } from '../client/session-types.ts';

/** How long a cell's `toast()` stays (Streamlit's toasts stay about 4 s); hovering or focusing it holds it. */
export const TOAST_SHOWN_MS = 4000;

/**
 * Notices as toasts in the corner. The page's own notices stay until
 * dismissed so nothing important flashes by; a cell's `toast()` is
 * transient and goes by itself.
 */
export function NoticeToasts(props: { notices: Notice[]; onDismiss: (id: string) => void }) {
  return (
    <div class="toasts" aria-live="polite">
      <For each={props.notices}>{(notice) => <NoticeToast notice={notice} onDismiss={() => props.onDismiss(notice.id)} />}</For>
    </div>
  );
}

function NoticeToast(props: { notice: Notice; onDismiss: () => void }) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hold = () => clearTimeout(timer);
  const release = () => {
    hold();
    if (props.notice.transient) timer = setTimeout(props.onDismiss, TOAST_SHOWN_MS);
  };
  onMount(release);
  onCleanup(hold);
  const level = props.notice.level;
  return (
    <div
      class={`toast toast-${level}`}
      classList={{ 'is-transient': props.notice.transient === true }}
      role={level === 'error' ? 'alert' : 'status'}
      onMouseEnter={hold}
      onMouseLeave={release}
      onFocusIn={hold}
      onFocusOut={release}
    >
      <span class="toast-icon" aria-hidden="true">
        {level === 'info' ? 'i' : '!'}
      </span>
      {/* Text only: a cell's toast never becomes markup. */}
      <span class="toast-message">{props.notice.message}</span>
      <button type="button" class="icon-button" aria-label="Dismiss" onClick={props.onDismiss}>
        ✕
      </button>
    </div>
  );
}
