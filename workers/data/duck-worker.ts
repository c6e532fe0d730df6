/**
 * DuckDB-WASM's own worker, started so that SQL cannot read this site's URLs
 * as the reader. DuckDB reads `read_csv('http…')`, `read_text`, `FROM
 * 'http…'` with synchronous XMLHttpRequests in its worker; from the app's
 * origin a same-origin XHR always carries the reader's cookies (even
 * HttpOnly ones), so `read_text('<site>/account')` would return the reader's
 * page. The worker is started from a small classic script that first makes
 * `XMLHttpRequest.open` refuse the site's own origin (DuckDB's assets
 * excepted) and pins `withCredentials` to false, then loads DuckDB's worker
 * with `importScripts`. Of other origins, only the URLs written in the
 * notebook are readable (src/data/readable-urls.ts; a cross-origin XHR
 * without `withCredentials` carries no cookies); the notebook's own data is
 * fetched by Brook, without credentials, and registered as files.
 */

/** The refusal DuckDB reports as the query's error. */
export const SITE_URL_REFUSED = 'Brook: SQL cannot read this site’s own URLs (they would carry your cookies); use the table Brook loaded from the front matter instead';

/** The refusal of a URL the notebook's text does not contain (built at run time). */
export const UNWRITTEN_URL_REFUSED = 'Brook: SQL may read only URLs written in the notebook (a URL built at run time could carry data away); write the full URL in the SQL cell or the front matter';

/** The message (posted by the data worker) that replaces the URLs SQL may read; the guard takes it before DuckDB sees it. */
export const READABLE_URLS_MESSAGE = 'brook:readable-urls';

/** The message (posted by the data worker) carrying DuckDB's compiled wasm, or `null` if compiling failed. */
export const WASM_MODULE_MESSAGE = 'brook:wasm-module';

/**
 * The guard that runs in DuckDB's worker before DuckDB itself (a classic
 * script). DuckDB's wasm is compiled by the data worker from the first bytes
 * (`startDuckWorker`): this thread spends its first ~150 ms compiling
 * DuckDB's own 770 KB script, and DuckDB pipes the download through a JS
 * stream on this thread, so bytes that arrive meanwhile would wait. DuckDB's
 * own request for the wasm gets an empty answer (the bytes are not fetched
 * twice) and its `instantiateStreaming` the compiled module; if compiling
 * failed there, DuckDB's usual download runs instead.
 */
function guardSource(duckWorker: string, wasm: string): string {
  return `"use strict";
(() => {
  const wasm = ${JSON.stringify(wasm)};
  const ownFetch = self.fetch.bind(self);
  const instantiateStreaming = WebAssembly.instantiateStreaming.bind(WebAssembly);
  let receive;
  const compiled = new Promise((resolve) => { receive = resolve; });
  // Registered before DuckDB's own handler, which never sees this message.
  self.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.type !== ${JSON.stringify(WASM_MODULE_MESSAGE)}) return;
    event.stopImmediatePropagation();
    receive(data.module instanceof WebAssembly.Module ? data.module : null);
  });
  let asked = false;
  self.fetch = function (input, init) {
    const url = input instanceof Request ? input.url : String(input);
    if (!asked && url === wasm) {
      asked = true;
      return Promise.resolve(new Response(new Uint8Array(0), { headers: { 'content-type': 'application/wasm' } }));
    }
    return ownFetch(input, init);
  };
  WebAssembly.instantiateStreaming = async function (source, imports) {
    const module = await compiled;
    if (module) return { module, instance: await WebAssembly.instantiate(module, imports) };
    return instantiateStreaming(ownFetch(wasm, { credentials: 'same-origin' }), imports);
  };
})();
(() => {
  const own = new URL(${JSON.stringify(duckWorker)}).origin;
  const assets = new Set(${JSON.stringify([wasm])});
  let readable = new Set();
  // Registered before DuckDB's own handler, which never sees this message.
  self.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.type !== ${JSON.stringify(READABLE_URLS_MESSAGE)} || !Array.isArray(data.urls)) return;
    event.stopImmediatePropagation();
    readable = new Set(data.urls.map(String));
  });
  const proto = XMLHttpRequest.prototype;
  const open = proto.open;
  Object.defineProperty(proto, 'open', { configurable: false, writable: false, value: function (method, url, ...rest) {
    let target;
    try { target = new URL(String(url), ${JSON.stringify(duckWorker)}); } catch (error) { target = null; }
    if (target && !assets.has(target.href)) {
      if (target.origin === own) throw new DOMException(${JSON.stringify(SITE_URL_REFUSED)} + ': ' + target.href, 'SecurityError');
      if (!readable.has(target.href)) throw new DOMException(${JSON.stringify(UNWRITTEN_URL_REFUSED)} + ': ' + target.href, 'SecurityError');
    }
    return open.call(this, method, url, ...rest);
  } });
  Object.defineProperty(proto, 'withCredentials', { configurable: false, get: () => false, set: () => {} });
})();
importScripts(${JSON.stringify(duckWorker)});
`;
}

/**
 * Starts DuckDB's worker behind the guard, and hands it DuckDB's wasm,
 * compiled here (on this thread) from the first bytes. `urls` are absolute
 * (resolved by the page); the wasm URL stays readable for DuckDB's fallback loader.
 */
export function startDuckWorker(urls: { wasm: string; worker: string }): Worker {
  const compiled = WebAssembly.compileStreaming(fetch(urls.wasm, { credentials: 'same-origin' }));
  const source = guardSource(urls.worker, urls.wasm);
  // A blob: URL made here has the app's origin, so DuckDB's worker keeps loading its same-origin assets.
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url);
  compiled
    .then((module) => worker.postMessage({ type: WASM_MODULE_MESSAGE, module }))
    // Not compiled (or not sendable): the guard lets DuckDB download and compile it itself.
    .catch(() => worker.postMessage({ type: WASM_MODULE_MESSAGE, module: null }));
  // The worker has its script once it runs; revoking later would leak one URL per start, so revoke after load.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return worker;
}
