import { createEffect, createMemo, createSignal } from 'solid-js';
import { sanitizeHtml } from '../../client/sanitize.ts';
import { useSanitizeOptions } from '../notebook-context.ts';
import { hasHoleMarker, joinWithHoleMarkers, markdownToHtml, splitHoleMarkers, stripHoleMarkers } from '../markdown-render.ts';

/**
 * A markdown cell. The markdown is rendered and sanitized once per edit; the
 * `${}` hole values are then written into placeholder spans as text, so a
 * value can never become markup and a new value never re-renders the prose.
 */
export function MarkdownView(props: { parts: string[]; values?: string[] }) {
  let root!: HTMLDivElement;
  const options = useSanitizeOptions();
  const html = createMemo(() => sanitizeHtml(markdownToHtml(joinWithHoleMarkers(props.parts)), options));
  const [holes, setHoles] = createSignal<HTMLElement[]>([]);
  createEffect(() => {
    root.innerHTML = html();
    setHoles(replaceMarkers(root));
  });
  createEffect(() => {
    const values = props.values;
    for (const [index, span] of holes().entries()) {
      const value = values?.[index];
      span.textContent = value ?? '…';
      span.classList.toggle('md-hole-pending', value === undefined);
    }
  });
  return <div class="markdown" ref={root} />;
}

/** Swaps every hole marker in text nodes for an empty span; strips markers from attributes. Returns spans by hole index. */
function replaceMarkers(root: HTMLElement): HTMLElement[] {
  const spans: HTMLElement[] = [];
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (hasHoleMarker(node.nodeValue ?? '')) texts.push(node as Text);
  }
  for (const text of texts) {
    const fragment = root.ownerDocument.createDocumentFragment();
    for (const piece of splitHoleMarkers(text.nodeValue ?? '')) {
      if (typeof piece === 'string') {
        fragment.append(piece);
      } else {
        const span = root.ownerDocument.createElement('span');
        span.className = 'md-hole';
        spans[piece.hole] = span;
        fragment.append(span);
      }
    }
    text.replaceWith(fragment);
  }
  for (const element of root.querySelectorAll('*')) {
    for (const attribute of [...element.attributes]) {
      if (hasHoleMarker(attribute.value)) element.setAttribute(attribute.name, stripHoleMarkers(attribute.value));
    }
  }
  return spans;
}
