import { Index, Show, createEffect, createUniqueId } from 'solid-js';
import { choiceIndex, choicesOf } from '../widget-options.ts';
import type { ControlProps, Controls } from './control-props.ts';
import { createLocalValue } from './local-value.ts';
import { MultiSelect } from './multi-select.tsx';

/** `select(label, options, {value})`: a native `<select>`. */
function SingleSelect(props: ControlProps) {
  const id = createUniqueId();
  const choices = () => choicesOf(props.spec);
  const [value, setValue] = createLocalValue(() => props.spec.value);
  let select!: HTMLSelectElement;
  // Select after the options exist, so a re-render of the options keeps the choice.
  createEffect(() => {
    const index = choiceIndex(choices(), value());
    for (const option of select.options) option.selected = Number(option.value) === index;
  });
  const change = (event: Event) => {
    const next = choices()[Number((event.currentTarget as HTMLSelectElement).value)]?.value;
    setValue(next);
    props.onValue(next);
  };
  return (
    <div class="control control-select">
      <label class="control-label" for={id}>{props.spec.label}</label>
      <select ref={select} id={id} disabled={props.disabled} onChange={change}>
        {/* By position: a run's new option objects keep the same <option> elements (and the open list). */}
        <Index each={choices()}>{(choice, index) => <option value={index}>{choice().label}</option>}</Index>
      </select>
    </div>
  );
}

/** `select(label, options, {value, multiple})`: a native select, or with `multiple` a searchable combobox with chips. */
export function SelectInput(props: ControlProps) {
  return (
    <Show when={props.spec.options.multiple === true} fallback={<SingleSelect {...props} />}>
      <MultiSelect {...props} />
    </Show>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { select: SelectInput };
