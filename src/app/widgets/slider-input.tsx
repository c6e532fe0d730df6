import { createUniqueId } from 'solid-js';
import { formatControlNumber as show } from '../value-format.ts';
import { numberOption } from '../widget-options.ts';
import type { ControlProps, Controls } from './control-props.ts';
import { createLocalValue } from './local-value.ts';

/** `slider(label, {min, max, step, value})`: a range input with its value shown; drags send every step. */
export function SliderInput(props: ControlProps) {
  const id = createUniqueId();
  const min = () => numberOption(props.spec, 'min', 0);
  const max = () => numberOption(props.spec, 'max', 100);
  const step = () => numberOption(props.spec, 'step', 1);
  const [value, setValue] = createLocalValue(() => Number(props.spec.value ?? min()));
  const change = (event: Event) => {
    const next = Number((event.currentTarget as HTMLInputElement).value);
    setValue(next);
    props.onValue(next);
  };
  return (
    <div class="control control-slider">
      <div class="control-label-row">
        <label class="control-label" for={id}>{props.spec.label}</label>
        <output class="control-value" for={id}>{show(value())}</output>
      </div>
      <input
        id={id}
        type="range"
        min={min()}
        max={max()}
        step={step()}
        value={value()}
        disabled={props.disabled}
        onInput={change}
        style={{ '--fill': `${((value() - min()) / (max() - min() || 1)) * 100}%` }}
      />
      <div class="control-scale" aria-hidden="true">
        <span>{show(min())}</span>
        <span>{show(max())}</span>
      </div>
    </div>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { slider: SliderInput };
