import { createEffect } from 'solid-js';

/**
 * A labelled `<progress>`: `fraction` 0..1, or `null` for an indeterminate
 * bar (work of unknown length). Used for file loads and for `progress()`.
 */
export function ProgressBar(props: { fraction: number | null; label: string }) {
  let bar!: HTMLProgressElement;
  // A progress element is indeterminate only without a `value` attribute; the property cannot express that.
  createEffect(() => {
    const fraction = props.fraction;
    if (fraction === null || !Number.isFinite(fraction)) bar.removeAttribute('value');
    else bar.value = Math.min(1, Math.max(0, fraction));
  });
  return <progress ref={bar} class="progress-bar" max="1" aria-label={props.label} />;
}
