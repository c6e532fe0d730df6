import { Show, createSignal, createUniqueId } from 'solid-js';
import type { ControlProps } from './control-props.ts';

/**
 * `file(label, {accept})`: a native file input. The `File` itself is the
 * value; the session ingests it into a table and sets the table reference.
 */
export function FilePicker(props: ControlProps) {
  const id = createUniqueId();
  const [name, setName] = createSignal<string>(
    props.spec.value && typeof props.spec.value === 'object' && 'name' in props.spec.value
      ? String((props.spec.value as { name: unknown }).name)
      : '',
  );
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
            setName(file.name);
            props.onValue(file);
          }}
        />
        <Show when={name()}>
          <span class="file-name">{name()}</span>
        </Show>
      </div>
    </div>
  );
}
