/**
 * Bundles the page hands the runtime on request. A built app's runtime runs
 * in an opaque origin (src/client/workers.ts), from where the app's own files
 * cannot be imported (cross-origin modules need CORS, which a plain static
 * host does not send). So the worker asks (a `module` host message), the page
 * fetches the bundle's text and posts it back (`RuntimeApi.provideModule`),
 * and the worker imports it from a `blob:` URL of its own origin, as the
 * opaque boot script does with the runtime itself. Vite builds such a bundle
 * like a worker, without exports, so its entry passes its value to
 * `handOver` while it runs (see plot-bundle.ts).
 */
import type { PageModuleName } from '../../src/runtime/messages.ts';

// Captured at load, before notebook code runs: cells share this global and may replace them.
const BlobOf = Blob;
const createObjectURL = URL.createObjectURL.bind(URL);
const revokeObjectURL = URL.revokeObjectURL.bind(URL);

/** The global a loading bundle finds its receiver under, only while it is being imported. */
const RECEIVER = '__brookPageModule';

/**
 * Called by a bundle's entry as it runs: passes its value to the load that
 * is importing it. (Notebook code shares the worker and could call this too;
 * it would only change what its own notebook sees, which it can anyway.)
 */
export function handOver(name: PageModuleName, value: unknown): void {
  const receive = (globalThis as Record<string, unknown>)[RECEIVER];
  if (typeof receive === 'function') receive(name, value);
}

interface Waiting {
  promise: Promise<unknown>;
  resolve(module: unknown): void;
  reject(error: Error): void;
}

/** One request to the page per bundle at a time; the caller keeps what loaded (see `PlotLoader`). */
export class PageModules {
  private readonly waiting = new Map<PageModuleName, Waiting>();

  /** @param ask posts the request to the page. */
  constructor(private readonly ask: (name: PageModuleName) => void) {}

  /** The bundle's value once the page has sent it and it has run. */
  load(name: PageModuleName): Promise<unknown> {
    const pending = this.waiting.get(name);
    if (pending) return pending.promise;
    let settle!: Pick<Waiting, 'resolve' | 'reject'>;
    const promise = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    this.waiting.set(name, { promise, ...settle });
    this.ask(name);
    return promise;
  }

  /** The page's answer: the bundle's text, or why it could not fetch it. Unasked answers are dropped. */
  async provide(name: PageModuleName, source: string | undefined, failure?: string): Promise<void> {
    const pending = this.waiting.get(name);
    if (!pending) return;
    this.waiting.delete(name);
    if (source === undefined) return pending.reject(new Error(failure ?? `The page could not send ${name}.`));
    const url = createObjectURL(new BlobOf([source], { type: 'text/javascript' }));
    let value: unknown;
    let handed = false;
    const scope = globalThis as Record<string, unknown>;
    try {
      // Inside the try: notebook code may have frozen the global, and the load must then fail, not hang.
      Object.defineProperty(scope, RECEIVER, {
        configurable: true,
        value: (from: PageModuleName, given: unknown) => {
          if (from === name) [value, handed] = [given, true];
        },
      });
      await import(/* @vite-ignore */ url);
      if (handed) pending.resolve(value);
      else pending.reject(new Error(`The ${name} bundle ran but handed nothing over.`));
    } catch (error) {
      pending.reject(error instanceof Error ? error : new Error(String(error)));
    } finally {
      delete scope[RECEIVER];
      revokeObjectURL(url);
    }
  }
}
