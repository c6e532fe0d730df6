import { Show } from 'solid-js';
import type { CellAttributes, CellKind } from '../notebook/types.ts';
import type { CellEvent } from '../runtime/protocol.ts';
import { KIND_LABELS } from './cell-kinds.ts';
import { useNotebook } from './notebook-context.ts';

/** Notebook-mode strip above a cell: its kind and name, run status, and move / delete actions. */
export function CellToolbar(props: {
  cellId: string;
  kind: CellKind;
  attributes: CellAttributes;
  event?: CellEvent;
  running: boolean;
}) {
  const { session } = useNotebook();
  const status = () => {
    const e = props.event;
    if (props.running) return 'running…';
    if (!e || e.status === 'pending') return '';
    if (e.status === 'rejected') return 'error';
    return e.durationMs < 1 ? '<1 ms' : `${Math.round(e.durationMs).toLocaleString()} ms`;
  };
  const flags = () =>
    (['echo', 'hidden', 'sidebar'] as const).filter((flag) => props.attributes[flag]).join(' · ');
  return (
    <div class="cell-toolbar">
      <span class={`kind-badge kind-${props.kind}`}>{props.attributes.lang ?? KIND_LABELS[props.kind]}</span>
      <Show when={props.attributes.name}>
        <span class="cell-name">→ {props.attributes.name}</span>
      </Show>
      <Show when={flags()}>
        <span class="cell-flags">{flags()}</span>
      </Show>
      <span class={`cell-status ${status() === 'error' ? 'is-error' : ''}`}>{status()}</span>
      <span class="cell-actions">
        <button type="button" class="icon-button" aria-label="Move cell up" title="Move up" onClick={() => session.moveCell(props.cellId, -1)}>
          ↑
        </button>
        <button type="button" class="icon-button" aria-label="Move cell down" title="Move down" onClick={() => session.moveCell(props.cellId, 1)}>
          ↓
        </button>
        <button type="button" class="icon-button danger" aria-label="Delete cell" title="Delete" onClick={() => session.deleteCell(props.cellId)}>
          ✕
        </button>
      </span>
    </div>
  );
}
