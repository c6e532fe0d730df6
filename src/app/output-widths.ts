/**
 * Measures how wide each cell's output area is, for the runtime's `width`
 * built-in (charts drawn at their container's width, as in Observable).
 * Only cells that can draw at a width (they read `width` or `Plot`) are
 * measured. The first measurement goes out at once, so the first charts are
 * drawn at the right width; later ones (a window being resized, a drawer
 * opening) are debounced, and unchanged widths are not sent again.
 */
import type { OutputWidths } from '../runtime/messages.ts';

/** Quiet time after the last resize before new widths go to the runtime (re-running charts mid-drag is wasted work). */
export const RESIZE_DEBOUNCE_MS = 150;

export interface OutputWidthMeter {
  /** Measures cell `cellId`, whose output area is `output`, until the returned function is called. */
  track(cellId: string, output: HTMLElement): () => void;
  /** Measures the main column, whose width stands in for a cell not on screen. */
  trackMain(main: HTMLElement): () => void;
  dispose(): void;
}

function horizontalPadding(element: Element): number {
  const style = getComputedStyle(element);
  return (parseFloat(style.paddingLeft) || 0) + (parseFloat(style.paddingRight) || 0);
}

/** Width inside an element's padding (0 when it is not laid out). */
function contentWidth(element: Element): number {
  return element.clientWidth > 0 ? element.clientWidth - horizontalPadding(element) : 0;
}

/**
 * The width an output area has, or would have: its own when laid out, else
 * (no output yet, so no box) its cell's or the cell's container's, less the
 * area's padding. 0 when none is on screen (a closed tab or drawer).
 */
function outputWidth(output: HTMLElement): number {
  const own = contentWidth(output);
  if (own > 0) return Math.floor(own);
  const padding = horizontalPadding(output);
  for (let box = output.parentElement, level = 0; box && level < 2; box = box.parentElement, level++) {
    const width = contentWidth(box) - padding;
    if (width > 0) return Math.floor(width);
  }
  return 0;
}

/** A meter that sends `report` the widths of the cells it tracks. */
export function createOutputWidthMeter(report: (widths: OutputWidths) => void, debounceMs = RESIZE_DEBOUNCE_MS): OutputWidthMeter {
  const cells = new Map<string, HTMLElement>();
  let main: HTMLElement | undefined;
  let sent: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let queued = false;
  let disposed = false;

  const send = () => {
    queued = false;
    if (disposed) return;
    clearTimeout(timer);
    timer = undefined;
    const widths: OutputWidths = { main: main ? Math.floor(contentWidth(main)) : 0, cells: {} };
    for (const [id, output] of cells) {
      const width = outputWidth(output);
      if (width > 0) widths.cells[id] = width;
    }
    if (widths.main <= 0) return; // not laid out yet: the next observation sends
    const text = JSON.stringify(widths);
    if (text === sent) return;
    sent = text;
    report(widths);
  };

  const schedule = () => {
    if (sent === undefined) {
      // The first widths: once this batch of observations is in, without waiting.
      if (!queued) queueMicrotask(send);
      queued = true;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(send, debounceMs);
  };

  const observer = new ResizeObserver(schedule);
  // Cells share containers: an element stays observed while any cell watches it.
  const watchers = new Map<Element, number>();
  const observe = (element: Element | null | undefined) => {
    if (!element) return;
    const count = watchers.get(element) ?? 0;
    if (count === 0) observer.observe(element);
    watchers.set(element, count + 1);
  };
  const unobserve = (element: Element | null | undefined) => {
    if (!element) return;
    const count = (watchers.get(element) ?? 1) - 1;
    if (count > 0) return void watchers.set(element, count);
    watchers.delete(element);
    observer.unobserve(element);
  };

  return {
    track(cellId, output) {
      cells.set(cellId, output);
      // The cell and its container too: an output area with nothing in it yet has no box of its own.
      const watched = [output, output.parentElement, output.parentElement?.parentElement];
      watched.forEach(observe);
      return () => {
        if (cells.get(cellId) === output) cells.delete(cellId);
        watched.forEach(unobserve);
        schedule();
      };
    },
    trackMain(element) {
      main = element;
      observe(element);
      return () => {
        unobserve(element);
        if (main === element) main = undefined;
      };
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      observer.disconnect();
      watchers.clear();
      cells.clear();
    },
  };
}
