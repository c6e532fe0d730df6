import { describe, expect, it } from 'vitest';
import type { WidgetSpec } from '../../src/runtime/protocol.ts';
import { choiceIndex, choicesOf, fieldName, numberOption, rangeValue } from '../../src/app/widget-options.ts';

const spec = (options: Record<string, unknown>, extra: Partial<WidgetSpec> = {}): WidgetSpec => ({
  kind: 'select',
  key: 'select:Region',
  label: 'Region',
  value: undefined,
  options,
  ...extra,
});

describe('choicesOf', () => {
  it('accepts plain values, {label, value} objects and other option names', () => {
    expect(choicesOf(spec({ options: ['a', 2, null] }))).toEqual([
      { label: 'a', value: 'a' },
      { label: '2', value: 2 },
      { label: 'null', value: null },
    ]);
    expect(choicesOf(spec({ options: [{ label: 'North', value: 'n' }, { value: 's' }] }))).toEqual([
      { label: 'North', value: 'n' },
      { label: 's', value: 's' },
    ]);
    expect(choicesOf(spec({ choices: ['x'] }))).toEqual([{ label: 'x', value: 'x' }]);
    expect(choicesOf(spec({}))).toEqual([]);
  });

  it('finds the chosen value, falling back to its text', () => {
    const choices = choicesOf(spec({ options: [1, 2, 3] }));
    expect(choiceIndex(choices, 2)).toBe(1);
    expect(choiceIndex(choices, '3')).toBe(2);
    expect(choiceIndex(choices, 9)).toBe(-1);
  });
});

describe('fieldName', () => {
  it('uses the name option, else the last key segment, else the label', () => {
    expect(fieldName(spec({ name: 'region' }))).toBe('region');
    expect(fieldName(spec({}, { key: 'form:c3/Filters/limit' }))).toBe('limit');
    expect(fieldName(spec({}, { key: 'form:', label: 'Since' }))).toBe('Since');
  });
});

describe('numberOption / rangeValue', () => {
  it('reads finite numbers only', () => {
    expect(numberOption(spec({ min: 5 }), 'min', 0)).toBe(5);
    expect(numberOption(spec({ min: '5' }), 'min', 0)).toBe(0);
    expect(numberOption(spec({ min: Number.NaN }), 'min', 1)).toBe(1);
  });

  it('orders and clamps a [lo, hi] pair', () => {
    expect(rangeValue([8, 2], 0, 10)).toEqual([2, 8]);
    expect(rangeValue([-5, 50], 0, 10)).toEqual([0, 10]);
    expect(rangeValue(undefined, 1, 9)).toEqual([1, 9]);
    expect(rangeValue(['x', 4], 0, 10)).toEqual([0, 4]);
  });
});
