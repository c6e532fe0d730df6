import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, SHARE_URL_LIMIT, shareUrl } from '../../src/store/share.ts';

const unicode = '---\ntitle: Ventes — été 🌊\n---\n\n# 数据 ${x}\n\n```js\nconst x = slider("ñ", {min: 0, max: 10})\n```\n';

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

describe('share links', () => {
  it('round-trips unicode source and inputs', () => {
    const payload = { source: unicode, inputs: { 'cell-1:ñ': 7, range: [1, 2], name: 'Zoë 😀', on: true, none: null } };
    const decoded = decodeShare(encodeShare(payload));
    expect(decoded).toEqual({ ok: true, value: payload });
  });

  it('round-trips arbitrary payloads (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.dictionary(fc.string(), fc.jsonValue()), (source, inputs) => {
        const decoded = decodeShare(encodeShare({ source, inputs }));
        expect(decoded.ok).toBe(true);
        if (decoded.ok) expect(decoded.value).toEqual(JSON.parse(JSON.stringify({ source, inputs })));
      }),
      { numRuns: 200 },
    );
  });

  it('carries the data in the hash, replacing any hash of the base, URL-safe', () => {
    const { url } = shareUrl('https://host.example/apps/brook/?x=1#/example/a.md', { source: '# hi', inputs: {} });
    expect(url.startsWith('https://host.example/apps/brook/?x=1#/s/')).toBe(true);
    const data = url.slice(url.indexOf('#/s/') + 4);
    expect(data).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeShare(url)).toEqual({ ok: true, value: { source: '# hi', inputs: {} } });
    expect(decodeShare(`/s/${data}`).ok).toBe(true);
  });

  it('compresses a big notebook and flags links over the limit', () => {
    // 2,000 cells of repetitive code compress well; random text does not.
    const big = Array.from({ length: 2000 }, (_, i) => `\`\`\`js\nconst v${i} = ${i} * 2\n\`\`\`\n`).join('\n');
    const short = shareUrl('https://h/', { source: big, inputs: {} });
    expect(short.bytes).toBeLessThan(big.length / 3);
    expect(decodeShare(short.url)).toEqual({ ok: true, value: { source: big, inputs: {} } });

    let seed = 1;
    const noise = Array.from({ length: 20_000 }, () => String.fromCharCode(33 + ((seed = (seed * 16807) % 2147483647) % 90))).join('');
    const long = shareUrl('https://h/', { source: noise, inputs: {} });
    expect(long.tooLong).toBe(true);
    expect(long.bytes).toBe(long.url.length);
    expect(long.bytes).toBeGreaterThan(SHARE_URL_LIMIT);
    expect(short.tooLong).toBe(short.bytes > SHARE_URL_LIMIT);
    expect(decodeShare(long.url).ok).toBe(true);
  });

  it('a truncated link gives a clear message', () => {
    const data = encodeShare({ source: unicode.repeat(20), inputs: { a: 1 } });
    const cut = decodeShare(data.slice(0, Math.floor(data.length / 2)));
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(cut.error.message).toMatch(/incomplete or damaged/);
  });

  it('rejects characters outside base64url, unknown formats and empty data', () => {
    const data = encodeShare({ source: 'x', inputs: {} });
    const bad = decodeShare(data.slice(0, 5) + '%' + data.slice(6));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/damaged/);
    const future = decodeShare('9' + data.slice(1));
    expect(!future.ok && future.error.message).toMatch(/format/);
    const empty = decodeShare('#/s/');
    expect(!empty.ok && empty.error.message).toMatch(/no notebook/);
  });

  it('rejects a payload of the wrong shape', () => {
    const pack = (value: unknown) => '1' + base64url(deflateSync(strToU8(JSON.stringify(value))));
    for (const value of [[1, 2], { source: 5 }, { inputs: {} }, { source: 'x', inputs: [1] }, 'text']) {
      const decoded = decodeShare(pack(value));
      expect(decoded.ok, JSON.stringify(value)).toBe(false);
    }
    const notJson = decodeShare('1' + base64url(deflateSync(strToU8('{not json'))));
    expect(!notJson.ok && notJson.error.message).toMatch(/not valid/);
    // Missing inputs is fine: an old or hand-made link with source only.
    expect(decodeShare(pack({ source: 's' }))).toEqual({ ok: true, value: { source: 's', inputs: {} } });
  });

  it('refuses a link that inflates past the size limit (zip bomb)', () => {
    const bomb = '1' + base64url(deflateSync(new Uint8Array(20 * 1024 * 1024).fill(32)));
    expect(bomb.length).toBeLessThan(100_000);
    const decoded = decodeShare(bomb);
    expect(!decoded.ok && decoded.error.message).toMatch(/16 MB/);
  });
});
