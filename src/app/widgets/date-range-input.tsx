import { createUniqueId } from 'solid-js';
import type { ControlProps, Controls } from './control-props.ts';
import { createLocalValue } from './local-value.ts';
import './date-range-input.css';

type Range = [string, string];

/** The spec's `[from, to]`, or two empty fields when it is not one (the runtime sends a checked range). */
function rangeOf(value: unknown): Range {
  return Array.isArray(value) && value.length === 2 && value.every((d) => typeof d === 'string') ? [value[0], value[1]] : ['', ''];
}

/**
 * `dateRange(label, {value: [from, to], min, max})`: two native date fields
 * ("From", "To") in one labelled group. Each works with the keyboard and the
 * browser's calendar; the ends cannot cross (moving one past the other moves
 * both) and stay inside `[min, max]`. Values are `YYYY-MM-DD` strings.
 */
export function DateRangeInput(props: ControlProps) {
  const id = createUniqueId();
  const [value, setValue] = createLocalValue(() => rangeOf(props.spec.value));
  const bound = (name: 'min' | 'max') => (typeof props.spec.options[name] === 'string' ? (props.spec.options[name] as string) : undefined);
  const clamp = (day: string) => {
    const [min, max] = [bound('min'), bound('max')];
    return min !== undefined && day < min ? min : max !== undefined && day > max ? max : day;
  };
  const set = (which: 0 | 1) => (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    // A half-typed or cleared field: keep the last whole range (the field shows what is being typed).
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.value)) return;
    const day = clamp(input.value);
    const [from, to] = value();
    const next: Range = which === 0 ? [day, day > to ? day : to] : [day < from ? day : from, day];
    input.value = next[which];
    setValue(next);
    props.onValue(next);
  };
  /** One end's field, named "<label> from" / "<label> to" for assistive tech. */
  const end = (which: 0 | 1, name: string) => (
    <label class="date-range-end" for={`${id}-${which}`}>
      <span class="date-range-name">{name}</span>
      <input
        id={`${id}-${which}`}
        type="date"
        aria-label={`${props.spec.label} ${name.toLowerCase()}`}
        min={bound('min')}
        max={bound('max')}
        value={value()[which]}
        onChange={set(which)}
      />
    </label>
  );
  return (
    <fieldset class="control control-date-range" disabled={props.disabled}>
      <legend class="control-label">{props.spec.label}</legend>
      <div class="date-range-fields">
        {end(0, 'From')}
        <span class="date-range-dash" aria-hidden="true">–</span>
        {end(1, 'To')}
      </div>
    </fieldset>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { dateRange: DateRangeInput };
