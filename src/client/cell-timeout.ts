/**
 * How long a cell may block the runtime before the watchdog stops it. The
 * front matter's `timeout:` sets it for a notebook the reader opened
 * themselves; a notebook from someone else's link may not raise it past
 * {@link SHARED_TIMEOUT_CAP_MS} — `timeout: 100000000` would otherwise turn
 * the watchdog off and let a loop or a memory flood run until the tab dies.
 */

/** The limit when the front matter sets none. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** The most a shared notebook's `timeout:` is honoured. */
export const SHARED_TIMEOUT_CAP_MS = 30_000;

/** The limit for a notebook whose front matter asks for `requested` ms; `shared`: it came from someone else's link. */
export function cellTimeoutMs(requested: number | undefined, shared: boolean): number {
  const wanted = requested ?? DEFAULT_TIMEOUT_MS;
  return shared ? Math.min(wanted, SHARED_TIMEOUT_CAP_MS) : wanted;
}

/** `30 s`, `2.5 s`: a limit as a person reads it. */
export function timeoutText(ms: number): string {
  return `${(ms / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s`;
}
