import { For } from 'solid-js';
import type { Notice } from '../client/session-types.ts';

/** Notices as toasts in the corner; each stays until dismissed so nothing important flashes by. */
export function NoticeToasts(props: { notices: Notice[]; onDismiss: (id: string) => void }) {
  return (
    <div class="toasts" aria-live="polite">
      <For each={props.notices}>
        {(notice) => (
          <div class={`toast toast-${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'}>
            <span class="toast-icon" aria-hidden="true">
              {notice.level === 'error' ? '!' : notice.level === 'warning' ? '!' : 'i'}
            </span>
            <span class="toast-message">{notice.message}</span>
            <button type="button" class="icon-button" aria-label="Dismiss" onClick={() => props.onDismiss(notice.id)}>
              ✕
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
