import { describe, expect, it } from 'vitest';
import { byteSize, readWithProgress } from '../../src/data/fetch-progress.ts';

/** A response whose body arrives in `chunks`, with `headers`. */
function streamed(chunks: Uint8Array[], headers: Record<string, string>): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(body, { headers });
}

const MB = 1024 * 1024;

describe('readWithProgress', () => {
  it('returns the whole body and reports the bytes received as a fraction of Content-Length', async () => {
    const chunks = [new Uint8Array(MB).fill(1), new Uint8Array(MB).fill(2), new Uint8Array(MB / 2).fill(3)];
    const reports: [number | null, string | undefined][] = [];
    const bytes = await readWithProgress(streamed(chunks, { 'content-length': String(2.5 * MB) }), (f, m) => reports.push([f, m]), 0);
    expect(bytes.byteLength).toBe(2.5 * MB);
    expect([bytes[0], bytes[MB], bytes[2 * MB]]).toEqual([1, 2, 3]);
    expect(reports.map(([f]) => f)).toEqual([0.4, 0.8, 1]);
    expect(reports.at(-1)![1]).toBe('2.5 MB of 2.5 MB received');
  });

  it('reports bytes with an indeterminate bar when the length is unknown or is the compressed length', async () => {
    const reports: [number | null, string | undefined][] = [];
    await readWithProgress(streamed([new Uint8Array(3 * MB)], { 'content-length': String(MB), 'content-encoding': 'br' }), (f, m) => reports.push([f, m]), 0);
    expect(reports).toEqual([[null, '3.0 MB received']]);
  });

  it('reports at most once per interval: the first chunk, then the end', async () => {
    const reports: unknown[] = [];
    const chunks = Array.from({ length: 50 }, () => new Uint8Array(1000));
    await readWithProgress(streamed(chunks, { 'content-length': '50000' }), (...r) => reports.push(r), 60_000);
    expect(reports).toEqual([[0.02, '1000 B of 49 kB received'], [1, '49 kB of 49 kB received']]);
  });

  it('says bytes for a file under a kilobyte, kB under a megabyte, MB above', () => {
    expect([byteSize(0), byteSize(38), byteSize(1023), byteSize(1024), byteSize(MB - 1), byteSize(35 * MB)]).toEqual(['0 B', '38 B', '1023 B', '1 kB', '1.0 MB', '35.0 MB']);
  });
});
