import { createEffect, createSignal, on, type Accessor } from 'solid-js';

/** A value as text, to recognize a value coming back (values crossed a structured clone, so identity is lost). */
function textOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A control's displayed value: follows the spec when the runtime reports a
 * new value, but shows the person's choice immediately so a control never
 * snaps back while the runtime is still catching up. A spec that only echoes
 * a value this control has since replaced (the run for the first of several
 * quick changes) is not shown: the control would flicker back, and a choice
 * built on it (a second pick in a multi-select) would drop the one between.
 */
export function createLocalValue<T>(fromSpec: Accessor<T>): [Accessor<T>, (value: T) => void] {
  const [value, setValue] = createSignal<T>(fromSpec());
  /** Values set here that a run may still report back, oldest first. */
  let sent: string[] = [];
  createEffect(
    on(
      fromSpec,
      (next: T) => {
        // The last match: runs of superseded values may never report, and the newest value wins anyway.
        const at = sent.lastIndexOf(textOf(next));
        sent = at >= 0 ? sent.slice(at + 1) : [];
        // A value set here and replaced since: the run of an older change.
        if (at >= 0 && sent.length > 0) return;
        setValue(() => next);
      },
      { defer: true },
    ),
  );
  return [value, (next: T) => {
    sent.push(textOf(next));
    setValue(() => next);
  }];
}
