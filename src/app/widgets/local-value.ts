import { createEffect, createSignal, on, type Accessor } from 'solid-js';

/**
 * A control's displayed value: follows the spec when the runtime reports a
 * new value, but shows the person's choice immediately so a control never
 * snaps back while the runtime is still catching up.
 */
export function createLocalValue<T>(fromSpec: Accessor<T>): [Accessor<T>, (value: T) => void] {
  const [value, setValue] = createSignal<T>(fromSpec());
  createEffect(on(fromSpec, (next: T) => void setValue(() => next), { defer: true }));
  return [value, (next: T) => setValue(() => next)];
}
