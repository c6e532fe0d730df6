import { Match, Switch, createUniqueId } from 'solid-js';
import type { ControlProps, Controls } from './control-props.ts';
import { createLocalValue } from './local-value.ts';

/**
 * `text`, `textarea` and `number` widgets. Text sends on every keystroke
 * (the runtime coalesces); a number sends only when it parses.
 */
export function TextInput(props: ControlProps) {
  const id = createUniqueId();
  const [value, setValue] = createLocalValue(() => (props.spec.value ?? '') as string | number);
  const placeholder = () => (typeof props.spec.options.placeholder === 'string' ? props.spec.options.placeholder : undefined);
  const onText = (event: Event) => {
    const text = (event.currentTarget as HTMLInputElement | HTMLTextAreaElement).value;
    setValue(text);
    props.onValue(text);
  };
  const onNumber = (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    if (input.value === '' || Number.isNaN(input.valueAsNumber)) return;
    setValue(input.valueAsNumber);
    props.onValue(input.valueAsNumber);
  };
  const opt = (name: string) => (typeof props.spec.options[name] === 'number' ? (props.spec.options[name] as number) : undefined);
  return (
    <div class={`control control-${props.spec.kind}`}>
      <label class="control-label" for={id}>{props.spec.label}</label>
      <Switch>
        <Match when={props.spec.kind === 'textarea'}>
          <textarea
            id={id}
            rows={opt('rows') ?? 4}
            placeholder={placeholder()}
            value={String(value())}
            disabled={props.disabled}
            onInput={onText}
          />
        </Match>
        <Match when={props.spec.kind === 'number'}>
          <input
            id={id}
            type="number"
            inputmode="decimal"
            min={opt('min')}
            max={opt('max')}
            step={opt('step') ?? 'any'}
            placeholder={placeholder()}
            value={String(value())}
            disabled={props.disabled}
            onInput={onNumber}
          />
        </Match>
        <Match when={true}>
          <input
            id={id}
            type="text"
            placeholder={placeholder()}
            value={String(value())}
            disabled={props.disabled}
            onInput={onText}
          />
        </Match>
      </Switch>
    </div>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { number: TextInput, text: TextInput, textarea: TextInput };
