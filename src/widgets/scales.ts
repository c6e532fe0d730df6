/**
 * Position scales of a Plot figure, as data: pixels ↔ data units for the
 * brush (on the page), and the checks the runtime makes when a saved brush
 * meets a figure again. Pure; the same arithmetic as d3's linear, pow, log,
 * symlog, time and band scales, for the parameters Plot's `figure.scale()` reports.
 */
import type { ScaleInfo } from './spec.ts';

/** Whether the scale maps categories (band, point) rather than a continuum. */
export function isOrdinal(scale: ScaleInfo): boolean {
  return scale.type === 'band' || scale.type === 'point' || scale.type === 'ordinal';
}

/** Whether the scale's values are instants (returned as `Date`s). */
export function isTime(scale: ScaleInfo): boolean {
  return scale.type === 'time' || scale.type === 'utc';
}

/** The scale's transform of a continuous value (d3's, before the linear map onto the range). */
function transform(scale: ScaleInfo): { forward: (v: number) => number; back: (t: number) => number } {
  switch (scale.type) {
    case 'log': {
      // d3 mirrors a negative domain.
      const sign = Number(scale.domain[0]) < 0 ? -1 : 1;
      return { forward: (v) => sign * Math.log(sign * v), back: (t) => sign * Math.exp(sign * t) };
    }
    case 'pow':
    case 'sqrt': {
      const k = scale.type === 'sqrt' ? 0.5 : (scale.exponent ?? 1);
      const pow = (v: number, e: number) => (v < 0 ? -Math.pow(-v, e) : Math.pow(v, e));
      return { forward: (v) => pow(v, k), back: (t) => pow(t, 1 / k) };
    }
    case 'symlog': {
      const c = scale.constant ?? 1;
      return {
        forward: (v) => Math.sign(v) * Math.log1p(Math.abs(v / c)),
        back: (t) => Math.sign(t) * Math.expm1(Math.abs(t)) * c,
      };
    }
    default:
      return { forward: (v) => v, back: (t) => t };
  }
}

/** A continuous domain value as a number (Dates as epoch milliseconds). */
function numberOf(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number(value);
}

/** The pixel of a data value (continuous scales), or of a category's band start (band, point). */
export function toPixel(scale: ScaleInfo, value: unknown): number {
  if (isOrdinal(scale)) {
    const at = indexOfCategory(scale.domain, value);
    return at < 0 ? NaN : (scale.positions?.[at] ?? NaN);
  }
  const { forward } = transform(scale);
  const [d0, d1] = [forward(numberOf(scale.domain[0])), forward(numberOf(scale.domain[scale.domain.length - 1]))];
  const [r0, r1] = scale.range;
  const t = d1 === d0 ? 0.5 : (forward(numberOf(value)) - d0) / (d1 - d0);
  return r0 + t * (r1 - r0);
}

/** The data value at a pixel (continuous scales), as a number (epoch ms for time scales). */
export function fromPixel(scale: ScaleInfo, pixel: number): number {
  const { forward, back } = transform(scale);
  const [d0, d1] = [forward(numberOf(scale.domain[0])), forward(numberOf(scale.domain[scale.domain.length - 1]))];
  const [r0, r1] = scale.range;
  const t = r1 === r0 ? 0 : (pixel - r0) / (r1 - r0);
  return back(d0 + t * (d1 - d0));
}

/**
 * Rounds a value at `pixel` to the precision a pixel can express (a quarter
 * of one), so a brush reads `[-20, 45.5]` rather than `[-20.0417, 45.4921]`.
 */
export function roundAtPixel(scale: ScaleInfo, pixel: number, value: number): number {
  if (isTime(scale)) return Math.round(value);
  const spread = Math.abs(fromPixel(scale, pixel + 0.125) - fromPixel(scale, pixel - 0.125));
  if (!(spread > 0) || !Number.isFinite(spread)) return value;
  const step = Math.pow(10, Math.floor(Math.log10(spread)));
  const rounded = Math.round(value / step) * step;
  // Strip binary noise (0.1 + 0.2) by printing at the step's decimals.
  return Number(rounded.toFixed(Math.max(0, -Math.floor(Math.log10(step)))));
}

/** The band width of a band/point scale, in pixels (0 for point scales). */
export function bandwidthOf(scale: ScaleInfo): number {
  return scale.bandwidth ?? 0;
}

/** The categories whose band's middle lies in the pixel interval `[a, b]`, in domain order. */
export function categoriesIn(scale: ScaleInfo, a: number, b: number): unknown[] {
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  const half = bandwidthOf(scale) / 2;
  return scale.domain.filter((_, i) => {
    const middle = (scale.positions?.[i] ?? NaN) + half;
    return middle >= lo && middle <= hi;
  });
}

/** A category's position in the domain, comparing Dates by time and other values by identity or text. */
export function indexOfCategory(domain: unknown[], value: unknown): number {
  const key = categoryKey(value);
  return domain.findIndex((d) => categoryKey(d) === key);
}

function categoryKey(value: unknown): string {
  if (value instanceof Date) return `d${value.getTime()}`;
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(Date.parse(value))) return `d${Date.parse(value)}`;
  return `${typeof value === 'number' ? 'n' : 's'}${String(value)}`;
}

/** A saved interval end as the scale's kind of value (a Date for time scales), or undefined. */
function endOf(scale: ScaleInfo, value: unknown): number | Date | undefined {
  const n = value instanceof Date ? value.getTime() : typeof value === 'string' ? (isTime(scale) ? Date.parse(value) : Number(value)) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
  return isTime(scale) ? new Date(n) : n;
}

/**
 * A saved brush interval for one axis, checked against the figure's scale as
 * it is now: `[lo, hi]` inside the domain (Dates for time scales), the
 * categories still in the domain for band/point scales; `undefined` when it
 * no longer fits (the brush is then cleared).
 */
export function intervalOn(scale: ScaleInfo, saved: unknown): unknown[] | undefined {
  if (!Array.isArray(saved)) return undefined;
  if (isOrdinal(scale)) {
    const kept = scale.domain.filter((d) => saved.some((s) => indexOfCategory([d], s) === 0));
    return kept.length > 0 ? kept : undefined;
  }
  if (saved.length !== 2) return undefined;
  const ends = saved.map((v) => endOf(scale, v));
  if (ends.some((v) => v === undefined)) return undefined;
  let [lo, hi] = ends as (number | Date)[];
  if (+lo! > +hi!) [lo, hi] = [hi, lo];
  const domain = scale.domain.map(numberOf);
  const [min, max] = [Math.min(...domain), Math.max(...domain)];
  const slack = (max - min) * 1e-9;
  if (+lo! < min - slack || +hi! > max + slack) return undefined;
  return [lo, hi];
}
