import { Show } from 'solid-js';

/** `metric(label, value, {delta})`: a card with the value large and the delta coloured by its sign. */
export function MetricCard(props: { label: string; value: string; delta?: string; deltaSign?: -1 | 0 | 1 }) {
  const tone = () => (props.deltaSign === 1 ? 'up' : props.deltaSign === -1 ? 'down' : 'flat');
  const arrow = () => (props.deltaSign === 1 ? '▲' : props.deltaSign === -1 ? '▼' : '■');
  return (
    <div class="metric">
      <div class="metric-label">{props.label}</div>
      <div class="metric-value">{props.value}</div>
      <Show when={props.delta}>
        <div class={`metric-delta metric-${tone()}`}>
          <span aria-hidden="true">{arrow()}</span> {props.delta}
        </div>
      </Show>
    </div>
  );
}
