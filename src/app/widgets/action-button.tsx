import type { ControlProps, Controls } from './control-props.ts';

/** `button(label)`: each press is one click for the runtime (the value is `true` only on the run it starts). */
export function ActionButton(props: ControlProps) {
  return (
    <div class="control control-button">
      <button
        type="button"
        class="button button-primary"
        disabled={props.disabled}
        onClick={() => props.onValue(true)}
      >
        {props.spec.label}
      </button>
    </div>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { button: ActionButton };
