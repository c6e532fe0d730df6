import { Show, createEffect, createSignal, onCleanup } from 'solid-js';
import { sanitizeFigure } from '../../client/sanitize.ts';
import { useSanitizeOptions } from '../notebook-context.ts';

/** Marks with more titled elements than this are not made focusable one by one (keyboard users would tab forever). */
const MAX_FOCUSABLE_TIPS = 300;

interface Tip {
  text: string;
  x: number;
  y: number;
}

/**
 * A Plot figure. Plot's per-mark `<title>` elements become a styled floating
 * tip on hover, and on keyboard focus when the figure is small enough.
 */
export function FigureOutput(props: { html: string; width?: number }) {
  let root!: HTMLDivElement;
  const [tip, setTip] = createSignal<Tip>();
  const options = useSanitizeOptions();
  createEffect(() => {
    root.innerHTML = sanitizeFigure(props.html, options);
    adoptTitles(root);
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
  const hide = () => setTip(undefined);
  onCleanup(hide);
  return (
    <div class="figure-output" style={props.width ? { 'max-width': `${props.width}px` } : undefined}>
      <div ref={root} class="figure-content" onPointerMove={onMove} onPointerLeave={hide} onFocusIn={onFocus} onFocusOut={hide} />
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

/** Moves each `<title>` into a data attribute (so the native tooltip does not double up) and labels the element. */
function adoptTitles(root: HTMLElement): void {
  const titles = [...root.querySelectorAll('svg title')];
  const focusable = titles.length <= MAX_FOCUSABLE_TIPS;
  for (const title of titles) {
    const owner = title.parentElement;
    const text = title.textContent?.trim();
    if (!owner || !text) continue;
    owner.dataset.brookTip = text;
    owner.setAttribute('aria-label', text);
    if (focusable && owner.tagName !== 'svg') owner.setAttribute('tabindex', '0');
    title.remove();
  }
}
