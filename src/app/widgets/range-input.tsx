import { createUniqueId } from 'solid-js';
import { formatControlNumber as show } from '../value-format.ts';
import { numberOption, rangeValue } from '../widget-options.ts';
import type { ControlProps, Controls } from './control-props.ts';
import { createLocalValue } from './local-value.ts';

/**
 * `range(label, {min, max, value: [lo, hi]})`: two labelled range inputs
 * (low and high); each is keyboard-operable on its own and they cannot cross.
 */
export function RangeInput(props: ControlProps) {
  const id = createUniqueId();
  const min = () => numberOption(props.spec, 'min', 0);
  const max = () => numberOption(props.spec, 'max', 100);
  const step = () => numberOption(props.spec, 'step', 1);
  const [value, setValue] = createLocalValue(() => rangeValue(props.spec.value, min(), max()));
  const set = (which: 0 | 1) => (event: Event) => {
    const n = Number((event.currentTarget as HTMLInputElement).value);
    const [lo, hi] = value();
    const next: [number, number] = which === 0 ? [Math.min(n, hi), hi] : [lo, Math.max(n, lo)];
    setValue(next);
    props.onValue(next);
  };
  const percent = (n: number) => `${((n - min()) / (max() - min() || 1)) * 100}%`;
  return (
    <fieldset class="control control-range" disabled={props.disabled}>
      <div class="control-label-row">
        <legend class="control-label" id={`${id}-legend`}>{props.spec.label}</legend>
        <output class="control-value">
          {show(value()[0])} – {show(value()[1])}
        </output>
      </div>
      <div class="range-track" style={{ '--lo': percent(value()[0]), '--hi': percent(value()[1]) }}>
        <input
          type="range"
          aria-label={`${props.spec.label} minimum`}
          min={min()}
          max={max()}
          step={step()}
          value={value()[0]}
          onInput={set(0)}
        />
        <input
          type="range"
          aria-label={`${props.spec.label} maximum`}
          min={min()}
          max={max()}
          step={step()}
          value={value()[1]}
          onInput={set(1)}
        />
      </div>
      <div class="control-scale" aria-hidden="true">
        <span>{show(min())}</span>
        <span>{show(max())}</span>
      </div>
    </fieldset>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { range: RangeInput };
