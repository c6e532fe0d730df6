import { For } from 'solid-js';
import type { Diagnostic } from '../notebook/types.ts';

/** Parse and compile problems of a cell, with their line and column in the notebook file. */
export function DiagnosticList(props: { diagnostics: Diagnostic[] }) {
  return (
    <ul class="diagnostics" aria-label="Problems">
      <For each={props.diagnostics}>
        {(d) => (
          <li class={`diagnostic diagnostic-${d.severity}`}>
            <span class="diagnostic-place">
              line {d.span.start.line}:{d.span.start.column}
            </span>
            <span class="diagnostic-message">{d.message}</span>
          </li>
        )}
      </For>
    </ul>
  );
}
