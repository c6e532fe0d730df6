/**
 * Loading the `Plot` built-in on demand. Observable Plot, d3 and linkedom are
 * two thirds of the runtime's code (≈ 850 of 1,250 KB), and only cells that
 * read `Plot` need them, so `plot.ts` is built as a bundle of its own and
 * loaded the first time such a cell runs (or once a run settles): a first
 * visit's runtime starts without compiling it while DuckDB compiles on the
 * same cores. How it is loaded is the caller's choice (`CellRuntimeOptions.loadPlot`):
 * in Node and on Vite's dev server `importPlot`; in a built app the page hands
 * the bundle's text over (`workers/runtime/page-modules.ts`). Nothing in the
 * worker may import `plot.ts` or linkedom statically, or they would be pulled
 * back into the worker's one file.
 */
import type { Plot } from './plot.ts';

/** The `Plot` built-in as cells see it. */
export type PlotBuiltin = typeof Plot;

/** Imports `plot.ts` by path: in Node (tests, the build's run) and in the dev server's same-origin worker. */
export async function importPlot(): Promise<PlotBuiltin> {
  return (await import('./plot.ts')).Plot;
}

/**
 * One load of `Plot`, shared by every cell. A failed load is not kept: the
 * next cell that needs `Plot` tries again. (A browser may still replay a
 * failed module fetch from its module map until the worker is replaced; the
 * hint says so.)
 */
export class PlotLoader {
  private loading: Promise<PlotBuiltin> | undefined;
  private loaded: PlotBuiltin | undefined;
  private started = false;

  constructor(private readonly load: () => Promise<PlotBuiltin>) {}

  /** `Plot` once it has loaded, else `undefined`. */
  get value(): PlotBuiltin | undefined {
    return this.loaded;
  }

  /** Starts the load unless one is in flight or done; rejects with an error that says what failed and what to do. */
  get(): Promise<PlotBuiltin> {
    if (this.loaded) return Promise.resolve(this.loaded);
    this.started = true;
    this.loading ??= this.load().then(
      (plot) => (this.loaded = plot),
      (cause: unknown) => {
        this.loading = undefined;
        throw plotLoadError(cause);
      },
    );
    return this.loading;
  }

  /**
   * Starts a load in the background unless one was ever started. A failure
   * is dropped here: the next cell that needs `Plot` tries again and reports it.
   */
  preload(): void {
    if (!this.started) this.get().catch(() => {});
  }
}

function plotLoadError(cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const error = new Error(`Observable Plot could not be loaded: ${reason}`, { cause }) as Error & { hint: string };
  error.name = 'PlotLoadError';
  error.hint = 'Run the cell again (change an input or edit it); if it keeps failing, reload the page.';
  return error;
}
