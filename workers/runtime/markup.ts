/**
 * The `md` and `html` tagged templates. They return marker objects that the
 * output conversion recognizes; the page sanitizes what they hold, so nothing
 * here tries to be a sanitizer. Interpolated strings are escaped in `html`
 * (like Observable's `htl`) so a value is text unless it is markup already.
 */

/** Markdown text produced by `md\`…\``. */
export class Markdown {
  constructor(readonly markdown: string) {}
  toString(): string {
    return this.markdown;
  }
}

/** HTML text produced by `html\`…\``. */
export class Html {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** An element built off-page (linkedom, e.g. a Plot figure): anything with `outerHTML` and an element node type. */
export function isElementLike(value: unknown): value is { outerHTML: string; getAttribute?(name: string): string | null } {
  return typeof value === 'object' && value !== null && (value as { nodeType?: unknown }).nodeType === 1 &&
    typeof (value as { outerHTML?: unknown }).outerHTML === 'string';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function interpolate(value: unknown, asHtml: boolean): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.html;
  if (value instanceof Markdown) return asHtml ? escapeHtml(value.markdown) : value.markdown;
  if (isElementLike(value)) return value.outerHTML;
  if (Array.isArray(value)) return value.map((item) => interpolate(item, asHtml)).join('');
  return asHtml ? escapeHtml(String(value)) : String(value);
}

function joinTemplate(strings: readonly string[], values: unknown[], asHtml: boolean): string {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) text += interpolate(values[i], asHtml) + (strings[i + 1] ?? '');
  return text;
}

/** `md\`# Title ${x}\`` → Markdown. Also callable as `md(text)`. */
export function md(strings: TemplateStringsArray | string, ...values: unknown[]): Markdown {
  return new Markdown(typeof strings === 'string' ? strings : joinTemplate(strings, values, false));
}

/** `html\`<b>${x}</b>\`` → Html (interpolated strings escaped). Also callable as `html(text)`. */
export function html(strings: TemplateStringsArray | string, ...values: unknown[]): Html {
  return new Html(typeof strings === 'string' ? strings : joinTemplate(strings, values, true));
}
