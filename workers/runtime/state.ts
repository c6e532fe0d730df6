/**
 * The `state` built-in: one persistent object per notebook
 * (`state.count = (state.count ?? 0) + 1`). Writes are reported to the page,
 * debounced, as a structured-clone snapshot; the page stores it. Writing
 * `state` does not re-run cells — it is memory, not a reactive input.
 */
import { stableSerialize } from '../../src/data/memo-key.ts';

export interface StateStoreOptions {
  /** Receives each changed snapshot. */
  post(snapshot: Record<string, unknown>): void;
  delayMs?: number;
}

function snapshotOf(target: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(target);
  } catch {
    // Functions or other uncloneable values: keep what JSON can carry.
    return JSON.parse(JSON.stringify(target, (_, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? '{}');
  }
}

function fingerprint(value: Record<string, unknown>): string {
  try {
    return stableSerialize(value);
  } catch {
    return String(Math.random()); // a cycle: cannot compare, so treat as changed
  }
}

export class StateStore {
  private readonly target: Record<string, unknown>;
  /** The object cells see: top-level writes and deletes schedule a report. */
  readonly state: Record<string, unknown>;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSent: string;

  constructor(initial: Record<string, unknown>, private readonly options: StateStoreOptions) {
    this.target = { ...initial };
    this.lastSent = fingerprint(this.target);
    this.state = new Proxy(this.target, {
      set: (target, key, value) => {
        const ok = Reflect.set(target, key, value);
        this.schedule();
        return ok;
      },
      deleteProperty: (target, key) => {
        const ok = Reflect.deleteProperty(target, key);
        this.schedule();
        return ok;
      },
    });
  }

  /**
   * Takes keys another tab of the notebook saved. Not reported back (the page
   * already has them), and no cell re-runs: `state` is memory, so a cell sees
   * them the next time it runs.
   */
  merge(set: Record<string, unknown>, removed: readonly string[]): void {
    Object.assign(this.target, set);
    for (const key of removed) delete this.target[key];
    this.lastSent = fingerprint(snapshotOf(this.target));
  }

  /**
   * Schedules a report; it is sent only if the snapshot differs from the last
   * one sent. Also called after every cell run, which catches nested writes
   * (`state.items.push(x)`) the proxy cannot see.
   */
  schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.options.delayMs ?? 50);
  }

  /** Sends the snapshot now if it changed. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const snapshot = snapshotOf(this.target);
    const print = fingerprint(snapshot);
    if (print === this.lastSent) return;
    this.lastSent = print;
    this.options.post(snapshot);
  }
}
