/**
 * Markdown cells to HTML, with `${}` holes kept as markers so their values can
 * be filled in later as *text* (never parsed as markup). Pure: the page
 * sanitizes the HTML and swaps the markers for text nodes.
 */
import MarkdownIt from 'markdown-it';

const markdownIt = new MarkdownIt({ html: true, linkify: true, typographer: false });

// Private-use code points: markdown-it leaves them alone and people do not type them.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKER = /\uE000(\d+)\uE001/g;

/** Markdown text to HTML (unsanitized: the caller sanitizes before it reaches the DOM). */
export function markdownToHtml(markdown: string): string {
  return markdownIt.render(markdown);
}

/** Joins a cell's markdown parts with a marker where each hole goes. */
export function joinWithHoleMarkers(parts: string[]): string {
  return parts.map((part, i) => (i === 0 ? part : `${OPEN}${i - 1}${CLOSE}${part}`)).join('');
}

/** Splits text around hole markers: strings stay, markers become `{hole: index}`. */
export function splitHoleMarkers(text: string): (string | { hole: number })[] {
  const pieces: (string | { hole: number })[] = [];
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    const start = match.index ?? 0;
    if (start > last) pieces.push(text.slice(last, start));
    pieces.push({ hole: Number(match[1]) });
    last = start + match[0].length;
  }
  if (last < text.length) pieces.push(text.slice(last));
  return pieces;
}

/** True when text holds a hole marker (e.g. a marker ended up inside an attribute). */
export function hasHoleMarker(text: string): boolean {
  return text.includes(OPEN);
}

/** Removes hole markers, for places a value cannot go safely (attributes). */
export function stripHoleMarkers(text: string): string {
  return text.replace(MARKER, '');
}
