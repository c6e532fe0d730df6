import { Dynamic } from 'solid-js/web';
import type { Component } from 'solid-js';
import type { WidgetKind } from '../../runtime/protocol.ts';
import type { ControlProps, Controls } from './control-props.ts';
import { TextInput } from './text-input.tsx';

const modules = import.meta.glob<{ controls?: Controls }>(['./*.tsx', '!./widget-field.tsx', '!./widget-output.tsx'], { eager: true });
let collected: Controls | undefined;

/**
 * Every control, by widget kind: the `controls` export of each control file
 * in this folder (Vite collects them at build time), so adding a kind's
 * control touches no list. Read at first render, not at load: `form-group`
 * imports this file back.
 */
function controls(): Controls {
  collected ??= Object.assign({}, ...Object.values(modules).map((module) => module.controls ?? {})) as Controls;
  return collected;
}

/** The control for any widget kind (a kind with no control shows as a text input, never as nothing). */
export function WidgetField(props: ControlProps) {
  return <Dynamic component={(controls()[props.spec.kind as WidgetKind] ?? TextInput) as Component<ControlProps>} {...props} />;
}
