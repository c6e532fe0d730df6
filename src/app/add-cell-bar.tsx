import { For } from 'solid-js';
import { ADDABLE_KINDS, KIND_LABELS, NEW_CELL_SOURCE } from './cell-kinds.ts';
import { useNotebook } from './notebook-context.ts';

/** The kind picker that adds a cell after `afterId` (or at the top for `null`). */
export function AddCellBar(props: { afterId: string | null; persistent?: boolean }) {
  const { session } = useNotebook();
  return (
    <div class={`add-cell ${props.persistent ? 'is-persistent' : ''}`} role="group" aria-label="Add cell">
      <span class="add-cell-label" aria-hidden="true">+</span>
      <For each={ADDABLE_KINDS}>
        {(kind) => (
          <button
            type="button"
            class="add-cell-kind"
            aria-label={`Add ${KIND_LABELS[kind]} cell ${props.afterId ? 'below' : 'at the top'}`}
            onClick={() => session.insertCell(props.afterId, kind, NEW_CELL_SOURCE[kind])}
          >
            {KIND_LABELS[kind]}
          </button>
        )}
      </For>
    </div>
  );
}
