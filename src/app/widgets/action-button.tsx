import type { ControlProps } from './control-props.ts';

/** `button(label)`: each press sends the press count, so the cells below re-run once per press. */
export function ActionButton(props: ControlProps) {
  return (
    <div class="control control-button">
      <button
        type="button"
        class="button button-primary"
        disabled={props.disabled}
        onClick={() => props.onValue((typeof props.spec.value === 'number' ? props.spec.value : 0) + 1)}
      >
        {props.spec.label}
      </button>
    </div>
  );
}
