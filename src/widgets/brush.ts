/**
 * The brush's geometry, kept pure so it is tested without a page: the frame
 * a brush may cover, pixels → the value the brush returns, and a value →
 * the pixels it covers (to draw a restored or re-rendered brush).
 */
import type { ScaleInfo } from './spec.ts';
import { bandwidthOf, categoriesIn, fromPixel, indexOfCategory, isOrdinal, isTime, roundAtPixel, toPixel } from './scales.ts';

export type Axis = 'x' | 'y';
/** A brushed extent in the figure's own pixels (SVG units), per axis. */
export type PixelBrush = Partial<Record<Axis, [number, number]>>;
export interface BrushFigure {
  width: number;
  height: number;
  scales: Partial<Record<Axis, ScaleInfo>>;
}

/** The pixel span of the plot area along an axis (a scale's range, else the whole figure). */
export function frameOf(figure: BrushFigure, axis: Axis): [number, number] {
  const scale = figure.scales[axis];
  if (scale) return [Math.min(...scale.range), Math.max(...scale.range)];
  return axis === 'x' ? [0, figure.width] : [0, figure.height];
}

/** One axis's value for a pixel extent: `[lo, hi]` (Dates on time scales) or the categories covered; null when empty. */
export function axisValue(scale: ScaleInfo, extent: [number, number]): unknown[] | null {
  const [a, b] = extent[0] <= extent[1] ? extent : [extent[1], extent[0]];
  if (isOrdinal(scale)) {
    const covered = categoriesIn(scale, a, b);
    return covered.length > 0 ? covered : null;
  }
  if (b - a < 1) return null;
  const ends = [a, b].map((p) => roundAtPixel(scale, p, fromPixel(scale, p)));
  const [lo, hi] = ends[0]! <= ends[1]! ? ends : [ends[1]!, ends[0]!];
  return isTime(scale) ? [new Date(lo!), new Date(hi!)] : [lo, hi];
}

/** The brush's value: `[lo, hi]` for one axis, `{x, y}` for two, null when nothing is brushed. */
export function brushValue(figure: BrushFigure, axes: Axis[], brush: PixelBrush | null): unknown {
  if (!brush) return null;
  const values: Partial<Record<Axis, unknown[]>> = {};
  for (const axis of axes) {
    const extent = brush[axis];
    const scale = figure.scales[axis];
    if (!extent || !scale) return null;
    const value = axisValue(scale, extent);
    if (!value) return null;
    values[axis] = value;
  }
  return axes.length === 1 ? values[axes[0]!] : values;
}

/** The pixels one axis's value covers, or undefined when it cannot be drawn on this scale. */
export function axisPixels(scale: ScaleInfo, value: unknown): [number, number] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (isOrdinal(scale)) {
    const starts = value.map((v) => scale.positions?.[indexOfCategory(scale.domain, v)]).filter((p): p is number => p !== undefined);
    if (starts.length === 0) return undefined;
    return [Math.min(...starts), Math.max(...starts) + bandwidthOf(scale)];
  }
  const ends = value.slice(0, 2).map((v) => toPixel(scale, typeof v === 'string' && isTime(scale) ? Date.parse(v) : v));
  if (ends.some((p) => !Number.isFinite(p))) return undefined;
  return [Math.min(ends[0]!, ends[1]!), Math.max(ends[0]!, ends[1]!)];
}

/** The pixel brush a value covers (the whole frame on axes not brushed), or null. */
export function brushPixels(figure: BrushFigure, axes: Axis[], value: unknown): PixelBrush | null {
  if (value === null || value === undefined) return null;
  const brush: PixelBrush = {};
  for (const axis of ['x', 'y'] as const) {
    if (!axes.includes(axis)) {
      brush[axis] = frameOf(figure, axis);
      continue;
    }
    const scale = figure.scales[axis];
    const part = axes.length === 1 ? value : (value as Record<string, unknown>)[axis];
    const pixels = scale && axisPixels(scale, part);
    if (!pixels) return null;
    brush[axis] = pixels;
  }
  return brush;
}
