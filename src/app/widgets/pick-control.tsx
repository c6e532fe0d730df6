import { createEffect, createMemo, createSignal } from 'solid-js';
import { keyLabel, keyText, type RowKey } from '../../widgets/selections.ts';
import { FigureOutput } from '../outputs/figure-output.tsx';
import type { ControlProps, Controls } from './control-props.ts';
import { SelectionHeader, selectionText } from './selection-header.tsx';

type Items = Record<string, { key: RowKey; text: string }>;

/** The saved keys a spec value holds (the runtime sends the keys it matched). */
function keysOf(value: unknown): RowKey[] {
  return Array.isArray(value) ? (value.filter((k) => k && typeof k === 'object') as RowKey[]) : [];
}

/**
 * `pick(label, figure, {multiple})`: a figure whose marks can be chosen with
 * a click or tap, or focused (Tab) and chosen with Enter or Space. Choosing
 * the chosen mark again, Escape or ✕ clears. The value sent is the chosen
 * rows' keys; the runtime gives the cell the rows themselves.
 */
export function PickControl(props: ControlProps) {
  const figure = () => props.spec.options.figure as { html: string; width?: number };
  // The cell re-runs on every choice with the same markup: a memo keeps the figure (and the focused mark) in place.
  const html = createMemo(() => figure().html);
  /** The mark last focused, refocused when a real re-render replaces it. */
  let focused: string | undefined;
  const items = () => (props.spec.options.items ?? {}) as Items;
  const multiple = () => props.spec.options.multiple === true;
  const [keys, setKeys] = createSignal<RowKey[]>(keysOf(props.spec.value));
  createEffect(() => setKeys(keysOf(props.spec.value)));
  let holder!: HTMLDivElement;

  const choose = (id: string) => {
    const item = items()[id];
    if (!item || props.disabled) return;
    const text = keyText(item.key);
    const chosen = keys().some((k) => keyText(k) === text);
    const next = multiple()
      ? (chosen ? keys().filter((k) => keyText(k) !== text) : [...keys(), item.key])
      : (chosen ? [] : [item.key]);
    setKeys(next);
    props.onValue(next);
  };
  const clear = () => {
    setKeys([]);
    props.onValue([]);
  };

  const view = <FigureOutput html={html()} width={figure().width} />;
  // After FigureOutput's own effect has put the markup in place: make marks choosable and show the choice.
  createEffect(() => {
    html();
    const chosen = new Set(keys().map(keyText));
    const root = holder.querySelector('.figure-content');
    root?.classList.toggle('has-pick', chosen.size > 0);
    for (const element of holder.querySelectorAll<SVGElement>('[data-brook-datum]')) {
      const item = items()[element.dataset.brookDatum ?? ''];
      if (!item) continue;
      const picked = chosen.has(keyText(item.key));
      element.classList.toggle('is-picked', picked);
      element.setAttribute('role', 'button');
      // A mark with a tip is reached with the chart's arrow keys (FigureOutput); one without is a tab stop of its own.
      if (!element.dataset.brookTip) element.setAttribute('tabindex', props.disabled ? '-1' : '0');
      element.setAttribute('aria-pressed', String(picked));
      if (!element.dataset.brookTip) element.setAttribute('aria-label', item.text);
    }
    if (focused && !holder.contains(document.activeElement)) {
      holder.querySelector<SVGElement>(`[data-brook-datum="${focused}"]`)?.focus();
    }
  });

  const target = (event: Event) => (event.target as Element).closest<SVGElement>('[data-brook-datum]');
  return (
    <div
      class="control control-pick"
      role="group"
      aria-label={props.spec.label}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && keys().length > 0) {
          event.preventDefault();
          clear();
          return;
        }
        if (event.key !== 'Enter' && event.key !== ' ') return;
        const element = target(event);
        if (!element) return;
        event.preventDefault();
        choose(element.dataset.brookDatum ?? '');
      }}
    >
      <SelectionHeader
        label={props.spec.label}
        text={selectionText(keys(), (k) => keyLabel(k as RowKey))}
        disabled={props.disabled}
        onClear={clear}
      />
      <div
        ref={holder}
        class="selection-figure"
        onFocusIn={(event) => (focused = target(event)?.dataset.brookDatum)}
        onFocusOut={(event) => {
          // A mark removed by a re-render stays the one to refocus; leaving the chart forgets it.
          if ((event.target as Element).isConnected && !holder.contains(event.relatedTarget as Node | null)) focused = undefined;
        }}
        onClick={(event) => {
          const element = target(event);
          if (element) choose(element.dataset.brookDatum ?? '');
        }}
      >
        {view}
      </div>
    </div>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { pick: PickControl };
