import { Show } from 'solid-js';
import type { CellError } from '../../runtime/protocol.ts';

/** A cell that waits (for a cell above that failed, or a table not loaded) rather than failing itself. */
export function isWaiting(error: CellError): boolean {
  return error.name === 'DependencyError' || error.name === 'WaitingError';
}

/**
 * A cell's error where it happened: name, message, notebook line, failing SQL,
 * what it waits on, a hint. `describe` turns the id of the cell waited on into
 * words for a person (its name and line); without it the id is shown.
 */
export function CellErrorView(props: { error: CellError; describe?: (cellId: string) => string }) {
  const waiting = () => isWaiting(props.error);
  return (
    <div class={`cell-error ${waiting() ? 'cell-error-waiting' : ''}`} role="alert">
      <div class="cell-error-head">
        <span class="cell-error-name">{waiting() ? 'Waiting' : props.error.name}</span>
        <Show when={props.error.line !== undefined}>
          <span class="cell-error-place">
            notebook line {props.error.line}
            {props.error.column !== undefined ? `:${props.error.column}` : ''}
          </span>
        </Show>
      </div>
      <div class="cell-error-message">{props.error.message}</div>
      <Show when={props.error.waitingOn}>
        {(id) => <div class="cell-error-waiting-on">Waiting on {props.describe ? props.describe(id()) : id()}</div>}
      </Show>
      <Show when={!waiting() && props.error.sql}>
        <pre class="cell-error-sql">{props.error.sql}</pre>
      </Show>
      <Show when={props.error.hint}>
        <div class="cell-error-hint">{props.error.hint}</div>
      </Show>
    </div>
  );
}
