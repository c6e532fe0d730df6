/**
 * A Plot figure as `brush` and `pick` need it: its markup, the size of its
 * plot area, its x and y scales as data (Plot's `figure.scale(name)`), and
 * the data behind each element `plot.ts` tagged `data-brook-datum="mark:index"`.
 * Duck-typed on the element, so this file does not pull Plot or linkedom
 * into the worker's entry chunk (see plot-loader.ts).
 */
import type { FigureSpec, ScaleInfo } from '../../src/widgets/spec.ts';
import { isElementLike } from './markup.ts';

/** Where `plot.ts` leaves each mark's data on the figure it returns. */
export const MARK_DATA = Symbol.for('brook.markData');

interface NodeLike {
  tagName?: string;
  outerHTML: string;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<NodeLike>;
}

interface PlotScale {
  type?: string;
  domain?: unknown[];
  range?: unknown[];
  base?: number;
  exponent?: number;
  constant?: number;
  bandwidth?: number;
  apply?: (value: unknown) => number;
}

/** The plot's own `<svg>` (a titled figure or one with legends wraps it): the largest one. */
function plotSvg(figure: NodeLike): NodeLike | undefined {
  const svgs = figure.tagName?.toLowerCase() === 'svg' ? [figure] : Array.from(figure.querySelectorAll('svg'));
  let best: NodeLike | undefined;
  let area = -1;
  for (const svg of svgs) {
    const a = Number(svg.getAttribute('width')) * Number(svg.getAttribute('height'));
    if (a > area) [best, area] = [svg, a];
  }
  return best;
}

/** A scale of the figure as plain data, or undefined when it has none by that name. */
function scaleInfo(figure: { scale?: (name: string) => PlotScale | undefined }, name: 'x' | 'y'): ScaleInfo | undefined {
  let scale: PlotScale | undefined;
  try {
    scale = figure.scale?.(name);
  } catch {
    return undefined;
  }
  if (!scale?.type || !Array.isArray(scale.domain) || !Array.isArray(scale.range)) return undefined;
  const info: ScaleInfo = { type: scale.type, domain: [...scale.domain], range: [Number(scale.range[0]), Number(scale.range[scale.range.length - 1])] };
  for (const key of ['base', 'exponent', 'constant', 'bandwidth'] as const) {
    if (typeof scale[key] === 'number') info[key] = scale[key];
  }
  if ((scale.type === 'band' || scale.type === 'point') && scale.apply) {
    const apply = scale.apply;
    info.positions = scale.domain.map((d) => apply(d));
  }
  return info;
}

/** The row at `index` of a mark's data (an array, an Arrow table, or another iterable). */
function datumAt(data: unknown, index: number): unknown {
  if (Array.isArray(data)) return data[index];
  if (data && typeof (data as { get?: unknown }).get === 'function') return (data as { get(i: number): unknown }).get(index);
  if (data && typeof data === 'object' && Symbol.iterator in data) return Array.from(data as Iterable<unknown>)[index];
  return undefined;
}

/** A figure for `brush`/`pick`; a TypeError naming `call` for anything that is not a Plot figure. */
export function figureSpec(value: unknown, call: string): FigureSpec {
  if (!isElementLike(value) || typeof (value as { scale?: unknown }).scale !== 'function') {
    throw new TypeError(`${call}: the figure must be a Plot figure (Plot.plot({…})).`);
  }
  const figure = value as unknown as NodeLike & { scale(name: string): PlotScale | undefined; [MARK_DATA]?: unknown[] };
  const svg = plotSvg(figure);
  const width = Number(svg?.getAttribute('width')) || 640;
  const height = Number(svg?.getAttribute('height')) || 400;
  const scales: FigureSpec['scales'] = {};
  const x = scaleInfo(figure, 'x');
  const y = scaleInfo(figure, 'y');
  if (x) scales.x = x;
  if (y) scales.y = y;
  const marks = figure[MARK_DATA] ?? [];
  const ids = Array.from(figure.querySelectorAll('[data-brook-datum]'), (node) => node.getAttribute('data-brook-datum') ?? '');
  const data = (id: string) => {
    const [mark, index] = id.split(':').map(Number);
    return datumAt(marks[mark!], index!);
  };
  return { html: figure.outerHTML, width, height, scales, ids, data };
}
