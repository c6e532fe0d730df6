import { describe, expect, it } from 'vitest';
import type { SeededResult } from '../../src/data/api.ts';
import { BuildResults } from '../../src/data/build-results.ts';

const result = (key: string, url: string): SeededResult => ({ key, url, rowCount: 1, columns: [], tables: ['t'] });
const bytesOf = (text: string) => new TextEncoder().encode(text);

/** A fake host: each URL answers once it is released (or at once when `ready`). */
function host(ready: Record<string, Uint8Array>) {
  const held = new Map<string, (bytes: Uint8Array | Error) => void>();
  const asked: string[] = [];
  const fetchBytes = (url: string) => {
    asked.push(url);
    if (url in ready) return Promise.resolve(ready[url]);
    return new Promise<Uint8Array>((resolve, reject) => held.set(url, (b) => (b instanceof Error ? reject(b) : resolve(b))));
  };
  return { fetchBytes, asked, release: (url: string, bytes: Uint8Array | Error) => held.get(url)!(bytes) };
}

describe('BuildResults', () => {
  it("answers a seed always, an answer of the other values only while the table's first load is under way", async () => {
    const list = JSON.stringify([result('other', 'other.arrow')]);
    const { fetchBytes } = host({
      'http://site/seed.arrow': bytesOf('seed'),
      'http://site/snapshot/answers.json': bytesOf(list),
      'http://site/snapshot/other.arrow': bytesOf('other'),
    });
    const built = new BuildResults(fetchBytes);
    built.replace([result('default', 'http://site/seed.arrow')], 'http://site/snapshot/answers.json');
    const loading = new Promise(() => {});
    expect(new TextDecoder().decode((await built.get('default'))!.ipc)).toBe('seed');
    // The list's urls are read relative to the list.
    expect(new TextDecoder().decode((await built.get('other', loading))!.ipc)).toBe('other');
    expect(await built.get('other')).toBeUndefined();
    expect(await built.get('unknown', loading)).toBeUndefined();
  });

  it('waits for the answers list no longer than for the load, and a list of the notebook before never lands', async () => {
    const { fetchBytes, release } = host({ 'http://site/b.arrow': bytesOf('b') });
    const built = new BuildResults(fetchBytes);
    built.replace([], 'http://site/first.json');
    let loaded!: () => void;
    const loading = new Promise<void>((resolve) => (loaded = resolve));
    const waiting = built.get('b', loading);
    loaded();
    expect(await waiting).toBeUndefined();

    // Another notebook takes over while the first list still downloads: the first list arrives late and is dropped.
    built.replace([]);
    release('http://site/first.json', bytesOf(JSON.stringify([result('b', 'b.arrow')])));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await built.get('b', new Promise(() => {}))).toBeUndefined();
    expect(built.empty).toBe(true);
  });

  it('forgets a result whose bytes cannot be fetched: the query runs instead', async () => {
    const { fetchBytes, release, asked } = host({});
    const built = new BuildResults(fetchBytes);
    built.replace([result('k', 'http://site/k.arrow')]);
    const first = built.get('k');
    release('http://site/k.arrow', new Error('HTTP 404'));
    expect(await first).toBeUndefined();
    expect(await built.get('k')).toBeUndefined();
    expect(asked).toEqual(['http://site/k.arrow']);
  });
});
