/**
 * Detects a runtime worker whose event loop is blocked (an endless loop in a
 * cell). A worker cannot be interrupted from inside, so the page pings it; a
 * ping that stays unanswered longer than the limit means synchronous code is
 * hogging the thread, and the owner replaces the worker.
 *
 * Slow *async* work (a long query, `await` on a timer) never trips it: the
 * worker's event loop stays free to answer pings.
 */

export interface WatchdogClock {
  now(): number;
  every(ms: number, tick: () => void): () => void;
}

export interface WatchdogOptions {
  /** How long the worker may be unresponsive before it counts as blocked. */
  timeoutMs: number;
  /** How often to ping. */
  intervalMs?: number;
  /** Sends one ping; resolves when the worker answers. */
  ping(): Promise<unknown>;
  /** Called once when the worker is judged blocked; the watchdog stops itself first. */
  onBlocked(): void;
  clock?: WatchdogClock;
}

const realClock: WatchdogClock = {
  now: () => performance.now(),
  every(ms, tick) {
    const handle = setInterval(tick, ms);
    return () => clearInterval(handle);
  },
};

export class Watchdog {
  private sentAt: number | null = null;
  private cancel: (() => void) | null = null;
  private readonly clock: WatchdogClock;

  constructor(private readonly options: WatchdogOptions) {
    this.clock = options.clock ?? realClock;
  }

  /** Starts pinging. Idempotent. */
  start(): void {
    if (this.cancel) return;
    this.sentAt = null;
    this.cancel = this.clock.every(this.options.intervalMs ?? 250, () => this.tick());
  }

  stop(): void {
    this.cancel?.();
    this.cancel = null;
    this.sentAt = null;
  }

  get running(): boolean {
    return this.cancel !== null;
  }

  private tick(): void {
    const now = this.clock.now();
    if (this.sentAt === null) {
      const sentAt = now;
      this.sentAt = sentAt;
      this.options.ping().then(
        () => {
          // Only the ping we are waiting for clears the wait (a restart may have started a new one).
          if (this.sentAt === sentAt) this.sentAt = null;
        },
        () => undefined,
      );
      return;
    }
    if (now - this.sentAt > this.options.timeoutMs) {
      this.stop();
      this.options.onBlocked();
    }
  }
}
