import { createEffect, createSignal } from 'solid-js';
import type { TableOutput } from '../../runtime/protocol.ts';
import { keyLabel, keyText, rowKey, type RowKey } from '../../widgets/selections.ts';
import { TableView } from '../outputs/table-view.tsx';
import type { ControlProps, Controls } from './control-props.ts';
import { SelectionHeader } from './selection-header.tsx';

/**
 * `table(data, {select, label})`: the sortable, virtualized table with a
 * checkbox per row (keyboard: Tab to it, Space to toggle). The value sent is
 * the chosen rows' keys (their identifying fields), so a choice survives
 * sorting here and re-sorting or re-querying upstream.
 */
export function TableSelect(props: ControlProps) {
  const fields = () => (props.spec.options.keyFields as string[] | undefined) ?? [];
  const multiple = () => props.spec.options.multiple === true;
  const keysOf = (value: unknown) => (Array.isArray(value) ? (value as RowKey[]) : []);
  const [keys, setKeys] = createSignal<RowKey[]>(keysOf(props.spec.value));
  createEffect(() => setKeys(keysOf(props.spec.value)));
  const chosen = () => new Set(keys().map(keyText));
  const send = (next: RowKey[]) => {
    setKeys(next);
    props.onValue(next);
  };
  const toggle = (row: Record<string, unknown>) => {
    const key = rowKey(row, fields());
    const text = keyText(key);
    const on = chosen().has(text);
    send(multiple() ? (on ? keys().filter((k) => keyText(k) !== text) : [...keys(), key]) : on ? [] : [key]);
  };
  const text = () => {
    const list = keys();
    if (list.length === 0) return null;
    return list.length <= 2 ? list.map(keyLabel).join(', ') : `${list.length} rows`;
  };
  return (
    <div class="control control-table" role="group" aria-label={props.spec.label}>
      <SelectionHeader label={props.spec.label} text={text()} disabled={props.disabled} onClear={() => send([])} />
      <TableView
        table={props.spec.options.table as TableOutput}
        selection={{
          label: props.spec.label,
          multiple: multiple(),
          disabled: props.disabled,
          isSelected: (row) => chosen().has(keyText(rowKey(row, fields()))),
          toggle,
        }}
      />
    </div>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { table: TableSelect };
