/**
 * Streams a running cell's outputs to the page while it runs, so `display()`
 * calls between `await`s and `progress()` updates show as they happen.
 *
 * Changes are coalesced: the first change after a send arms one timer of
 * about a frame, and when it fires the outputs as they are then go out in
 * one partial event. A cell that settles within that frame sends none (its
 * settled event says it all), and a loop of a thousand `display` calls
 * costs a few sends, not a thousand.
 */

/** About one animation frame: how long changes gather before a partial event goes out. */
export const STREAM_FRAME_MS = 16;

// Captured when the runtime loads: notebook code shares this global and may replace them.
const setTimer = globalThis.setTimeout.bind(globalThis);
const clearTimer = globalThis.clearTimeout.bind(globalThis);

export interface OutputStreamOptions {
  /** Whether a partial may still go out (the run is open and not superseded). */
  live(): boolean;
  /** Sends what the run shows now. */
  send(): void;
  /** Gather time (default {@link STREAM_FRAME_MS}). */
  frameMs?: number;
}

/** The partial-output sender of one cell run. */
export class OutputStream {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly options: OutputStreamOptions) {}

  /** The run's outputs changed: send them within a frame, together with any further change. */
  changed(): void {
    if (this.closed || this.timer !== undefined) return;
    this.timer = setTimer(() => {
      this.timer = undefined;
      if (!this.closed && this.options.live()) this.options.send();
    }, this.options.frameMs ?? STREAM_FRAME_MS);
  }

  /** The run settled: nothing more is sent (its settled event follows). */
  close(): void {
    this.closed = true;
    clearTimer(this.timer);
    this.timer = undefined;
  }
}
