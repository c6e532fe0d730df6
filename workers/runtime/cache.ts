/**
 * The `cache(fn)` built-in: memoizes an expensive function on its arguments,
 * across re-runs of the cell (the memo belongs to the runtime, keyed by the
 * cell and the function's source). Arguments are keyed by value when they are
 * plain data and by identity otherwise (Arrow tables, class instances). A
 * rejected promise or a throw is never cached. Values the function reads
 * from outside (not its arguments) are not part of the key: pass what varies
 * as arguments.
 */
import { stableSerialize } from '../../src/data/memo-key.ts';

function isPlainData(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return Array.isArray(value) || proto === Object.prototype || proto === null || value instanceof Date ||
    value instanceof Map || value instanceof Set || ArrayBuffer.isView(value);
}

export class CacheStore {
  private memos = new Map<string, Map<string, unknown>>();
  private identities = new WeakMap<object, number>();
  private nextIdentity = 0;

  /** A stable key for an argument list. */
  argumentsKey(args: readonly unknown[]): string {
    return stableSerialize(args.map((arg) => this.keyable(arg)));
  }

  private keyable(value: unknown): unknown {
    if (typeof value === 'function') return `#fn:${this.identity(value)}`;
    if (typeof value !== 'object' || value === null) return value;
    if (!isPlainData(value)) return `#obj:${this.identity(value)}`;
    if (Array.isArray(value)) return value.map((item) => this.keyable(item));
    if (value instanceof Date || value instanceof Map || value instanceof Set || ArrayBuffer.isView(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.keyable(v)]));
  }

  private identity(value: object): number {
    let id = this.identities.get(value);
    if (id === undefined) this.identities.set(value, (id = ++this.nextIdentity));
    return id;
  }

  /** Forgets every memo of a cell (e.g. the cell was removed). */
  forget(scope: string): void {
    for (const key of this.memos.keys()) if (key.startsWith(`${scope}\u0000`)) this.memos.delete(key);
  }

  /** The `cache` built-in for one cell: `cache(fn)` returns the memoized `fn`. */
  builtin(scope: string): <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A) => R {
    return <A extends unknown[], R>(fn: (...args: A) => R) => {
      if (typeof fn !== 'function') throw new TypeError('cache(fn) needs a function.');
      const memoKey = `${scope}\u0000${fn.toString()}`;
      let memo = this.memos.get(memoKey);
      if (!memo) this.memos.set(memoKey, (memo = new Map()));
      const entries = memo;
      return (...args: A): R => {
        const key = this.argumentsKey(args);
        if (entries.has(key)) return entries.get(key) as R;
        const result = fn(...args);
        entries.set(key, result);
        if (result instanceof Promise) {
          result.catch(() => {
            if (entries.get(key) === result) entries.delete(key);
          });
        }
        return result;
      };
    };
  }
}
