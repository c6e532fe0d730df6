/**
 * Sanitizing of everything markup-shaped a notebook produces, on the page,
 * right before it is inserted: `html\`…\`` output, rendered Markdown, and
 * Plot figures (SVG/HTML serialized in the runtime worker).
 *
 * Notebook code is untrusted (see docs/security.md). It must not run script
 * on the page, restyle or cover the page's own UI (overlay phishing), submit
 * forms, or — when the notebook's network is blocked — make the page load
 * remote resources on its behalf (an `<img src>` is a network request too).
 *
 * Text is never markup: table cells, column, file and table names must be set
 * with `textContent` (or Solid's text interpolation), never through these
 * functions or `innerHTML`.
 *
 * DOMPurify needs a DOM; these run on the page. `createSanitizer(window)`
 * exists so tests and other windows can supply their own.
 */
import DOMPurify, { type Config, type DOMPurify as Purifier, type WindowLike } from 'dompurify';

export interface SanitizeOptions {
  /**
   * Strip attributes and styles that make the page load remote resources
   * (`src`, `srcset`, `poster`, CSS `url()`), so a notebook whose network is
   * blocked cannot leak data through the page. Links stay (they need a click).
   */
  blockRemote?: boolean;
}

export interface Sanitizer {
  /** Sanitizes `html` output and rendered Markdown. Returns safe markup. */
  sanitizeHtml(html: string, options?: SanitizeOptions): string;
  /** Sanitizes a Plot figure (SVG, or Plot's HTML `<figure>` with legends). Returns safe markup. */
  sanitizeFigure(svgOrHtml: string, options?: SanitizeOptions): string;
}

/** Elements that load, navigate, submit, embed or restyle the page: never allowed in `html` output. */
const HTML_FORBIDDEN_TAGS = [
  'script', 'style', 'link', 'meta', 'base', 'title',
  'form', 'input', 'textarea', 'select', 'button', 'option',
  'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal', 'fencedframe',
  'foreignObject', 'template', 'noscript', 'dialog',
];

/** Attributes that submit, ping or embed documents. */
const FORBIDDEN_ATTRIBUTES = ['action', 'formaction', 'ping', 'srcdoc', 'form', 'popover', 'popovertarget'];

/** Attributes holding a URL that the browser fetches without a click. */
const RESOURCE_ATTRIBUTES = ['src', 'srcset', 'imagesrcset', 'poster', 'background', 'data', 'xlink:href', 'href', 'lowsrc', 'dynsrc'];

/** Candidate lists of URLs: checked as a whole (dropped when any remote load is blocked). */
const SRCSET_ATTRIBUTES = new Set(['srcset', 'imagesrcset']);

/**
 * Class names a notebook may keep: Plot's generated `plot-…` classes (its
 * scoped `<style>` needs them) and Markdown's `language-…` on code blocks.
 * Every other class is dropped, so notebook markup cannot borrow the page's
 * CSS (`class="drop-overlay"` is `position: fixed; inset: 0; z-index: 100`)
 * to cover the page or draw a pixel-identical copy of its dialogs.
 */
const NOTEBOOK_CLASS = /^(?:plot(?:-[\w-]*)?|language-[\w-]+)$/;

/** `data:` URLs are allowed only as images (which never run script), only on image elements. */
const DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|avif|bmp|svg\+xml)[;,]/i;
const IMAGE_ELEMENTS = new Set(['img', 'image', 'source']);

/** Largest z-index a notebook may use; more than this only serves to cover the page. */
const MAX_Z_INDEX = 10;

const HTML_CONFIG: Config = {
  FORBID_TAGS: HTML_FORBIDDEN_TAGS,
  FORBID_ATTR: FORBIDDEN_ATTRIBUTES,
  ALLOW_UNKNOWN_PROTOCOLS: false,
};

const FIGURE_CONFIG: Config = {
  USE_PROFILES: { html: true, svg: true, svgFilters: true },
  // Plot figures carry a scoped `<style>`; it is vetted by `isScopedPlotStyle`.
  FORBID_TAGS: HTML_FORBIDDEN_TAGS.filter((tag) => tag !== 'style' && tag !== 'title'),
  FORBID_ATTR: FORBIDDEN_ATTRIBUTES,
  ALLOW_UNKNOWN_PROTOCOLS: false,
};

/**
 * Builds a sanitizer bound to a window. Each call makes its own DOMPurify
 * instances, because DOMPurify hooks are per instance and the two profiles
 * need different ones.
 */
export function createSanitizer(window: WindowLike): Sanitizer {
  const base = pageBase(window);
  const html = configure(DOMPurify(window), 'html', base);
  const figure = configure(DOMPurify(window), 'figure', base);
  return {
    sanitizeHtml: (markup, options = {}) => run(html, markup, HTML_CONFIG, options),
    sanitizeFigure: (markup, options = {}) => run(figure, markup, FIGURE_CONFIG, options),
  };
}

let pageSanitizer: Sanitizer | null = null;

/** The sanitizer for this page's window, made on first use (module load must not need a DOM). */
function page(): Sanitizer {
  pageSanitizer ??= createSanitizer(globalThis as unknown as WindowLike);
  return pageSanitizer;
}

/**
 * Sanitizes `html\`…\`` output and rendered Markdown for insertion with `innerHTML`.
 * Never use it for plain text (cells, names): set those with `textContent`.
 */
export function sanitizeHtml(html: string, options?: SanitizeOptions): string {
  return page().sanitizeHtml(html, options);
}

/**
 * Sanitizes a Plot figure (SVG, or HTML `<figure>` with legends) for insertion
 * with `innerHTML`. Plot's own scoped `<style>` survives; any other does not.
 */
export function sanitizeFigure(svgOrHtml: string, options?: SanitizeOptions): string {
  return page().sanitizeFigure(svgOrHtml, options);
}

// ─── internals ──────────────────────────────────────────────────────────────

/** Options of the current `sanitize` call, read by the hooks (DOMPurify runs synchronously). */
interface CallState {
  blockRemote: boolean;
}

const callStates = new WeakMap<Purifier, CallState>();

function run(purifier: Purifier, markup: string, config: Config, options: SanitizeOptions): string {
  // DOMPurify returns its input untouched when the DOM it got is not good enough; fail closed instead.
  if (!purifier.isSupported) return escapeText(markup);
  callStates.set(purifier, { blockRemote: options.blockRemote ?? false });
  return String(purifier.sanitize(markup, { ...config, RETURN_TRUSTED_TYPE: false }));
}

/** Shows markup as inert text (the fallback when no usable DOM exists). */
function escapeText(markup: string): string {
  return markup.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The page's base URL and origin, against which every URL attribute is
 * resolved the way the browser will resolve it. Without one (no usable
 * `document`), every non-fragment URL counts as remote (fail closed).
 */
interface PageBase {
  base: string;
  origin: string;
}

function pageBase(window: WindowLike): PageBase | null {
  try {
    const doc = (window as unknown as { document?: Document }).document;
    const base = doc?.baseURI;
    if (!base || !/^https?:/i.test(base)) return null;
    return { base, origin: new URL(base).origin };
  } catch {
    return null;
  }
}

function configure(purifier: Purifier, profile: 'html' | 'figure', base: PageBase | null): Purifier {
  purifier.addHook('uponSanitizeElement', (node, data) => {
    if (profile !== 'figure' || data.tagName !== 'style') return;
    if (!isScopedPlotStyle(node.textContent ?? '')) node.parentNode?.removeChild(node);
  });
  purifier.addHook('afterSanitizeAttributes', (node) => {
    if (!isElement(node)) return;
    const state = callStates.get(purifier) ?? { blockRemote: false };
    const tag = node.localName.toLowerCase();
    cleanUrls(node, tag, state, base);
    cleanClasses(node);
    cleanStyle(node, state);
    if ((tag === 'a' || tag === 'area') && isNavigatingLink(node)) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  return purifier;
}

function isElement(node: Node): node is Element {
  return node.nodeType === 1;
}

/** Links to another document open in a new tab; in-page fragment links stay. */
function isNavigatingLink(element: Element): boolean {
  const href = element.getAttribute('href') ?? element.getAttribute('xlink:href');
  return href !== null && !href.trim().startsWith('#');
}

/**
 * Removes `data:` URLs other than images, `<use>` of external documents, and
 * (when blocked) every URL the browser would load from another origin. The
 * value is resolved with the browser's own URL parser against the page, so
 * `/\host`, `\/host`, tabs and newlines inside the scheme all resolve to
 * what the browser would fetch. `srcset` lists are dropped when blocked.
 */
function cleanUrls(element: Element, tag: string, state: CallState, base: PageBase | null): void {
  for (const name of RESOURCE_ATTRIBUTES) {
    const value = element.getAttribute(name);
    if (value === null) continue;
    // Browsers ignore ASCII whitespace and control characters around URLs; so must the check.
    const url = value.replace(/[\u0000-\u0020]/g, '');
    const isLink = (tag === 'a' || tag === 'area') && (name === 'href' || name === 'xlink:href');
    if (/^data:/i.test(url) && !(IMAGE_ELEMENTS.has(tag) && DATA_IMAGE.test(url))) {
      element.removeAttribute(name);
    } else if (tag === 'use' && !url.startsWith('#')) {
      // `<use>` of a whole external or data: document has carried script before.
      element.removeAttribute(name);
    } else if (state.blockRemote && !isLink && (SRCSET_ATTRIBUTES.has(name) || !loadsFromPage(value, base))) {
      element.removeAttribute(name);
    }
  }
}

/** True when the browser would load `value` from the page's own origin (or from a `data:` image). */
function loadsFromPage(value: string, base: PageBase | null): boolean {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return true;
  if (DATA_IMAGE.test(trimmed.replace(/[\u0000-\u0020]/g, ''))) return true;
  if (!base) return false;
  try {
    return new URL(trimmed, base.base).origin === base.origin;
  } catch {
    // Unparseable: the browser would not load it either, but there is no reason to keep it.
    return false;
  }
}

/** Keeps only class names the page does not style (see {@link NOTEBOOK_CLASS}). */
function cleanClasses(element: Element): void {
  const value = element.getAttribute('class');
  if (value === null) return;
  const kept = value.split(/\s+/).filter((name) => NOTEBOOK_CLASS.test(name));
  if (kept.length) element.setAttribute('class', kept.join(' '));
  else element.removeAttribute('class');
}

/**
 * Inline styles may not take the element out of the flow to cover the page
 * (`position: fixed|absolute|sticky`, huge `z-index`), run legacy CSS code,
 * or load remote resources when those are blocked. Uses the browser's own CSS
 * parser (`element.style`); without one the style is dropped (fail closed).
 */
function cleanStyle(element: Element, state: CallState): void {
  if (!element.hasAttribute('style')) return;
  const style = (element as HTMLElement).style as CSSStyleDeclaration | undefined;
  if (!style || typeof style.removeProperty !== 'function' || typeof style.item !== 'function') {
    element.removeAttribute('style');
    return;
  }
  const names: string[] = [];
  for (let i = 0; i < style.length; i++) names.push(style.item(i));
  for (const name of names) {
    const value = style.getPropertyValue(name).toLowerCase();
    const property = name.toLowerCase();
    const drop =
      (property === 'position' && /fixed|absolute|sticky/.test(value)) ||
      (property === 'z-index' && Math.abs(Number.parseInt(value, 10)) > MAX_Z_INDEX) ||
      property === 'behavior' ||
      property === '-moz-binding' ||
      /expression\s*\(/.test(value) ||
      (state.blockRemote && /url\s*\(/.test(value) && !/url\s*\(\s*["']?\s*data:image\//.test(value));
    if (drop) style.removeProperty(name);
  }
  if (style.length === 0) element.removeAttribute('style');
}

/**
 * Plot writes one `<style>` per figure whose every rule is
 * `:where(.plot-<hash>…) { declarations }`. Only that shape passes: every
 * selector inside `:where(…)` starts at a Plot class and uses only classes,
 * element names, attribute tests and descendant/child combinators (so it
 * cannot reach the page), and declarations load nothing and position nothing.
 */
export function isScopedPlotStyle(css: string): boolean {
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, '');
  if (/[@\\<]|url\s*\(|expression|position|z-index/i.test(withoutComments)) return false;
  const rule = /\s*([^{}]+)\{([^{}]*)\}\s*/y;
  const selector = /^:where\(\.plot-[\w-]+(?:[\w\s>.\-[\]="]*)\)$/;
  let matched = 0;
  rule.lastIndex = 0;
  while (rule.lastIndex < withoutComments.length) {
    const match = rule.exec(withoutComments);
    if (!match) return false;
    matched++;
    const selectors = match[1].split(',').map((s) => s.trim());
    if (!selectors.every((s) => selector.test(s))) return false;
  }
  return matched > 0;
}
