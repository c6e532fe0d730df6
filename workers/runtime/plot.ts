/**
 * The `Plot` built-in: the real Observable Plot, rendering into a linkedom
 * document because a worker has no DOM. The figure's `outerHTML` crosses to
 * the page. Plot's interactive `tip` mark needs pointer events on a live
 * page, so marks with `tip` get a `<title>` per element instead (formatted
 * from their channels) and the page shows those as tooltips.
 */
import * as PlotLib from '@observablehq/plot';
import { parseHTML } from 'linkedom';

type PlotOptions = Record<string, unknown> & { marks?: unknown[]; document?: unknown };
type RenderFunction = (index: ArrayLike<number>, scales: unknown, values: ChannelValues, dimensions: unknown, context: unknown) => SvgNode | null;
interface ChannelValues {
  channels?: Record<string, { value?: ArrayLike<unknown>; label?: string } | undefined>;
}
interface SvgNode {
  children: ArrayLike<SvgNode>;
  ownerDocument: { createElementNS(ns: string, name: string): SvgNode };
  appendChild(node: SvgNode): void;
  querySelector(selector: string): unknown;
  textContent: string | null;
}
interface MarkLike {
  tip?: unknown;
  channels?: Record<string, unknown>;
  render: RenderFunction;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Channels shown in a tooltip, in this order (Plot's tip shows a similar set). */
const TIP_CHANNELS = ['x', 'x1', 'x2', 'y', 'y1', 'y2', 'fill', 'stroke', 'r', 'z', 'text', 'symbol', 'opacity', 'fx', 'fy'];

let sharedDocument: unknown;

/** A DOM document Plot can build SVG in (one per runtime; figures are serialized right away). */
function offPageDocument(): unknown {
  if (!sharedDocument) {
    const document = parseHTML('<!doctype html><html><head></head><body></body></html>').document;
    const createElement = document.createElement.bind(document);
    // linkedom has no canvas; Plot paints a continuous colour legend on one.
    document.createElement = ((name: string, options?: ElementCreationOptions) =>
      name.toLowerCase() === 'canvas' ? new RampCanvas() : createElement(name, options)) as typeof document.createElement;
    sharedDocument = document;
  }
  return sharedDocument;
}

/**
 * What Plot's continuous colour legend (a ramp) needs of a canvas: it fills
 * a 256×1 canvas one pixel at a time and uses `toDataURL()` as an image.
 * This one keeps the colours and returns them as an SVG image of one-pixel
 * stripes, which needs no canvas and passes the page's sanitizer as an image.
 */
class RampCanvas {
  width = 300;
  height = 150;
  private readonly stripes: string[] = [];

  getContext(): { fillStyle: string; fillRect(x: number): void } {
    const stripes = this.stripes;
    return {
      fillStyle: '#000',
      fillRect(x: number) {
        stripes[Math.floor(x)] = String(this.fillStyle);
      },
    };
  }

  toDataURL(): string {
    const attribute = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    // Each stripe overlaps the next by half a pixel, so no seams show when the image is stretched.
    const rects = this.stripes.map((fill, x) => `<rect x="${x}" width="1.5" height="1" fill="${attribute(fill ?? 'none')}"/>`).join('');
    const svg = `<svg xmlns="${SVG_NS}" viewBox="0 0 ${this.stripes.length} 1" preserveAspectRatio="none">${rects}</svg>`;
    return `data:image/svg+xml,${encodeURIComponent(svg)}`;
  }
}

function formatTipValue(value: unknown): string {
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'number') return value.toLocaleString('en', { maximumFractionDigits: 4 });
  return String(value);
}

/**
 * Tooltip text of element `i`: one `label: value` line per channel. An
 * interval (`x1`/`x2`: a bin or a stacked segment) is one `label: a – b` line,
 * and a line already shown (fill and z on the same field) is not repeated.
 */
function tipText(values: ChannelValues, i: number): string {
  const channels = values.channels ?? {};
  const valueOf = (name: string) => channels[name]?.value?.[i];
  const lines: string[] = [];
  const add = (line: string) => {
    if (!lines.includes(line)) lines.push(line);
  };
  for (const name of TIP_CHANNELS) {
    const value = valueOf(name);
    if (value === undefined || value === null) continue;
    const label = channels[name]!.label ?? name;
    const pair = name.endsWith('1') ? name.slice(0, -1) + '2' : null;
    const end = pair ? valueOf(pair) : undefined;
    if (pair && end !== undefined && end !== null) {
      add(`${label}: ${formatTipValue(value)} – ${formatTipValue(end)}`);
    } else if (name.endsWith('2') && valueOf(name.slice(0, -1) + '1') != null) {
      continue; // shown with its start
    } else {
      add(`${label}: ${formatTipValue(value)}`);
    }
  }
  return lines.join('\n');
}

const withTitles = new WeakSet<object>();

/**
 * Gives a mark with `tip` and no `title` channel a `<title>` per element.
 * Elements are matched to the index when the mark draws one element per
 * datum (dot, bar, cell, rect, text, tick …); series marks (line, area) are left as they are.
 */
function addTipTitles(mark: MarkLike): void {
  if (!mark.tip || mark.channels?.title || withTitles.has(mark)) return;
  withTitles.add(mark);
  const render = mark.render;
  mark.render = function (this: MarkLike, index, scales, values, dimensions, context) {
    const node = render.call(this, index, scales, values, dimensions, context);
    if (!node || !index) return node;
    const elements = Array.from(node.children);
    if (elements.length !== index.length) return node;
    elements.forEach((element, k) => {
      if (element.querySelector('title')) return;
      const text = tipText(values, index[k]!);
      if (!text) return;
      const title = node.ownerDocument.createElementNS(SVG_NS, 'title');
      title.textContent = text;
      element.appendChild(title);
    });
    return node;
  };
}

function eachMark(marks: unknown, visit: (mark: MarkLike) => void): void {
  if (Array.isArray(marks)) for (const mark of marks) eachMark(mark, visit);
  else if (marks instanceof PlotLib.Mark) visit(marks as unknown as MarkLike);
}

/** `Plot.plot` rendering off-page, with tooltips as `<title>`. */
function plot(options: PlotOptions = {}): unknown {
  eachMark(options.marks, addTipTitles);
  return PlotLib.plot({ ...options, document: options.document ?? offPageDocument() } as PlotLib.PlotOptions);
}

function legend(options: Record<string, unknown> = {}): unknown {
  return PlotLib.legend({ ...options, document: options.document ?? offPageDocument() } as PlotLib.LegendOptions);
}

// `mark.plot()` and `Plot.marks(…).plot()` call Plot's internal `plot`; route them through ours.
(PlotLib.Mark.prototype as unknown as { plot: unknown }).plot = function (this: unknown, options: PlotOptions = {}) {
  return plot({ ...options, marks: [...(options.marks ?? []), this] });
};

/** The `Plot` built-in: every export of Observable Plot, with `plot` and `legend` rendering off-page. */
export const Plot: typeof PlotLib = { ...PlotLib, plot, legend } as unknown as typeof PlotLib;
