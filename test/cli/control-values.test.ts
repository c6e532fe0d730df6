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

  it('runs each value in turn, sets the control back, and stops when the budget is spent', async () => {
    const calls: [string, unknown][] = [];
    let idles = 0;
    const runtime = { setInput: (key: string, value: unknown) => void calls.push([key, value]), idle: async () => void idles++ };
    const controls = [spec('slider', 1, { min: 0, max: 2, step: 1 }), spec('checkbox', false, {})];
    expect(await exploreControls(runtime, controls, 60_000)).toBe(3);
    expect(calls).toEqual([['c:slider', 0], ['c:slider', 2], ['c:slider', 1], ['c:checkbox', true], ['c:checkbox', false]]);
    expect(idles).toBe(calls.length);

    // A clock that has run out after the first value: one value, then the control is set back.
    calls.length = 0;
    let t = 0;
    expect(await exploreControls(runtime, controls, 10, () => (t += 6))).toBe(1);
    expect(calls).toEqual([['c:slider', 0], ['c:slider', 1]]);
  });
});
