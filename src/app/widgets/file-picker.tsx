import { Show, createSignal, createUniqueId } from 'solid-js';
import type { ControlProps, Controls } from './control-props.ts';

/**
 * `file(label, {accept})`: a native file input. The `File` itself is the
 * value; the session ingests it into a table and sets the table reference.
 */
export function FilePicker(props: ControlProps) {
  const id = createUniqueId();
  const restoredName =
    props.spec.value && typeof props.spec.value === 'object' && 'name' in props.spec.value
      ? String((props.spec.value as { name: unknown }).name)
      : '';
  // The input shows a file picked in this page itself; the name is shown for a value restored from the last visit.
  const [picked, setPicked] = createSignal(false);
  const accept = () => (typeof props.spec.options.accept === 'string' ? props.spec.options.accept : undefined);
  return (
    <div class="control control-file">
      <label class="control-label" for={id}>{props.spec.label}</label>
      <div class="file-row">
        <input
          id={id}
          type="file"
          accept={accept()}
          disabled={props.disabled}
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (!file) return;
            setPicked(true);
            props.onValue(file);
          }}
        />
        <Show when={restoredName && !picked()}>
          <span class="file-name">{restoredName}</span>
        </Show>
      </div>
    </div>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { file: FilePicker };
