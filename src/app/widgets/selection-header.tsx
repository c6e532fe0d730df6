import { Show } from 'solid-js';

/**
 * The label row of a selection (brush, pick, table): its name, the value as
 * text ("Delay: −20 – 45"), and a ✕ that clears it. Shared by the three
 * selection controls; draws no control of its own.
 */
export function SelectionHeader(props: { label: string; text: string | null; disabled: boolean; onClear: () => void }) {
  return (
    <div class="control-label-row selection-header">
      <span class="control-label">{props.label}</span>
      <span class="selection-value">
        <output class="control-value" aria-live="polite">{props.text ?? 'nothing selected'}</output>
        <Show when={props.text !== null}>
          <button
            type="button"
            class="selection-clear"
            aria-label={`Clear ${props.label}`}
            title={`Clear ${props.label}`}
            disabled={props.disabled}
            onClick={() => props.onClear()}
          >
            ✕
          </button>
        </Show>
      </span>
    </div>
  );
}

/** A selected value as text: intervals as "lo – hi", categories and rows joined by commas (long lists shortened). */
export function selectionText(value: unknown, show: (v: unknown) => string): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    const parts = value.slice(0, 4).map(show);
    return value.length > 4 ? `${parts.join(', ')} … (${value.length})` : parts.join(', ');
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    return Object.entries(value as Record<string, unknown>).map(([axis, v]) => `${axis}: ${selectionText(v, show)}`).join(' · ');
  }
  return show(value);
}
