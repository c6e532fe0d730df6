/**
 * Requests that never carry the reader's credentials. Code that runs a
 * notebook's wishes — its cells, and the data engine fetching the URLs it
 * names — must not act as the reader on the site (cookies, HTTP auth), or a
 * shared notebook could read the reader's pages and send them away. Used by
 * the runtime worker's lockdown and by the data worker; the runtime worker
 * additionally has an opaque origin (see docs/security.md), so this is the
 * second line there and the only one in the data worker.
 */

interface Scope {
  fetch?: unknown;
  Request?: typeof Request;
  XMLHttpRequest?: { prototype: object };
  EventSource?: unknown;
}

/**
 * Replaces `scope.fetch` by one that always sends `credentials: 'omit'`
 * (a `Request`'s own mode is overridden too), makes `XMLHttpRequest`'s
 * `withCredentials` always false, and drops `withCredentials` from
 * `EventSource`. Only the replacements stay reachable (not on the prototype
 * chain either). Idempotent.
 */
export function installWithoutCredentials(scope: object): void {
  const s = scope as Scope;
  installFetch(scope);
  const xhrPrototype = s.XMLHttpRequest?.prototype;
  if (xhrPrototype && Object.getOwnPropertyDescriptor(xhrPrototype, 'withCredentials')?.configurable !== false) {
    Object.defineProperty(xhrPrototype, 'withCredentials', { get: () => false, set: () => {}, configurable: false });
  }
  const NativeEventSource = s.EventSource as (new (url: string | URL, init?: EventSourceInit) => EventSource) | undefined;
  if (typeof NativeEventSource === 'function' && !(NativeEventSource as { brookOmitsCredentials?: boolean }).brookOmitsCredentials) {
    const Wrapped = function (url: string | URL) {
      return new NativeEventSource(url);
    } as unknown as { prototype: unknown };
    Wrapped.prototype = NativeEventSource.prototype;
    Object.defineProperty(Wrapped, 'brookOmitsCredentials', { value: true });
    Object.defineProperty(scope, 'EventSource', { value: Wrapped, writable: false, configurable: true });
  }
}

function installFetch(scope: object): void {
  const original = (scope as Scope).fetch;
  if (typeof original !== 'function' || (original as { brookOmitsCredentials?: boolean }).brookOmitsCredentials) return;
  const RequestClass = (scope as Scope).Request;
  const wrapped = function (input: RequestInfo | URL, init?: RequestInit) {
    // A Request's own `credentials` is overridden by the init's.
    const request = RequestClass ? new RequestClass(input, { ...init, credentials: 'omit' }) : input;
    return Reflect.apply(original, scope, RequestClass ? [request] : [input, { ...init, credentials: 'omit' }]) as Promise<Response>;
  };
  Object.defineProperty(wrapped, 'brookOmitsCredentials', { value: true });
  // Only the wrapper stays reachable: no original on the prototype chain either.
  for (let object = Object.getPrototypeOf(scope) as object | null; object && object !== Object.prototype; object = Object.getPrototypeOf(object)) {
    if (Object.prototype.hasOwnProperty.call(object, 'fetch')) Reflect.deleteProperty(object, 'fetch');
  }
  Object.defineProperty(scope, 'fetch', { value: wrapped, writable: false, configurable: true, enumerable: true });
}
