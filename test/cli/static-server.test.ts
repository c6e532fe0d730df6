/**
 * The static server over real HTTP on 127.0.0.1: MIME types, byte ranges,
 * validators, sub-path mounting, mounts, routes and the request log.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticServer, parseRange, type RequestLogEntry, type RunningServer } from '../../src/cli/static-server.ts';

const root = mkdtempSync(join(tmpdir(), 'brook-static-'));
const extra = mkdtempSync(join(tmpdir(), 'brook-static-extra-'));
const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

beforeAll(() => {
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>root</title>');
  writeFileSync(join(root, 'engine.wasm'), Buffer.from([0, 97, 115, 109]));
  writeFileSync(join(root, 'notebook.md'), '# Hello\n');
  writeFileSync(join(root, 'data.parquet'), bytes);
  writeFileSync(join(root, 'data.arrow'), bytes);
  writeFileSync(join(root, 'app.js'), 'export {};\n');
  writeFileSync(join(root, 'style.css'), 'body{}\n');
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'index.html'), '<p>sub</p>');
  writeFileSync(join(extra, 'weather.md'), '# Weather\n');
});

describe('parseRange', () => {
  it('reads start-end, open-ended and suffix ranges, clamping to the file', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
  });
  it('rejects ranges past the end and ignores malformed or multi-range headers', () => {
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
    expect(parseRange(undefined, 100)).toBeNull();
  });
});

describe('static server at /', () => {
  let running: RunningServer;
  const log: RequestLogEntry[] = [];

  beforeAll(async () => {
    running = await createStaticServer({
      root,
      mounts: { 'examples/': extra },
      onRequest: (entry) => log.push(entry),
      routes: [
        (_request, response, path) => {
          if (path !== '__brook/ping') return false;
          response.writeHead(200, { 'Content-Type': 'text/plain' });
          response.end('pong');
          return true;
        },
      ],
    }).listen(0);
  });
  afterAll(() => running.close());

  it('listens on a free port of 127.0.0.1', () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(running.port).toBeGreaterThan(0);
  });

  it('serves the right content types', async () => {
    const types: Record<string, string> = {
      '': 'text/html; charset=utf-8',
      'engine.wasm': 'application/wasm',
      'notebook.md': 'text/markdown; charset=utf-8',
      'data.parquet': 'application/octet-stream',
      'data.arrow': 'application/octet-stream',
      'app.js': 'text/javascript; charset=utf-8',
      'style.css': 'text/css; charset=utf-8',
    };
    for (const [path, type] of Object.entries(types)) {
      const response = await fetch(running.url + path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe(type);
      await response.arrayBuffer();
    }
  });

  it('sends no cross-origin isolation or CORS headers', async () => {
    const response = await fetch(running.url + 'engine.wasm');
    await response.arrayBuffer();
    for (const header of ['cross-origin-opener-policy', 'cross-origin-embedder-policy', 'access-control-allow-origin']) {
      expect(response.headers.get(header)).toBeNull();
    }
  });

  it('answers a Range request with 206 and exactly those bytes', async () => {
    const response = await fetch(running.url + 'data.parquet', { headers: { Range: 'bytes=100-199' } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(response.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes.subarray(100, 200));

    const suffix = await fetch(running.url + 'data.parquet', { headers: { Range: 'bytes=-8' } });
    expect(suffix.status).toBe(206);
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(bytes.subarray(992));
  });

  it('answers an unsatisfiable range with 416', async () => {
    const response = await fetch(running.url + 'data.parquet', { headers: { Range: 'bytes=5000-6000' } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */1000');
    await response.text();
  });

  it('answers HEAD with the length and no body', async () => {
    const response = await fetch(running.url + 'data.arrow', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('1000');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
  });

  it('revalidates with ETag and Last-Modified', async () => {
    const first = await fetch(running.url + 'notebook.md');
    const etag = first.headers.get('etag');
    const lastModified = first.headers.get('last-modified');
    await first.text();
    expect(etag).toBeTruthy();
    expect(lastModified).toBeTruthy();
    const byTag = await fetch(running.url + 'notebook.md', { headers: { 'If-None-Match': etag! } });
    expect(byTag.status).toBe(304);
    const byDate = await fetch(running.url + 'notebook.md', { headers: { 'If-Modified-Since': lastModified! } });
    expect(byDate.status).toBe(304);
    const stale = await fetch(running.url + 'notebook.md', { headers: { 'If-None-Match': 'W/"other"' } });
    expect(stale.status).toBe(200);
    expect(await stale.text()).toBe('# Hello\n');
  });

  it('serves mounted directories under their prefix', async () => {
    const response = await fetch(running.url + 'examples/weather.md');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('# Weather\n');
    expect((await fetch(running.url + 'examples/notebook.md')).status).toBe(404);
  });

  it('serves a directory index and redirects a directory without its slash', async () => {
    const response = await fetch(running.url + 'sub/');
    expect(await response.text()).toBe('<p>sub</p>');
    const bare = await fetch(running.url + 'sub', { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/sub/');
  });

  it('gives 404 for missing files and refuses to leave the root', async () => {
    expect((await fetch(running.url + 'missing.js')).status).toBe(404);
    expect((await fetch(running.url + '..%2f..%2fetc%2fpasswd')).status).toBe(404);
    expect((await fetch(running.url + 'examples/..%2f..%2fetc%2fpasswd')).status).toBe(404);
  });

  it('tries routes before files', async () => {
    const response = await fetch(running.url + '__brook/ping');
    expect(await response.text()).toBe('pong');
  });

  it('logs every request with its status and range', async () => {
    log.length = 0;
    await (await fetch(running.url + 'data.parquet', { headers: { Range: 'bytes=0-3' } })).arrayBuffer();
    await (await fetch(running.url + 'nope')).text();
    await expect.poll(() => log.length).toBe(2);
    expect(log[0]).toMatchObject({ method: 'GET', path: '/data.parquet', status: 206, range: 'bytes=0-3', bytes: 4 });
    expect(log[1]).toMatchObject({ path: '/nope', status: 404 });
  });
});

describe('static server under a sub-path', () => {
  let running: RunningServer;
  beforeAll(async () => {
    running = await createStaticServer({ root, basePath: 'some/sub' }).listen(0);
  });
  afterAll(() => running.close());

  it('serves under the base path only', async () => {
    expect(running.url).toMatch(/\/some\/sub\/$/);
    const inside = await fetch(running.url + 'notebook.md');
    expect(inside.status).toBe(200);
    expect(await inside.text()).toBe('# Hello\n');
    const origin = new URL(running.url).origin;
    expect((await fetch(origin + '/notebook.md')).status).toBe(404);
    expect((await fetch(origin + '/some/notebook.md')).status).toBe(404);
  });

  it('redirects the base path without its slash', async () => {
    const response = await fetch(new URL(running.url).origin + '/some/sub', { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/some/sub/');
  });
});
