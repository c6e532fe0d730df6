import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assetSizes, compressedSizes, totalSizes } from '../asset-sizes.ts';

describe('asset sizes', () => {
  it('measures raw, gzip and brotli sizes of every file, largest first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-assets-'));
    mkdirSync(join(dir, 'assets'));
    const repetitive = 'abcdefgh'.repeat(10_000);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><p>hi</p>');
    writeFileSync(join(dir, 'assets', 'big.js'), repetitive);
    const sizes = assetSizes(dir);
    expect(sizes.map((s) => s.path)).toEqual([join('assets', 'big.js'), 'index.html']);
    expect(sizes[0].raw).toBe(80_000);
    // Repetitive text compresses far below its size; brotli at least as well as gzip here.
    expect(sizes[0].gzip).toBeLessThan(1_000);
    expect(sizes[0].brotli).toBeLessThanOrEqual(sizes[0].gzip);
    expect(totalSizes(sizes).raw).toBe(80_000 + 24);
  });

  it('reports the real gzip size', () => {
    const bytes = new TextEncoder().encode('hello hello hello');
    const { gzip } = compressedSizes(bytes);
    const compressed = gzipSync(bytes, { level: 9 });
    expect(gzip).toBe(compressed.byteLength);
    expect(gunzipSync(compressed).toString()).toBe('hello hello hello');
  });
});
