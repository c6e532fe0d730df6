import { createUniqueId } from 'solid-js';
import type { ControlProps, Controls } from './control-props.ts';
import { createLocalValue } from './local-value.ts';

/** `date(label, {min, max, value})`: a native date input; values are `YYYY-MM-DD` strings. */
export function DateInput(props: ControlProps) {
  const id = createUniqueId();
  const [value, setValue] = createLocalValue(() => (typeof props.spec.value === 'string' ? props.spec.value : ''));
  const opt = (name: string) => (typeof props.spec.options[name] === 'string' ? (props.spec.options[name] as string) : undefined);
  return (
    <div class="control control-date">
      <label class="control-label" for={id}>{props.spec.label}</label>
      <input
        id={id}
        type="date"
        min={opt('min')}
        max={opt('max')}
        value={value()}
        disabled={props.disabled}
        onChange={(event) => {
          const next = event.currentTarget.value;
          setValue(next);
          if (next) props.onValue(next);
        }}
      />
    </div>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { date: DateInput };
