/**
 * Lockdown of the runtime worker's global scope, run before any notebook code.
 *
 * Threat model: notebook code is untrusted (a shared link can carry anyone's
 * code). It runs in a dedicated worker, so it never sees the page DOM. What a
 * worker still has by default is (1) the origin's storage — IndexedDB, Cache
 * Storage, OPFS, storage buckets, Web Locks — where every *other* notebook's
 * saved inputs, state, drafts and dropped files live; (2) ways to start more
 * code outside this worker's control (nested workers, `importScripts`,
 * BroadcastChannel to every same-origin tab); and (3) the network, to send
 * away the data the reader dropped. This module deletes those capabilities
 * from the global object *and* every prototype on its chain (WebIDL
 * attributes are configurable accessors, and Chromium puts some on
 * `WorkerGlobalScope.prototype`), so `self.indexedDB`,
 * `Object.getPrototypeOf(self).indexedDB` and the getters are all gone.
 *
 * What stays, on purpose: `postMessage`/`addEventListener`/`MessageChannel`
 * (Comlink needs them), timers, WebAssembly, `crypto`, `OffscreenCanvas`.
 *
 * What this cannot remove (see docs/security.md): the `import()` *syntax*
 * (with network blocked, cell bodies are checked for it before they run —
 * src/runtime/module-guard.ts — and code from strings is removed here), CPU and memory use
 * (the page's watchdog bounds CPU), and messages to the page over the
 * worker's own port (the page treats everything from this worker as
 * untrusted and sanitizes it). The built app also starts this worker in an
 * opaque origin (src/client/workers.ts), where the browser itself denies
 * storage and sends no site cookies; this lockdown is the second line there.
 */
import { installWithoutCredentials } from '../../src/data/no-credentials.ts';

export interface LockDownOptions {
  /** Also remove every network API (offered for shared links and untrusted notebooks). */
  blockNetwork: boolean;
}

/** What `lockDown` did, for diagnostics and tests. */
export interface LockDownReport {
  /** `name` or `navigator.name` entries that were reachable and are now gone. */
  removed: string[];
  /** Entries that could not be removed (non-configurable and non-writable); should be empty. */
  remaining: string[];
}

/** Storage and escape hatches on the global scope. */
const STORAGE_AND_ESCAPE_GLOBALS = [
  'indexedDB',
  'caches',
  'localStorage',
  'sessionStorage',
  'cookieStore',
  'Worker',
  'SharedWorker',
  'BroadcastChannel',
  'importScripts',
  // Chromium's legacy FileSystem API, still exposed in workers.
  'webkitRequestFileSystem',
  'webkitRequestFileSystemSync',
  'webkitResolveLocalFileSystemURL',
  'webkitResolveLocalFileSystemSyncURL',
] as const;

/** Storage and cross-context APIs hanging off `navigator`. */
const STORAGE_AND_ESCAPE_NAVIGATOR = [
  'storage', // OPFS (`getDirectory`), quota estimates
  'storageBuckets', // each bucket opens its own IndexedDB / caches
  'locks', // `query()` reveals what other tabs of the origin hold
  'serviceWorker',
] as const;

/** Ways to send or fetch data over the network. */
const NETWORK_GLOBALS = [
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'EventSource',
  'WebTransport',
  'RTCPeerConnection',
  'webkitRTCPeerConnection',
  // `new FontFace(name, 'url(https://…)').load()` issues a request.
  'FontFace',
  'fonts',
] as const;

const NETWORK_NAVIGATOR = ['sendBeacon'] as const;

/**
 * Prototypes of the messaging machinery. Patching one (say
 * `MessagePort.prototype.postMessage`, or the `MessageEvent` `data` getter)
 * would hand user code `this` — the runtime's own port to the data worker —
 * the next time the runtime sends or receives. Frozen before user code runs.
 */
const MESSAGING_PROTOTYPES = ['MessagePort', 'MessageChannel', 'MessageEvent', 'Event', 'EventTarget', 'WorkerGlobalScope', 'DedicatedWorkerGlobalScope'] as const;

/**
 * Removes storage, escape and (optionally) network APIs from a worker's
 * global scope and its prototype chain. Call once, after the runtime has
 * captured what it needs itself and before any notebook code runs.
 *
 * @param options `blockNetwork` also removes `fetch`, XHR, WebSocket, … .
 * @param scope the worker global (a parameter so tests can pass a fake scope).
 * @returns what was removed and anything that could not be.
 */
export function lockDown(options: LockDownOptions, scope: object = globalThis): LockDownReport {
  const report: LockDownReport = { removed: [], remaining: [] };
  const globals: readonly string[] = options.blockNetwork
    ? [...STORAGE_AND_ESCAPE_GLOBALS, ...NETWORK_GLOBALS]
    : STORAGE_AND_ESCAPE_GLOBALS;
  const navigatorNames: readonly string[] = options.blockNetwork
    ? [...STORAGE_AND_ESCAPE_NAVIGATOR, ...NETWORK_NAVIGATOR]
    : STORAGE_AND_ESCAPE_NAVIGATOR;

  // Read navigator before anything is removed; it itself stays (userAgent, hardwareConcurrency…).
  const navigator = (scope as { navigator?: unknown }).navigator;
  for (const name of globals) removeEverywhere(scope, name, name, report);
  if (navigator !== null && typeof navigator === 'object') {
    for (const name of navigatorNames) removeEverywhere(navigator, name, `navigator.${name}`, report);
  }
  if (options.blockNetwork) removeCodeFromStrings(scope, report);
  else installWithoutCredentials(scope);
  freezeMessaging(scope);
  return report;
}

/**
 * With network blocked, cell bodies are checked for `import()` of other
 * origins before they run (src/runtime/module-guard.ts). Code built from a
 * string at run time would escape that check, so `eval`, the `Function`
 * constructors (also reachable as `(async () => {}).constructor`) and string
 * timers go. The runtime captured its own `AsyncFunction` at module load.
 */
const stringCodeRemoved = new WeakSet<object>();

function removeCodeFromStrings(scope: object, report: LockDownReport): void {
  if (stringCodeRemoved.has(scope)) return;
  stringCodeRemoved.add(scope);
  const refuse = function () {
    throw new TypeError('This notebook runs without network access: code cannot be built from strings (eval, Function).');
  };
  removeEverywhere(scope, 'eval', 'eval', report);
  // The constructors are the realm's own, shared by every scope object: touch them only for the real global.
  const constructors = scope !== globalThis ? [] : [
    Function,
    Object.getPrototypeOf(async function () {}).constructor,
    Object.getPrototypeOf(function* () {}).constructor,
    Object.getPrototypeOf(async function* () {}).constructor,
  ] as { prototype: object }[];
  for (const constructor of constructors) {
    // Already replaced by an earlier call (lockDown is idempotent).
    if (Object.getOwnPropertyDescriptor(constructor.prototype, 'constructor')?.configurable === false) continue;
    Object.defineProperty(constructor.prototype, 'constructor', { value: refuse, writable: false, configurable: false });
  }
  // Configurable, so a second lockDown can redo it; the originals are unreachable either way.
  Object.defineProperty(scope, 'Function', { value: refuse, writable: false, configurable: true });
  for (const name of ['setTimeout', 'setInterval'] as const) {
    const original = (scope as Record<string, unknown>)[name];
    if (typeof original !== 'function') continue;
    const timer = function (this: unknown, handler: unknown, ...rest: unknown[]) {
      if (typeof handler !== 'function') refuse();
      return Reflect.apply(original, scope, [handler, ...rest]);
    };
    Object.defineProperty(scope, name, { value: timer, writable: false, configurable: true });
  }
  if (typeof (scope as { eval?: unknown }).eval === 'function') report.remaining.push('eval');
  else report.removed.push('Function', 'string timers');
}

/** Freezes the messaging prototypes (see {@link MESSAGING_PROTOTYPES}) found on `scope`. */
function freezeMessaging(scope: object): void {
  for (const name of MESSAGING_PROTOTYPES) {
    const constructor = (scope as Record<string, unknown>)[name];
    const prototype = typeof constructor === 'function' ? (constructor as { prototype?: unknown }).prototype : undefined;
    if (prototype !== null && typeof prototype === 'object') Object.freeze(prototype);
  }
}

/** Deletes `name` from `target` and every object on its prototype chain, then checks it is unreachable. */
function removeEverywhere(target: object, name: string, label: string, report: LockDownReport): void {
  const reachable = name in target;
  for (let object: object | null = target; object !== null; object = Object.getPrototypeOf(object)) {
    // Object.prototype never holds these; stopping there avoids touching shared built-ins.
    if (object === Object.prototype) break;
    if (!Object.prototype.hasOwnProperty.call(object, name)) continue;
    if (Reflect.deleteProperty(object, name)) continue;
    // Non-configurable: shadow with an inert value where the property still lets us.
    const descriptor = Object.getOwnPropertyDescriptor(object, name);
    if (descriptor && 'value' in descriptor && descriptor.writable) {
      Reflect.set(object, name, undefined);
    }
  }
  if (!reachable) return;
  if (readable(target, name) === undefined) report.removed.push(label);
  else report.remaining.push(label);
}

/** Reads a property without letting a throwing getter (e.g. an illegal-invocation accessor) escape. */
function readable(target: object, name: string): unknown {
  try {
    return (target as Record<string, unknown>)[name];
  } catch {
    return 'unreadable';
  }
}
