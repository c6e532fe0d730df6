/**
 * In-page timing, so figures do not include the harness's round trips: an
 * init script records when text (or an element) first appears in the DOM,
 * relative to navigation start, and `timeChange` times one control change
 * until the dependent output is in the DOM.
 */
import type { BrowserContext, ElementHandle, Page } from 'playwright-core';

/** Something to wait for: every given condition must hold. */
export interface Watch {
  name: string;
  /** Regular expression source matched against the page's text. */
  text?: string;
  /** A CSS selector that must match. */
  selector?: string;
  /** With `text`: the text must be inside one element matching this selector (whose text is then recorded). */
  within?: string;
}

/** When each watch was first satisfied: DOM time and the frame after it (painted), ms since navigation start. */
export interface Seen {
  dom: number;
  painted?: number;
  /** For a watch with `within`: the matching element's text at that moment. */
  text?: string;
}

interface ProbeState {
  watches: Watch[];
  seen: Record<string, Seen>;
}

/** The init script (runs before any page script, in every navigation). Self-contained: it is serialized. */
function probe(watches: Watch[]): void {
  // No named inner functions here or in any other in-page code: tsx (esbuild
  // keepNames) would wrap them in a `__name` helper the page does not have.
  const state: ProbeState = { watches, seen: {} };
  (window as unknown as { __benchProbe: ProbeState }).__benchProbe = state;
  new MutationObserver(() => {
    const text = document.body?.textContent ?? '';
    for (const watch of state.watches) {
      if (state.seen[watch.name]) continue;
      if (watch.selector && !document.querySelector(watch.selector)) continue;
      if (watch.text && !new RegExp(watch.text).test(text)) continue;
      let within: string | undefined;
      if (watch.within && watch.text) {
        const pattern = new RegExp(watch.text);
        const element = Array.from(document.querySelectorAll(watch.within)).find((e) => pattern.test(e.textContent ?? ''));
        if (!element) continue;
        within = (element.textContent ?? '').trim();
      }
      const seen: Seen = { dom: performance.now(), text: within };
      state.seen[watch.name] = seen;
      // rAF runs just before the frame is painted; a task queued from it runs after.
      requestAnimationFrame(() => setTimeout(() => { seen.painted = performance.now(); }, 0));
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

/** Records `watches` on every page of `context` from now on. */
export async function installProbe(context: BrowserContext, watches: Watch[]): Promise<void> {
  await context.addInitScript(probe, watches);
}

/** Waits until every named watch was seen (and painted), then returns their times. */
export async function waitForSeen(page: Page, names: string[], timeoutMs = 120_000): Promise<Record<string, Seen>> {
  await page.waitForFunction(
    (wanted) => {
      const state = (window as unknown as { __benchProbe?: ProbeState }).__benchProbe;
      return wanted.every((name) => state?.seen[name]?.painted !== undefined);
    },
    names,
    { timeout: timeoutMs, polling: 50 },
  );
  return page.evaluate((wanted) => {
    const state = (window as unknown as { __benchProbe: ProbeState }).__benchProbe;
    return Object.fromEntries(wanted.map((name) => [name, state.seen[name]]));
  }, names);
}

/** A literal string as regular expression source. */
export function literalPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Sets a range/number/text input to `value` (as a person dragging a slider
 * does: an `input` event) and resolves with the ms until the page's text
 * contains `marker`. Rejects after `timeoutMs`.
 */
export async function timeChange(input: ElementHandle, value: number | string, marker: string, timeoutMs = 60_000): Promise<number> {
  return input.evaluate(
    (element, { value, marker, timeoutMs }) =>
      new Promise<number>((resolve, reject) => {
        const el = element as HTMLInputElement;
        if ((document.body.textContent ?? '').includes(marker)) {
          reject(new Error(`"${marker}" is already on the page; the change would measure nothing`));
          return;
        }
        const observer = new MutationObserver(() => {
          if (!(document.body.textContent ?? '').includes(marker)) return;
          const ms = performance.now() - started;
          observer.disconnect();
          clearTimeout(timer);
          resolve(ms);
        });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`"${marker}" did not appear within ${timeoutMs} ms`));
        }, timeoutMs);
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        const started = performance.now();
        el.value = String(value);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }),
    { value, marker, timeoutMs },
  );
}

/**
 * Waits until the page is done with its start-up: no table still loading,
 * then two quiet seconds (the last run's outputs are written after a quiet
 * second). A page someone comes back to, or moves a control on, is past that.
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.activity'), null, { timeout: 120_000, polling: 100 });
  await page.waitForTimeout(2000);
}
