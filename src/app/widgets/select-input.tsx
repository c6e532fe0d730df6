import { For, createEffect, createUniqueId } from 'solid-js';
import { choiceIndex, choicesOf } from '../widget-options.ts';
import type { ControlProps, Controls } from './control-props.ts';
import { createLocalValue } from './local-value.ts';

/** `select(label, options, {value, multiple})`: a native `<select>`, multiple when asked. */
export function SelectInput(props: ControlProps) {
  const id = createUniqueId();
  const choices = () => choicesOf(props.spec);
  const multiple = () => props.spec.options.multiple === true;
  const [value, setValue] = createLocalValue(() => props.spec.value);
  const selected = (index: number) => {
    const current = value();
    if (multiple()) return Array.isArray(current) && current.some((v) => choiceIndex(choices(), v) === index);
    return choiceIndex(choices(), current) === index;
  };
  let select!: HTMLSelectElement;
  // Set selection after the options exist and `multiple` is applied: options created
  // selected under a single-select would deselect each other, leaving only the last.
  createEffect(() => {
    choices();
    for (const option of select.options) option.selected = selected(Number(option.value));
  });
  const change = (event: Event) => {
    const select = event.currentTarget as HTMLSelectElement;
    const picked = [...select.selectedOptions].map((option) => choices()[Number(option.value)]?.value);
    const next = multiple() ? picked : picked[0];
    setValue(next);
    props.onValue(next);
  };
  return (
    <div class="control control-select">
      <label class="control-label" for={id}>{props.spec.label}</label>
      <select
        ref={select}
        id={id}
        multiple={multiple()}
        size={multiple() ? Math.min(6, Math.max(3, choices().length)) : undefined}
        disabled={props.disabled}
        onChange={change}
      >
        <For each={choices()}>
          {(choice, index) => (
            <option value={index()}>
              {choice.label}
            </option>
          )}
        </For>
      </select>
    </div>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { select: SelectInput };
