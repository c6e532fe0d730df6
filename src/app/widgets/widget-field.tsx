import { Dynamic } from 'solid-js/web';
import type { Component } from 'solid-js';
import type { WidgetKind } from '../../runtime/protocol.ts';
import { ActionButton } from './action-button.tsx';
import { CheckboxInput } from './checkbox-input.tsx';
import type { ControlProps } from './control-props.ts';
import { DateInput } from './date-input.tsx';
import { FilePicker } from './file-picker.tsx';
import { FormGroup } from './form-group.tsx';
import { RadioGroup } from './radio-group.tsx';
import { RangeInput } from './range-input.tsx';
import { SelectInput } from './select-input.tsx';
import { SliderInput } from './slider-input.tsx';
import { TextInput } from './text-input.tsx';
import { ToggleSwitch } from './toggle-switch.tsx';

const CONTROLS: Record<WidgetKind, Component<ControlProps>> = {
  slider: SliderInput,
  range: RangeInput,
  number: TextInput,
  text: TextInput,
  textarea: TextInput,
  select: SelectInput,
  radio: RadioGroup,
  checkbox: CheckboxInput,
  toggle: ToggleSwitch,
  date: DateInput,
  button: ActionButton,
  file: FilePicker,
  form: FormGroup,
};

/** The control for any widget kind. */
export function WidgetField(props: ControlProps) {
  return <Dynamic component={CONTROLS[props.spec.kind] ?? TextInput} {...props} />;
}
