/**
 * A plain Node `http` static file server. `brook preview`, `brook dev`,
 * `brook studio`, the browser tests and the benchmarks all serve through it, so
 * what they exercise is what a plain static host does: correct MIME types,
 * byte ranges (DuckDB-WASM reads remote Parquet with Range requests),
 * validators for caching, and no special headers (no COOP/COEP, no CORS) —
 * a build that works here works on any CDN. A file's pre-compressed sibling
 * (`x.wasm.br`, `x.wasm.gz`, written by `brook build`) is sent instead, with
 * `Content-Encoding`, when the request accepts it and asks for no range.
 */
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { precompressedFor } from './compressed-assets.ts';

/** Content types by file extension; anything else is `application/octet-stream`. */
const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ipynb': 'application/x-ipynb+json',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.wasm': 'application/wasm',
  '.parquet': 'application/octet-stream',
  '.arrow': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.xml': 'application/xml',
};

/** The content type a file is served with. */
export function contentTypeFor(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** One served request, for logs and for tests that count requests. */
export interface RequestLogEntry {
  method: string;
  /** The request path as sent, without query string. */
  path: string;
  status: number;
  /** The `Range` header, when there was one. */
  range?: string;
  /** Body bytes sent (0 for HEAD and 304). */
  bytes: number;
}

/**
 * A handler tried before the file system, for paths relative to the base path
 * (`__brook/events`, a live `notebook.md`). Return `true` when it answered.
 */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse, relativePath: string) => boolean | Promise<boolean>;

export interface StaticServerOptions {
  /** The directory served at the base path. */
  root: string;
  /** Serve only under this path (`/some/sub/`); every other path is a 404. Default `/`. */
  basePath?: string;
  /**
   * Extra directories, by URL prefix relative to the base path (`{'examples/': '/abs/examples'}`).
   * The longest matching prefix wins; `root` is the fallback.
   */
  mounts?: Record<string, string>;
  /** More directories looked in, in order, when `root` has no such file (dev serves the notebook's folder). */
  fallbackRoots?: string[];
  /** Tried before any file lookup. */
  routes?: RouteHandler[];
  /** Called once per finished request. */
  onRequest?: (entry: RequestLogEntry) => void;
  /** Serve `index.html` for a directory path. Default true. */
  directoryIndex?: boolean;
}

export interface RunningServer {
  /** `http://127.0.0.1:<port><basePath>` — always ends with `/`. */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export interface StaticServer {
  /** The request handler, for embedding in another server. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Starts listening; port 0 picks a free port. */
  listen(port?: number, host?: string): Promise<RunningServer>;
}

/** Normalizes a base path to `/…/` form. */
export function normalizeBasePath(basePath = '/'): string {
  let base = basePath.trim();
  if (!base.startsWith('/')) base = `/${base}`;
  if (!base.endsWith('/')) base = `${base}/`;
  return base.replace(/\/{2,}/g, '/');
}

/** A weak validator from size and modification time: cheap, and changes whenever the file does. */
function etagOf(stats: Stats): string {
  return `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
}

/**
 * Parses a single `bytes=` range against a file size (RFC 9110 §14.1.2).
 * Multi-range requests are answered with the whole file, which the RFC allows.
 * Returns `null` for "serve everything", `'unsatisfiable'` for a 416.
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first, last] = match;
  if (first === '' && last === '') return null;
  let start: number;
  let end: number;
  if (first === '') {
    // Suffix range: the last N bytes.
    const length = Number(last);
    if (length === 0) return 'unsatisfiable';
    start = Math.max(0, size - length);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) return null;
  }
  if (start >= size || size === 0) return 'unsatisfiable';
  return { start, end };
}

/** Resolves a URL path inside `dir`, refusing anything that escapes it. */
function resolveInside(dir: string, relativePath: string): string | null {
  const root = resolve(dir);
  const target = resolve(join(root, relativePath));
  if (target !== root && !target.startsWith(root + sep)) return null;
  return target;
}

async function statFile(path: string | null): Promise<Stats | null> {
  if (!path) return null;
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

/** Creates a static file server; see {@link StaticServerOptions}. */
export function createStaticServer(options: StaticServerOptions): StaticServer {
  const basePath = normalizeBasePath(options.basePath);
  const mounts = Object.entries(options.mounts ?? {})
    .map(([prefix, dir]) => [prefix.replace(/^\/+/, ''), dir] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const directoryIndex = options.directoryIndex ?? true;

  /** Candidate files for a path relative to the base, in lookup order. */
  function candidates(relativePath: string): string[] {
    for (const [prefix, dir] of mounts) {
      const bare = prefix.replace(/\/$/, '');
      if (relativePath === bare || relativePath.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) {
        const inner = relativePath.slice(bare.length).replace(/^\//, '');
        const file = resolveInside(dir, inner);
        return file ? [file] : [];
      }
    }
    return [options.root, ...(options.fallbackRoots ?? [])]
      .map((dir) => resolveInside(dir, relativePath))
      .filter((file): file is string => file !== null);
  }

  async function findFile(relativePath: string): Promise<{ file: string; stats: Stats } | 'redirect' | null> {
    for (const candidate of candidates(relativePath)) {
      const stats = await statFile(candidate);
      if (!stats) continue;
      if (stats.isFile()) return { file: candidate, stats };
      if (stats.isDirectory() && directoryIndex) {
        // `/sub` must become `/sub/` or the page's relative URLs resolve one level too high.
        if (relativePath !== '' && !relativePath.endsWith('/')) return 'redirect';
        const index = join(candidate, 'index.html');
        const indexStats = await statFile(index);
        if (indexStats?.isFile()) return { file: index, stats: indexStats };
      }
    }
    return null;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    let path = '/';
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      path = '\0';
    }
    const entry: RequestLogEntry = { method, path, status: 200, bytes: 0 };
    if (request.headers.range) entry.range = String(request.headers.range);
    response.on('finish', () => options.onRequest?.(entry));

    const finish = (status: number, message: string, headers: Record<string, string> = {}): void => {
      entry.status = status;
      const body = method === 'HEAD' ? '' : message;
      entry.bytes = Buffer.byteLength(body);
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(message)), ...headers });
      response.end(body);
    };

    if (path.includes('\0')) return finish(400, 'Bad request\n');
    // `/sub` (no slash) is the base itself: redirect so relative URLs resolve inside it.
    if (basePath !== '/' && path === basePath.slice(0, -1)) return finish(301, 'Moved\n', { Location: basePath });
    if (!path.startsWith(basePath)) return finish(404, 'Not found\n');
    const relativePath = path.slice(basePath.length);

    for (const route of options.routes ?? []) {
      if (await route(request, response, relativePath)) {
        entry.status = response.statusCode;
        return;
      }
    }

    if (method !== 'GET' && method !== 'HEAD') return finish(405, 'Method not allowed\n', { Allow: 'GET, HEAD' });

    const found = await findFile(relativePath);
    if (found === 'redirect') return finish(301, 'Moved\n', { Location: `${path}/` });
    if (!found) return finish(404, 'Not found\n');

    // Ranges address the file's own bytes, so a range request always gets the identity encoding.
    const encoded = request.headers.range ? null : precompressedFor(found.file, request.headers['accept-encoding']);
    const encodedStats = encoded ? await statFile(encoded.path) : null;
    const { file, stats } = encoded && encodedStats ? { file: encoded.path, stats: encodedStats } : found;
    const etag = encoded ? etagOf(stats).replace(/"$/, `-${encoded.encoding}"`) : etagOf(stats);
    const lastModified = new Date(Math.floor(stats.mtimeMs / 1000) * 1000).toUTCString();
    const headers: Record<string, string> = {
      'Content-Type': contentTypeFor(found.file),
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Last-Modified': lastModified,
      'Cache-Control': 'no-cache',
    };
    if (encoded && encodedStats) {
      headers['Content-Encoding'] = encoded.encoding;
      headers.Vary = 'Accept-Encoding';
    }

    const ifNoneMatch = request.headers['if-none-match'];
    const ifModifiedSince = request.headers['if-modified-since'];
    const notModified = ifNoneMatch
      ? ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')
      : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= Date.parse(lastModified);
    if (notModified) {
      entry.status = 304;
      response.writeHead(304, { ETag: etag, 'Last-Modified': lastModified, 'Cache-Control': 'no-cache' });
      response.end();
      return;
    }

    // If-Range: a range only applies when the client's copy is still current.
    const ifRange = request.headers['if-range'];
    const rangeApplies = !ifRange || ifRange === etag || ifRange === lastModified;
    const range = rangeApplies ? parseRange(request.headers.range, stats.size) : null;
    if (range === 'unsatisfiable') {
      return finish(416, 'Range not satisfiable\n', { 'Content-Range': `bytes */${stats.size}` });
    }

    let start = 0;
    let end = stats.size - 1;
    let status = 200;
    if (range) {
      ({ start, end } = range);
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${stats.size}`;
    }
    const length = stats.size === 0 ? 0 : end - start + 1;
    headers['Content-Length'] = String(length);
    entry.status = status;
    response.writeHead(status, headers);
    if (method === 'HEAD' || length === 0) {
      response.end();
      return;
    }
    entry.bytes = length;
    const stream = createReadStream(file, { start, end });
    stream.on('error', () => response.destroy());
    stream.pipe(response);
  }

  return {
    handle,
    listen(port = 0, host = '127.0.0.1') {
      const server = createServer((request, response) => {
        handle(request, response).catch(() => {
          if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
          response.end('Internal error\n');
        });
      });
      return new Promise<RunningServer>((resolvePromise, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = host.includes(':') ? `[${host}]` : host;
          resolvePromise({
            url: `http://${shownHost}:${address.port}${basePath}`,
            port: address.port,
            server,
            close: () =>
              new Promise<void>((done) => {
                server.close(() => done());
                // Keep-alive and event-stream connections would hold close() open forever.
                server.closeAllConnections();
              }),
          });
        });
      });
    },
  };
}
