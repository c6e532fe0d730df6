import { Index } from 'solid-js';
import type { WidgetSpec } from '../../runtime/protocol.ts';
import { fieldName } from '../widget-options.ts';
import type { ControlProps, Controls } from './control-props.ts';
import { WidgetField } from './widget-field.tsx';

/**
 * `form(label, {field: widget, …})`: fields change only local state; Submit
 * sends all of them at once as `{field: value}`, so nothing re-runs while the
 * person is still filling the form in.
 */
export function FormGroup(props: ControlProps) {
  const pending = new Map<string, unknown>();
  const fields = () => props.spec.fields ?? [];
  const initial = (): Record<string, unknown> => {
    const current = props.spec.value && typeof props.spec.value === 'object' ? (props.spec.value as Record<string, unknown>) : {};
    return Object.fromEntries(fields().map((f) => [fieldName(f), current[fieldName(f)] ?? f.value]));
  };
  const withValue = (field: WidgetSpec): WidgetSpec => ({ ...field, value: initial()[fieldName(field)] });
  return (
    <form
      class="control control-form"
      aria-label={props.spec.label}
      onSubmit={(event) => {
        event.preventDefault();
        props.onValue({ ...initial(), ...Object.fromEntries(pending) });
      }}
    >
      <div class="form-title">{props.spec.label}</div>
      <div class="form-fields">
        {/* By position: a run's new field objects keep the same controls (and the focus). */}
        <Index each={fields()}>
          {(field) => (
            <WidgetField
              spec={withValue(field())}
              disabled={props.disabled}
              onValue={(value) => pending.set(fieldName(field()), value)}
            />
          )}
        </Index>
      </div>
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={props.disabled}>
          Submit
        </button>
      </div>
    </form>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { form: FormGroup };
