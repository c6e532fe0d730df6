import { Show, createEffect, createSignal, createUniqueId, onCleanup, untrack } from 'solid-js';
import { sanitizeFigure } from '../../client/sanitize.ts';
import { useSanitizeOptions } from '../notebook-context.ts';
import { chartDescription, markAfterKey } from './chart-access.ts';

interface Tip {
  text: string;
  x: number;
  y: number;
}

/**
 * A Plot figure. Plot's per-mark `<title>` elements become a styled floating
 * tip on hover and on keyboard focus. The chart is named for what it shows
 * (its title, caption or axes) and is one tab stop however many marks it
 * has: the arrow keys move between its marks, Home/End jump to the ends,
 * Escape goes back to the chart.
 */
export function FigureOutput(props: { html: string; width?: number }) {
  let root!: HTMLDivElement;
  const hintId = createUniqueId();
  const [tip, setTip] = createSignal<Tip>();
  const [label, setLabel] = createSignal('Chart');
  const [marks, setMarks] = createSignal<Element[]>([]);
  const options = useSanitizeOptions();
  createEffect(() => {
    // A re-render (a new width, new data) replaces the marks: a keyboard reader inside the chart
    // stays on the same mark, or on the chart, instead of being dropped onto the page's body.
    const active = document.activeElement;
    const focusedMark = active && root.contains(active) ? untrack(marks).indexOf(active) : undefined;
    root.innerHTML = sanitizeFigure(props.html, options);
    setMarks(adoptTitles(root));
    setLabel(chartDescription(root, marks().length));
    if (focusedMark === undefined) return;
    const again = marks()[focusedMark] as HTMLElement | SVGElement | undefined;
    (again ?? root).focus();
  });
  const place = (target: Element, x: number, y: number) => {
    const holder = target.closest<SVGElement | HTMLElement>('[data-brook-tip]');
    if (!holder || !root.contains(holder)) return setTip(undefined);
    const box = root.getBoundingClientRect();
    setTip({ text: holder.dataset.brookTip ?? '', x: x - box.left, y: y - box.top });
  };
  const onMove = (event: PointerEvent) => place(event.target as Element, event.clientX, event.clientY);
  const onFocus = (event: FocusEvent) => {
    const target = event.target as Element;
    const rect = target.getBoundingClientRect();
    place(target, rect.left + rect.width / 2, rect.top);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const all = marks();
    if (all.length === 0) return;
    const at = all.indexOf(event.target as Element);
    const next = markAfterKey(event.key, at, all.length);
    if (next === undefined) return;
    event.preventDefault();
    if (next < 0) root.focus();
    else (all[next] as HTMLElement | SVGElement).focus();
  };
  const hide = () => setTip(undefined);
  onCleanup(hide);
  return (
    <div class="figure-output" style={props.width ? { 'max-width': `${props.width}px` } : undefined}>
      <div
        ref={root}
        class="figure-content"
        role="figure"
        aria-label={label()}
        aria-describedby={marks().length > 0 ? hintId : undefined}
        tabindex={marks().length > 0 ? 0 : undefined}
        onPointerMove={onMove}
        onPointerLeave={hide}
        onFocusIn={onFocus}
        onFocusOut={hide}
        onKeyDown={onKeyDown}
      />
      <Show when={marks().length > 0}>
        <span id={hintId} class="sr-only">
          Use the arrow keys to go through its {marks().length} marks.
        </span>
      </Show>
      <Show when={tip()}>
        {(current) => (
          <div
            class="figure-tip"
            role="tooltip"
            style={{ left: `${current().x}px`, top: `${current().y}px` }}
          >
            {current().text}
          </div>
        )}
      </Show>
    </div>
  );
}

/**
 * Moves each `<title>` into a data attribute (so the native tooltip does not
 * double up) and labels its element, which the arrow keys can then reach
 * (`tabindex=-1`: the chart, not each mark, is the tab stop). Returns those
 * elements in document order.
 */
function adoptTitles(root: HTMLElement): Element[] {
  const marks: Element[] = [];
  for (const title of root.querySelectorAll('svg title')) {
    const owner = title.parentElement;
    const text = title.textContent?.trim();
    title.remove();
    if (!owner || !text) continue;
    owner.dataset.brookTip = text;
    // The chart's own svg keeps its tip on hover; the chart's name stays the description.
    if (owner.tagName === 'svg') continue;
    owner.setAttribute('aria-label', text);
    owner.setAttribute('tabindex', '-1');
    marks.push(owner);
  }
  return marks;
}
