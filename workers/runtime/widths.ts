/**
 * The `width` built-in: the width, in CSS px, of the output area a cell's
 * output is laid out in, as the page measured it (Observable's `width`).
 * Charts drawn at that width keep their text at its real size instead of
 * being scaled down to fit. A cell that read a width re-runs when its width
 * changes (the page debounces resizes); other cells never do.
 */
import type { OutputWidths } from '../../src/runtime/messages.ts';

/** Until the page has measured anything: Observable Plot's own default width. */
export const FALLBACK_WIDTH = 640;

/** How long a cell that needs a width waits for the page's first measurement before drawing at the fallback. */
export const FIRST_WIDTHS_WAIT_MS = 1000;

export class WidthStore {
  private widths: OutputWidths | undefined;
  /** The width each cell read in its current run (cells that read none are absent). */
  private readonly read = new Map<string, number>();
  private resolveReady!: () => void;
  /**
   * Settles when the page's first measurement arrived, or after a wait: a
   * page that never measures (a hidden tab, a test) must not hold charts back.
   */
  readonly ready: Promise<void>;

  constructor(initial?: OutputWidths, waitMs = FIRST_WIDTHS_WAIT_MS) {
    this.widths = initial;
    this.ready = new Promise<void>((resolve) => (this.resolveReady = resolve));
    if (initial) this.resolveReady();
    else setTimeout(() => this.resolveReady(), waitMs);
  }

  /** The width of cell `cellId`'s output: its own measure, else the main column's (a cell not on screen). */
  of(cellId: string): number {
    const widths = this.widths;
    return widths?.cells[cellId] ?? widths?.main ?? FALLBACK_WIDTH;
  }

  /** A run of `cellId` starts: it has read no width yet. */
  startRun(cellId: string): void {
    this.read.delete(cellId);
  }

  /** The width of `cellId`, recorded as read by its current run. */
  readBy(cellId: string): number {
    const width = this.of(cellId);
    this.read.set(cellId, width);
    return width;
  }

  /** Forgets cells that left the notebook. */
  retain(ids: Set<string>): void {
    for (const id of this.read.keys()) if (!ids.has(id)) this.read.delete(id);
  }

  /** New measurements; returns the cells whose run read a width that is no longer theirs. */
  set(widths: OutputWidths): string[] {
    this.widths = widths;
    this.resolveReady();
    return [...this.read].filter(([id, width]) => this.of(id) !== width).map(([id]) => id);
  }
}

/** What `plotAtWidth` needs of the `Plot` built-in. */
interface Plotter {
  plot(options?: Record<string, unknown>): unknown;
}

/**
 * `Plot` as one cell sees it: `Plot.plot(options)` without a `width` draws at
 * the cell's width (`width()` also records that the cell read it); an
 * explicit `width` is kept. Everything else is the shared `Plot`.
 */
export function plotAtWidth<P extends Plotter>(plot: P, width: () => number): P {
  // A copy (not a prototype link), so `Object.keys(Plot)` and `{...Plot}` see every export as before.
  return {
    ...plot,
    plot: (options: Record<string, unknown> = {}) => plot.plot(options?.width === undefined ? { ...options, width: width() } : options),
  };
}
