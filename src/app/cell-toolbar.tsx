import { Show, createSignal } from 'solid-js';
import { isBindableName } from '../notebook/identifier.ts';
import type { CellAttributes, CellKind } from '../notebook/types.ts';
import type { CellEvent } from '../runtime/protocol.ts';
import { KIND_LABELS } from './cell-kinds.ts';
import { MenuButton, type MenuEntry } from './menu-button.tsx';
import { useNotebook } from './notebook-context.ts';

/** The fence flags, as the cell menu names them. */
const FLAG_LABELS: { flag: 'echo' | 'hidden' | 'sidebar'; label: string }[] = [
  { flag: 'echo', label: 'Show code in app mode (echo)' },
  { flag: 'hidden', label: 'Hide output in app mode (hidden)' },
  { flag: 'sidebar', label: 'Put in the sidebar (sidebar)' },
];

/**
 * Notebook-mode strip above a cell: its kind, a SQL cell's result name
 * (editable), its flags, run status, a ⋯ menu that sets the flags, and
 * move / delete actions.
 */
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
  // Markdown has no fence to carry flags; a `code` cell's fence words belong to its language.
  const fenced = () => props.kind === 'js' || props.kind === 'ts' || props.kind === 'sql';
  const flagEntries = (): MenuEntry[] =>
    FLAG_LABELS.map(({ flag, label }) => ({
      label,
      checked: props.attributes[flag],
      onSelect: () => session.setCellAttributes(props.cellId, { [flag]: !props.attributes[flag] }),
    }));
  return (
    <div class="cell-toolbar">
      <span class={`kind-badge kind-${props.kind}`}>{props.attributes.lang ?? KIND_LABELS[props.kind]}</span>
      <Show
        when={props.kind === 'sql'}
        fallback={
          <Show when={props.attributes.name}>
            <span class="cell-name">→ {props.attributes.name}</span>
          </Show>
        }
      >
        <ResultName cellId={props.cellId} name={props.attributes.name} />
      </Show>
      <Show when={flags()}>
        <span class="cell-flags">{flags()}</span>
      </Show>
      <span class={`cell-status ${status() === 'error' ? 'is-error' : ''}`}>{status()}</span>
      <span class="cell-actions">
        <Show when={fenced()}>
          <MenuButton label="Cell options" items={flagEntries()} />
        </Show>
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

/**
 * A SQL cell's result name, edited in place: committed on Enter or when the
 * field loses focus, reverted by Escape; an empty name makes the cell
 * display-only. A name that cannot be bound is not written and says why.
 */
function ResultName(props: { cellId: string; name?: string }) {
  const { session } = useNotebook();
  const [problem, setProblem] = createSignal<string>();
  const errorId = `name-error-${props.cellId}`;
  const commit = (field: HTMLInputElement) => {
    const name = field.value.trim();
    if (name === (props.name ?? '')) return setProblem(undefined);
    if (name !== '' && !isBindableName(name)) {
      setProblem('Use letters, digits and _ (not starting with a digit, not a reserved word).');
      return;
    }
    setProblem(undefined);
    session.setCellAttributes(props.cellId, { name: name === '' ? null : name });
  };
  return (
    <span class="cell-name-edit">
      <span aria-hidden="true">→</span>
      <input
        class="cell-name-input"
        type="text"
        spellcheck={false}
        autocomplete="off"
        value={props.name ?? ''}
        placeholder="name"
        size={Math.max(6, (props.name ?? '').length + 1)}
        aria-label="Result name"
        aria-invalid={problem() ? 'true' : undefined}
        aria-describedby={problem() ? errorId : undefined}
        title="The name this SQL cell's result is bound to (empty: display only)"
        onChange={(event) => commit(event.currentTarget)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') event.currentTarget.blur();
          if (event.key === 'Escape') {
            event.currentTarget.value = props.name ?? '';
            setProblem(undefined);
          }
        }}
      />
      <Show when={problem()}>
        <span id={errorId} class="cell-name-problem" role="alert">
          {problem()}
        </span>
      </Show>
    </span>
  );
}
