import { Show } from 'solid-js';
import { ProgressBar } from '../progress-bar.tsx';

/** A cell's `progress()` bar: its label, the bar, and how far it is as a percentage (or "…" when unknown). */
export function ProgressOutput(props: { label: string; value: number | null; max: number }) {
  const fraction = () => (props.value === null || !(props.max > 0) ? null : props.value / props.max);
  const percent = () => {
    const f = fraction();
    return f === null ? '…' : `${Math.floor(Math.min(1, Math.max(0, f)) * 100)}%`;
  };
  return (
    <div class="progress-output">
      <div class="progress-head">
        <Show when={props.label}>
          <span class="progress-label">{props.label}</span>
        </Show>
        <span class="progress-percent" aria-hidden="true">{percent()}</span>
      </div>
      <ProgressBar fraction={fraction()} label={props.label || 'Progress'} />
    </div>
  );
}
