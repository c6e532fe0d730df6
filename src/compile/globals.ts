/**
 * Names a cell may read without any cell defining them: the JavaScript
 * standard library plus the APIs a dedicated Web Worker offers, which is
 * where notebook code runs.
 *
 * The list is curated on purpose. Worker properties that are ordinary words
 * (`name`, `location`, `origin`, `close`, `onmessage`, …) are left out so a
 * reference to `name` means "the cell that defines `name`" and a typo is an
 * undefined-name error rather than a silent read of `self.name`.
 */

/** ECMAScript standard built-in objects and functions. */
const JS_GLOBALS = [
  'globalThis', 'Infinity', 'NaN', 'undefined',
  'eval', 'isFinite', 'isNaN', 'parseFloat', 'parseInt',
  'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape',
  'Object', 'Function', 'Boolean', 'Symbol',
  'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError',
  'Number', 'BigInt', 'Math', 'Date', 'String', 'RegExp',
  'Array', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics', 'JSON',
  'Promise', 'Proxy', 'Reflect', 'Intl', 'Iterator', 'AsyncIterator',
  'arguments',
] as const;

/** APIs of `DedicatedWorkerGlobalScope` that notebook code may reasonably use. */
const WORKER_GLOBALS = [
  'self', 'console', 'performance', 'navigator', 'crypto', 'indexedDB', 'caches',
  'fetch', 'Request', 'Response', 'Headers', 'FormData', 'AbortController', 'AbortSignal',
  'URL', 'URLSearchParams', 'Blob', 'File', 'FileReader', 'FileReaderSync',
  'TextEncoder', 'TextDecoder', 'TextEncoderStream', 'TextDecoderStream',
  'ReadableStream', 'WritableStream', 'TransformStream', 'ByteLengthQueuingStrategy', 'CountQueuingStrategy',
  'CompressionStream', 'DecompressionStream',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask',
  'requestAnimationFrame', 'cancelAnimationFrame',
  'structuredClone', 'atob', 'btoa', 'reportError',
  'Event', 'EventTarget', 'CustomEvent', 'ErrorEvent', 'MessageEvent', 'MessageChannel', 'MessagePort',
  'BroadcastChannel', 'Worker', 'WebSocket', 'EventSource', 'XMLHttpRequest',
  'OffscreenCanvas', 'OffscreenCanvasRenderingContext2D', 'ImageData', 'ImageBitmap', 'createImageBitmap',
  'Path2D', 'DOMException', 'DOMMatrix', 'DOMPoint', 'DOMRect',
  'WebAssembly', 'CryptoKey', 'SubtleCrypto', 'Notification',
] as const;

/** Every name treated as a global in cell code. */
export const WORKER_SCOPE_GLOBALS: ReadonlySet<string> = new Set<string>([...JS_GLOBALS, ...WORKER_GLOBALS]);

/**
 * Page-only names that a user may expect but a worker lacks. Referencing one
 * (without a cell defining it) is an undefined-name error carrying a hint.
 */
export const PAGE_ONLY_NAMES: ReadonlySet<string> = new Set<string>([
  'window', 'document', 'localStorage', 'sessionStorage', 'alert', 'confirm', 'prompt',
  'HTMLElement', 'Element', 'Node', 'DOMParser', 'getComputedStyle', 'history', 'parent', 'top', 'opener',
]);

/** The hint attached to an undefined-name error for a page-only name. */
export const PAGE_ONLY_HINT = 'code runs in a worker; no page DOM';
