import { Index, createUniqueId } from 'solid-js';
import { choiceIndex, choicesOf } from '../widget-options.ts';
import type { ControlProps, Controls } from './control-props.ts';
import { createLocalValue } from './local-value.ts';

/** `radio(label, options)`: native radios in a fieldset (arrow keys move between them). */
export function RadioGroup(props: ControlProps) {
  const name = createUniqueId();
  const choices = () => choicesOf(props.spec);
  const [value, setValue] = createLocalValue(() => props.spec.value);
  return (
    <fieldset class="control control-radio" disabled={props.disabled}>
      <legend class="control-label">{props.spec.label}</legend>
      <div class="radio-options">
        {/* By position, not by object: every run of the cell brings new option objects, and inputs made
            anew for them would drop the focus (arrow keys stop) and a click landing as they are replaced. */}
        <Index each={choices()}>
          {(choice, index) => (
            <label class="radio-option">
              <input
                type="radio"
                name={name}
                checked={choiceIndex(choices(), value()) === index}
                onChange={() => {
                  setValue(choice().value);
                  props.onValue(choice().value);
                }}
              />
              <span>{choice().label}</span>
            </label>
          )}
        </Index>
      </div>
    </fieldset>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { radio: RadioGroup };
