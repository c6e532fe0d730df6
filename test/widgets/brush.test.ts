/** The brush's arithmetic: pixels ↔ data units on linear, log, time and band scales, checked against Plot's own scales. */
import * as Plot from '@observablehq/plot';
import { describe, expect, it } from 'vitest';
import { axisPixels, axisValue, brushPixels, brushValue } from '../../src/widgets/brush.ts';
import type { ScaleInfo } from '../../src/widgets/spec.ts';
import { fromPixel, intervalOn, toPixel } from '../../src/widgets/scales.ts';

/** A Plot scale with d3's call shape: `s(v)` maps, `s.invert(p)` inverts, `s.domain()` gives the domain. */
function plotScale(options: Record<string, unknown>) {
  const scale = Plot.scale({ x: options } as Plot.ScaleOptions as never) as unknown as {
    apply(v: unknown): number; invert(p: number): never; domain: unknown[]; bandwidth?: number;
  };
  const map = (v: unknown) => scale.apply(v);
  return Object.assign(map, { invert: (p: number) => scale.invert(p), domain: () => scale.domain, bandwidth: () => scale.bandwidth ?? 0 });
}
const scaleLinear = () => ({ domain: (domain: unknown[]) => ({ range: (range: number[]) => plotScale({ type: 'linear', domain, range }) }) });
const scaleLog = () => ({ domain: (domain: unknown[]) => ({ range: (range: number[]) => plotScale({ type: 'log', domain, range }) }) });
const scaleSymlog = () => ({ domain: (domain: unknown[]) => ({ range: (range: number[]) => plotScale({ type: 'symlog', domain, range }) }) });
const scaleUtc = () => ({ domain: (domain: unknown[]) => ({ range: (range: number[]) => plotScale({ type: 'utc', domain, range }) }) });
const scaleBand = () => ({ domain: (domain: unknown[]) => ({ range: (range: number[]) => ({ padding: (padding: number) => plotScale({ type: 'band', domain, range, padding }) }) }) });

describe('scales', () => {
  it('linear, log and symlog map and invert as Plot (d3) does', () => {
    const cases: [ScaleInfo, (v: number) => number, (p: number) => number][] = [];
    const linear = scaleLinear().domain([-60, 180]).range([50, 580]);
    cases.push([{ type: 'linear', domain: [-60, 180], range: [50, 580] }, linear, (p) => linear.invert(p)]);
    const log = scaleLog().domain([1, 10000]).range([400, 20]);
    cases.push([{ type: 'log', domain: [1, 10000], range: [400, 20], base: 10 }, log, (p) => log.invert(p)]);
    const symlog = scaleSymlog().domain([-100, 1000]).range([0, 500]);
    cases.push([{ type: 'symlog', domain: [-100, 1000], range: [0, 500], constant: 1 }, symlog, (p) => symlog.invert(p)]);
    for (const [info, forward, invert] of cases) {
      for (const p of [20, 137.5, 333, 400]) expect(fromPixel(info, p)).toBeCloseTo(invert(p), 6);
      for (const v of [1, 50, 999]) expect(toPixel(info, v)).toBeCloseTo(forward(v), 6);
    }
  });

  it('a brush over pixels gives rounded data units; Dates on time scales; bands covered on band scales', () => {
    const linear: ScaleInfo = { type: 'linear', domain: [-60, 180], range: [50, 580] };
    const [lo, hi] = axisValue(linear, [100, 300]) as number[];
    const d3 = scaleLinear().domain([-60, 180]).range([50, 580]);
    expect(Math.abs(lo! - d3.invert(100))).toBeLessThan(0.25 * (240 / 530));
    expect(Math.abs(hi! - d3.invert(300))).toBeLessThan(0.25 * (240 / 530));
    expect(String(lo).length).toBeLessThan(8);

    const time = scaleUtc().domain([new Date('2024-01-01'), new Date('2024-02-01')]).range([0, 310]);
    const utc: ScaleInfo = { type: 'utc', domain: time.domain() as unknown[], range: [0, 310] };
    const days = axisValue(utc, [40, 100]) as Date[];
    expect(days[0]).toBeInstanceOf(Date);
    expect(Math.abs(days[0]!.getTime() - (time.invert(40) as Date).getTime())).toBeLessThan(1);

    const band = scaleBand().domain(['a', 'b', 'c', 'd']).range([0, 400]).padding(0.1);
    const info: ScaleInfo = { type: 'band', domain: band.domain() as unknown[], range: [0, 400], bandwidth: band.bandwidth(), positions: (band.domain() as unknown[]).map((d) => band(d)) };
    expect(axisValue(info, [band('b')! + 5, band('c')! + band.bandwidth() / 2 + 1])).toEqual(['b', 'c']);
    expect(axisValue(info, [0, 2])).toBeNull();
    expect(axisPixels(info, ['b', 'c'])).toEqual([band('b'), band('c')! + band.bandwidth()]);
  });

  it('a value goes to pixels and back; both axes give {x, y}; an interval outside a new domain is dropped', () => {
    const figure = {
      width: 600, height: 300,
      scales: { x: { type: 'linear', domain: [0, 100], range: [40, 580] as [number, number] }, y: { type: 'linear', domain: [0, 10], range: [270, 20] as [number, number] } },
    };
    const pixels = brushPixels(figure, ['x'], [25, 50])!;
    expect(pixels.x).toEqual([175, 310]);
    expect(pixels.y).toEqual([20, 270]);
    expect(brushValue(figure, ['x'], pixels)).toEqual([25, 50]);
    expect(brushValue(figure, ['x', 'y'], { x: [175, 310], y: [145, 270] })).toEqual({ x: [25, 50], y: [0, 5] });
    expect(intervalOn(figure.scales.x, [25, 50])).toEqual([25, 50]);
    expect(intervalOn(figure.scales.x, [50, 150])).toBeUndefined();
    expect(intervalOn({ type: 'utc', domain: [new Date('2024-01-01'), new Date('2024-12-31')], range: [0, 1] }, ['2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z']))
      .toEqual([new Date('2024-03-01'), new Date('2024-04-01')]);
  });
});
