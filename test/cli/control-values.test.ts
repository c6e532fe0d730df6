import { describe, expect, it } from 'vitest';
import { controlValues, exploreControls, MAX_CONTROL_VALUES, sliderValues } from '../../src/cli/control-values.ts';
import type { WidgetSpec } from '../../src/runtime/protocol.ts';

const spec = (kind: string, value: unknown, options: Record<string, unknown>): WidgetSpec =>
  ({ kind, key: `c:${kind}`, label: kind, value, options }) as WidgetSpec;

describe('control values', () => {
  it('lists a slider as its input reports it: whole steps, and decimal steps without float noise', () => {
    expect(sliderValues(0, 5, 1)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sliderValues(-1, 1, 0.5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(sliderValues(0, 0.5, 0.1)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(sliderValues(0, 10, 3)).toEqual([0, 3, 6, 9]);
    expect(sliderValues(0, MAX_CONTROL_VALUES + 1, 1)).toBeUndefined();
    expect(sliderValues(0, 10, 0)).toBeUndefined();
    expect(sliderValues(5, 1, 1)).toBeUndefined();
  });

  it('every value but the current one, for the kinds with few values', () => {
    expect(controlValues(spec('slider', 2, { min: 0, max: 4, step: 1 }))).toEqual([0, 1, 3, 4]);
    expect(controlValues(spec('checkbox', false, {}))).toEqual([true]);
    expect(controlValues(spec('toggle', true, {}))).toEqual([false]);
    expect(controlValues(spec('select', 'a', { options: ['a', 'b', 'c'], multiple: false }))).toEqual(['b', 'c']);
    expect(controlValues(spec('radio', 1, { options: [1, 2] }))).toEqual([2]);
    // Values that would not come back from the page as they are, and kinds without a short list.
    expect(controlValues(spec('select', ['a'], { options: ['a', 'b'], multiple: true }))).toBeUndefined();
    expect(controlValues(spec('select', null, { options: [{ id: 1 }] }))).toBeUndefined();
    expect(controlValues(spec('text', '', {}))).toBeUndefined();
    expect(controlValues(spec('range', [0, 1], { min: 0, max: 1, step: 1 }))).toBeUndefined();
  });

  it('runs each value in turn, nearest the default first, and sets a control back before the next one', async () => {
    const calls: [string, unknown][] = [];
    let idles = 0;
    const runtime = { setInput: (key: string, value: unknown) => void calls.push([key, value]), idle: async () => void idles++ };
    const controls = [spec('slider', 3, { min: 0, max: 5, step: 1 }), spec('checkbox', false, {})];
    expect(await exploreControls(runtime, controls, 60_000)).toBe(6);
    expect(calls).toEqual([
      ['c:slider', 2], ['c:slider', 4], ['c:slider', 1], ['c:slider', 5], ['c:slider', 0],
      ['c:slider', 3],
      ['c:checkbox', true],
    ]);
    expect(idles).toBe(calls.length);
  });

  it('starts no run the slowest run so far would not finish within the budget', async () => {
    const calls: unknown[] = [];
    let clock = 0;
    // Each run takes 10 ms of the clock; the budget is 25 ms: two runs, not a third that would end at 30.
    const runtime = { setInput: (_key: string, value: unknown) => void (calls.push(value), (clock += 10)), idle: async () => {} };
    expect(await exploreControls(runtime, [spec('slider', 0, { min: 0, max: 10, step: 1 })], 25, () => clock)).toBe(2);
    expect(calls).toEqual([1, 2]);
  });
});
