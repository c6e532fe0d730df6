/**
 * Finds the structural blocks of a notebook body: top-level code fences and
 * `:::` container lines. Everything else is Markdown.
 *
 * Why markdown-it instead of a line scanner: whether a line opens a fence
 * depends on all of CommonMark's block structure (a fence inside a list item,
 * block quote or HTML block is Markdown content; four spaces of indentation make
 * an indented code block; closing fences need the same character and at least
 * the opening length). markdown-it implements exactly that and reports line
 * maps, so only the `:::` rule is ours.
 */
import MarkdownIt from 'markdown-it';
import type { StateBlock, Token } from 'markdown-it';

/** A fenced code block at the top level of the document. Lines are 0-based, `endLine` exclusive. */
export interface FenceBlock {
  type: 'fence';
  startLine: number;
  endLine: number;
  /** False when the document ended before a closing fence. */
  closed: boolean;
  /** The info string after the fence characters, as written. */
  info: string;
}

/** A `:::` line (opening or closing a container). */
export interface MarkerBlock {
  type: 'marker';
  line: number;
  /** Text after the colons, trimmed; `''` for a closing marker. */
  argument: string;
}

export type Block = FenceBlock | MarkerBlock;

/**
 * Container lines start in column 1 with three or more colons. Requiring column
 * 1 keeps `:::` text that is indented into a list item (or a code block) as
 * Markdown, and lets a marker end a paragraph, list or quote above it.
 */
const MARKER = /^:{3,}(.*)$/;

function markerLine(state: StateBlock, line: number): RegExpMatchArray | null {
  const lineStarts = (state.env as { lineStarts: number[] }).lineStarts;
  const start = lineStarts[line];
  const end = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : state.src.length;
  return MARKER.exec(state.src.slice(start, end));
}

function containerRule(state: StateBlock, startLine: number, _endLine: number, silent: boolean): boolean {
  const match = markerLine(state, startLine);
  if (!match) return false;
  if (silent) return true;
  const token = state.push('brook_marker', '', 0);
  token.info = match[1].trim();
  token.map = [startLine, startLine + 1];
  state.line = startLine + 1;
  return true;
}

const md = new MarkdownIt('commonmark');
md.block.ruler.before('fence', 'brook_marker', containerRule, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });

/**
 * Lists the top-level fences and container lines of `text` in document order.
 * `text` must be newline-normalized; lines before `firstLine` (front matter)
 * are not parsed.
 */
export function scanBlocks(text: string, lineStarts: readonly number[], firstLine: number): Block[] {
  const tokens: Token[] = [];
  const state = new md.block.State(text, md, { lineStarts }, tokens);
  // Start below the front matter while keeping markdown-it's line numbers equal to the file's.
  md.block.tokenize(state, firstLine, state.lineMax);
  const blocks: Block[] = [];
  for (const token of tokens) {
    if (token.level !== 0 || !token.map) continue;
    if (token.type === 'brook_marker') {
      blocks.push({ type: 'marker', line: token.map[0], argument: token.info });
    } else if (token.type === 'fence') {
      const [startLine, endLine] = token.map;
      blocks.push({ type: 'fence', startLine, endLine, closed: isClosingFence(text, lineStarts, token.markup, startLine, endLine), info: token.info });
    }
  }
  return blocks;
}

/**
 * markdown-it does not say whether a fence was closed; it was when the block
 * has more than one line and its last line is a valid closing fence (same
 * character, at least as long, at most three spaces of indentation).
 */
function isClosingFence(text: string, lineStarts: readonly number[], markup: string, startLine: number, endLine: number): boolean {
  if (endLine - startLine < 2) return false;
  const last = endLine - 1;
  const lineText = text.slice(lineStarts[last], last + 1 < lineStarts.length ? lineStarts[last + 1] - 1 : text.length);
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(lineText);
  return match !== null && match[1][0] === markup[0] && match[1].length >= markup.length;
}
