import type { ControlProps, Controls } from './control-props.ts';
import { createLocalValue } from './local-value.ts';

/** `toggle(label)`: a `role="switch"` button (Space/Enter flip it). */
export function ToggleSwitch(props: ControlProps) {
  const [value, setValue] = createLocalValue(() => props.spec.value === true);
  return (
    <div class="control control-toggle">
      <button
        type="button"
        role="switch"
        class="switch"
        aria-checked={value()}
        disabled={props.disabled}
        onClick={() => {
          const next = !value();
          setValue(next);
          props.onValue(next);
        }}
      >
        <span class="switch-track" aria-hidden="true">
          <span class="switch-thumb" />
        </span>
        <span class="switch-label">{props.spec.label}</span>
      </button>
    </div>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { toggle: ToggleSwitch };
