import { describe, expect, it } from 'vitest';
import { lockDown } from '../../workers/runtime/isolation.ts';

/**
 * A fake worker scope laid out like Chromium's: WebIDL attributes as
 * configurable accessors on the interface prototypes, some members own
 * properties of the global, `navigator.storage` on WorkerNavigator.prototype.
 */
function fakeWorkerScope() {
  const accessor = (value: unknown): PropertyDescriptor => ({ get: () => value, configurable: true, enumerable: true });
  const method = (name: string): PropertyDescriptor => ({ value: function named() { return name; }, configurable: true, writable: true });

  const EventTargetProto = Object.create(Object.prototype, { addEventListener: method('addEventListener') });
  const WorkerGlobalScopeProto = Object.create(EventTargetProto, {
    indexedDB: accessor({ open() {} }),
    caches: accessor({ open() {} }),
    fetch: method('fetch'),
    importScripts: method('importScripts'),
    webkitRequestFileSystem: method('webkitRequestFileSystem'),
    setTimeout: method('setTimeout'),
    crypto: accessor({}),
  });
  const DedicatedProto = Object.create(WorkerGlobalScopeProto, {
    postMessage: method('postMessage'),
    close: method('close'),
  });
  const WorkerNavigatorProto = Object.create(Object.prototype, {
    storage: accessor({ getDirectory() {} }),
    locks: accessor({ request() {} }),
    storageBuckets: accessor({ open() {} }),
    sendBeacon: method('sendBeacon'),
    userAgent: accessor('test'),
    hardwareConcurrency: accessor(2),
  });
  const navigator = Object.create(WorkerNavigatorProto);
  const scope = Object.create(DedicatedProto, {
    navigator: { value: navigator, configurable: true, enumerable: true, writable: false },
    // Chromium exposes interface objects as own, configurable, writable data properties.
    Worker: method('Worker'),
    SharedWorker: method('SharedWorker'),
    BroadcastChannel: method('BroadcastChannel'),
    XMLHttpRequest: method('XMLHttpRequest'),
    WebSocket: method('WebSocket'),
    EventSource: method('EventSource'),
    WebTransport: method('WebTransport'),
    FontFace: method('FontFace'),
    MessageChannel: method('MessageChannel'),
  });
  return { scope, protos: [DedicatedProto, WorkerGlobalScopeProto, EventTargetProto], navigator, WorkerNavigatorProto };
}

describe('lockDown', () => {
  it('removes storage and escape APIs from the scope and every prototype, keeping the network', () => {
    const { scope, protos, navigator, WorkerNavigatorProto } = fakeWorkerScope();
    const report = lockDown({ blockNetwork: false }, scope);

    for (const name of ['indexedDB', 'caches', 'importScripts', 'Worker', 'SharedWorker', 'BroadcastChannel', 'webkitRequestFileSystem']) {
      expect(scope[name], name).toBeUndefined();
      expect(name in scope, name).toBe(false);
      for (const proto of protos) expect(Object.getOwnPropertyDescriptor(proto, name), name).toBeUndefined();
    }
    expect(navigator.storage).toBeUndefined();
    expect(navigator.locks).toBeUndefined();
    expect(navigator.storageBuckets).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(WorkerNavigatorProto, 'storage')).toBeUndefined();

    // Network untouched without blockNetwork; Comlink's needs untouched always.
    expect(typeof scope.fetch).toBe('function');
    expect(typeof scope.WebSocket).toBe('function');
    expect(typeof navigator.sendBeacon).toBe('function');
    expect(typeof scope.postMessage).toBe('function');
    expect(typeof scope.addEventListener).toBe('function');
    expect(typeof scope.MessageChannel).toBe('function');
    expect(typeof scope.setTimeout).toBe('function');
    expect(navigator.userAgent).toBe('test');

    expect(report.remaining).toEqual([]);
    expect(report.removed).toEqual(
      expect.arrayContaining(['indexedDB', 'caches', 'Worker', 'navigator.storage', 'navigator.locks']),
    );
    expect(report.removed).not.toContain('localStorage'); // absent in workers: not reported as removed
  });

  it('with blockNetwork also removes fetch, XHR, WebSocket, EventSource, WebTransport, FontFace, sendBeacon', () => {
    const { scope, protos, navigator } = fakeWorkerScope();
    const report = lockDown({ blockNetwork: true }, scope);
    for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'WebTransport', 'FontFace']) {
      expect(scope[name], name).toBeUndefined();
      for (const proto of protos) expect(Object.hasOwn(proto, name), name).toBe(false);
    }
    expect(navigator.sendBeacon).toBeUndefined();
    expect(typeof scope.postMessage).toBe('function');
    expect(report.remaining).toEqual([]);
    expect(report.removed).toContain('fetch');
  });

  it('reports what it could not remove (non-configurable, non-writable)', () => {
    const { scope } = fakeWorkerScope();
    Object.defineProperty(scope, 'caches', { value: { open() {} }, configurable: false, writable: false });
    const report = lockDown({ blockNetwork: false }, scope);
    expect(report.remaining).toEqual(['caches']);
    expect(report.removed).toContain('indexedDB');
  });

  it('neutralizes a non-configurable but writable property', () => {
    const { scope } = fakeWorkerScope();
    Object.defineProperty(scope, 'indexedDB', { value: { open() {} }, configurable: false, writable: true });
    const report = lockDown({ blockNetwork: false }, scope);
    expect(scope.indexedDB).toBeUndefined();
    expect(report.remaining).toEqual([]);
  });

  it('is idempotent', () => {
    const { scope } = fakeWorkerScope();
    lockDown({ blockNetwork: true }, scope);
    const again = lockDown({ blockNetwork: true }, scope);
    expect(again).toEqual({ removed: [], remaining: [] });
  });
});
