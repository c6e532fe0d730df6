import { describe, expect, it } from 'vitest';
import {
  hasHoleMarker,
  joinWithHoleMarkers,
  markdownToHtml,
  splitHoleMarkers,
  stripHoleMarkers,
} from '../../src/app/markdown-render.ts';

describe('markdown holes', () => {
  it('keeps a marker per hole through markdown rendering', () => {
    const html = markdownToHtml(joinWithHoleMarkers(['# Total: ', '\n\n**', '** orders']));
    const pieces = splitHoleMarkers(html);
    expect(pieces.filter((p) => typeof p !== 'string')).toEqual([{ hole: 0 }, { hole: 1 }]);
    expect(html).toContain('<h1>');
    expect(html).toContain('<strong>');
  });

  it('splits text exactly around markers', () => {
    const text = joinWithHoleMarkers(['a', 'b', '', 'c']);
    expect(splitHoleMarkers(text)).toEqual(['a', { hole: 0 }, 'b', { hole: 1 }, { hole: 2 }, 'c']);
    expect(splitHoleMarkers('plain')).toEqual(['plain']);
  });

  it('a single part has no markers', () => {
    expect(joinWithHoleMarkers(['just text'])).toBe('just text');
    expect(hasHoleMarker('just text')).toBe(false);
  });

  it('strips markers from attribute text', () => {
    const text = joinWithHoleMarkers(['https://x/', '']);
    expect(hasHoleMarker(text)).toBe(true);
    expect(stripHoleMarkers(text)).toBe('https://x/');
  });

  it('passes inline HTML through for the sanitizer to judge', () => {
    expect(markdownToHtml('<b>hi</b>')).toContain('<b>hi</b>');
  });
});
