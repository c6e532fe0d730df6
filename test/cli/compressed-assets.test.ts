/**
 * Pre-compressed siblings: which files get them, that they decode to the
 * file, and how the static server picks one (or none) per request over real
 * HTTP: by `Accept-Encoding`, never for a range, never when stale.
 */
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressTree, precompressedFor } from '../../src/cli/compressed-assets.ts';
import { createStaticServer, type RunningServer } from '../../src/cli/static-server.ts';

const root = mkdtempSync(join(tmpdir(), 'brook-compressed-'));
const script = Buffer.from(`export const rows = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ i, name: `row ${i}` })))};\n`);
const parquet = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 7));
let server: RunningServer;

/** A raw GET (no automatic decoding): status, headers and the body bytes as sent. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, server.url), { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  writeFileSync(join(root, 'app.js'), script);
  writeFileSync(join(root, 'tiny.css'), 'body{}\n');
  writeFileSync(join(root, 'data.parquet'), parquet);
  await compressTree(root);
  server = await createStaticServer({ root, basePath: '/sub/' }).listen(0, '127.0.0.1');
});

afterAll(async () => {
  await server?.close();
});

describe('compressTree', () => {
  it('writes .br and .gz that decode to the file, only for large compressible files', () => {
    expect(brotliDecompressSync(readFileSync(join(root, 'app.js.br')))).toEqual(script);
    expect(gunzipSync(readFileSync(join(root, 'app.js.gz')))).toEqual(script);
    expect(readFileSync(join(root, 'app.js.br')).byteLength).toBeLessThan(script.byteLength / 3);
    expect(precompressedFor(join(root, 'tiny.css'), 'br')).toBeNull();
    expect(precompressedFor(join(root, 'data.parquet'), 'br, gzip')).toBeNull();
  });
});

describe('serving compressed siblings', () => {
  it('sends brotli when accepted, else gzip, else the file', async () => {
    const br = await get('app.js', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.body)).toEqual(script);
    expect(Number(br.headers['content-length'])).toBe(br.body.byteLength);

    const gz = await get('app.js', { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body)).toEqual(script);
    expect(gz.headers.etag).not.toBe(br.headers.etag);

    const refused = await get('app.js', { 'Accept-Encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toEqual(script);
    const plain = await get('app.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toEqual(script);
  });

  it('answers a range from the file itself, and revalidates each encoding on its own', async () => {
    const range = await get('app.js', { 'Accept-Encoding': 'br', Range: 'bytes=0-9' });
    expect(range.status).toBe(206);
    expect(range.headers['content-encoding']).toBeUndefined();
    expect(range.body).toEqual(script.subarray(0, 10));
    const first = await get('app.js', { 'Accept-Encoding': 'br' });
    const again = await get('app.js', { 'Accept-Encoding': 'br', 'If-None-Match': String(first.headers.etag) });
    expect(again.status).toBe(304);
  });

  it('never sends a sibling older than its file', async () => {
    const file = join(root, 'stale.js');
    writeFileSync(file, script);
    await compressTree(root, { only: ['stale.js'] });
    const changed = Buffer.from(`${script.toString()}export const more = 1;\n`);
    writeFileSync(file, changed);
    const later = new Date(Date.now() + 10_000);
    utimesSync(file, later, later);
    const response = await get('stale.js', { 'Accept-Encoding': 'br, gzip' });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).toEqual(changed);
  });
});
