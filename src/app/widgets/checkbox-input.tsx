import type { ControlProps, Controls } from './control-props.ts';
import { createLocalValue } from './local-value.ts';

/** `checkbox(label, {value})`: a native checkbox wrapped in its label. */
export function CheckboxInput(props: ControlProps) {
  const [value, setValue] = createLocalValue(() => props.spec.value === true);
  return (
    <div class="control control-checkbox">
      <label class="check-label">
        <input
          type="checkbox"
          checked={value()}
          disabled={props.disabled}
          onChange={(event) => {
            setValue(event.currentTarget.checked);
            props.onValue(event.currentTarget.checked);
          }}
        />
        <span>{props.spec.label}</span>
      </label>
    </div>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { checkbox: CheckboxInput };
