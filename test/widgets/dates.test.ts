/**
 * `date` and `dateRange` through the runtime's real widget engine: the
 * values they return, what they accept from storage, and the messages a
 * wrong option gives when the widget is made (not later, in SQL).
 */
import { describe, expect, it } from 'vitest';
import type { OutputItem, WidgetSpec } from '../../src/runtime/protocol.ts';
import { dayOf } from '../../src/widgets/dates.ts';
import { createWidgets, InputStore } from '../../workers/runtime/widgets.ts';

/** One cell run's widget built-ins over `saved` values; `specs()` are the controls the page gets. */
function run(saved: Record<string, unknown> = {}) {
  const outputs: OutputItem[] = [];
  const widgets = createWidgets({
    cellId: 'c1', cellKey: 'js:c1', outputs, store: new InputStore(saved), clicksSeen: new Set(),
    hold: () => 'handle',
  });
  const specs = () => outputs.flatMap((o): WidgetSpec[] => (o.type === 'widget' ? [o.widget] : []));
  return { ...widgets, specs } as Record<string, (...args: unknown[]) => unknown> & { specs: () => WidgetSpec[] };
}

const today = new Date().toISOString().slice(0, 10);

describe('dayOf', () => {
  it('reads YYYY-MM-DD text, ISO date-times by their date, Dates and epoch ms by their UTC day', () => {
    expect(dayOf('2024-03-01')).toBe('2024-03-01');
    expect(dayOf(' 2024-03-01 ')).toBe('2024-03-01');
    expect(dayOf('2024-03-01T23:30:00Z')).toBe('2024-03-01');
    expect(dayOf(new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    expect(dayOf(Date.UTC(2023, 11, 31, 12))).toBe('2023-12-31');
  });

  it('refuses days the calendar lacks and text that is not a date', () => {
    for (const bad of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-3-1', '03/01/2024', 'March 1', '', '2024-03-01Tnope', null, undefined, {}, [2024, 3, 1], NaN, new Date('x')]) {
      expect(dayOf(bad), String(bad)).toBeNull();
    }
  });
});

describe('dateRange', () => {
  it('returns [from, to] as YYYY-MM-DD strings, and the page gets the bounds', () => {
    const cell = run();
    expect(cell.dateRange('Period', { value: ['2024-01-01', new Date(Date.UTC(2024, 0, 31))], min: '2023-06-01', max: '2024-12-31' })).toEqual(['2024-01-01', '2024-01-31']);
    const [spec] = cell.specs();
    expect(spec).toMatchObject({ kind: 'dateRange', key: 'js:c1:Period', label: 'Period', value: ['2024-01-01', '2024-01-31'] });
    expect(spec!.options).toMatchObject({ min: '2023-06-01', max: '2024-12-31' });
  });

  it('without a value it spans [min, max]; an end not given is today, kept inside the bounds', () => {
    expect(run().dateRange('A', { min: '2020-01-01', max: '2020-12-31' })).toEqual(['2020-01-01', '2020-12-31']);
    expect(run().dateRange('B', { min: '2020-01-01' })).toEqual(['2020-01-01', today]);
    expect(run().dateRange('C', { max: '2020-12-31' })).toEqual(['2020-12-31', '2020-12-31']);
    expect(run().dateRange('D')).toEqual([today, today]);
  });

  it('a saved range wins when it is whole, ordered and inside the bounds; else the default', () => {
    const options = { value: ['2024-01-01', '2024-01-31'], min: '2024-01-01', max: '2024-12-31' };
    const key = 'js:c1:Period';
    expect(run({ [key]: ['2024-03-01', '2024-04-01'] }).dateRange('Period', options)).toEqual(['2024-03-01', '2024-04-01']);
    for (const saved of [['2024-04-01', '2024-03-01'], ['2023-12-31', '2024-01-05'], ['2024-02-30', '2024-03-01'], ['2024-03-01'], '2024-03-01', null]) {
      expect(run({ [key]: saved }).dateRange('Period', options), JSON.stringify(saved)).toEqual(['2024-01-01', '2024-01-31']);
    }
  });

  it('a wrong option fails at the widget, naming the call, the option and the fix', () => {
    const fails = (options: unknown) => () => run().dateRange('Period', options);
    expect(fails({ value: ['2024-05-01', '2024-03-01'] })).toThrow(
      new RangeError('dateRange("Period"): value starts "2024-05-01" after it ends "2024-03-01"; give [from, to] with from on or before to.'),
    );
    expect(fails({ value: ['2024-02-30', '2024-03-01'] })).toThrow(
      new TypeError('dateRange("Period"): value[0] "2024-02-30" is not a date; write it as "YYYY-MM-DD" text or a Date.'),
    );
    expect(fails({ value: '2024-03-01' })).toThrow(new TypeError('dateRange("Period"): value "2024-03-01" is not a range; give two dates, value: [from, to].'));
    expect(fails({ value: ['2024-03-01'] })).toThrow(/value \["2024-03-01"\] is not a range/);
    expect(fails({ value: ['2024-03-01', null] })).toThrow(/needs both ends/);
    expect(fails({ value: ['2024-01-01', '2024-02-01'], min: '2024-01-15' })).toThrow(
      new RangeError('dateRange("Period"): value[0] "2024-01-01" is before min "2024-01-15".'),
    );
    expect(fails({ value: ['2024-01-01', '2024-02-01'], max: '2024-01-15' })).toThrow(/value\[1\] "2024-02-01" is after max "2024-01-15"/);
    expect(fails({ min: '2024-05-01', max: '2024-01-01' })).toThrow(/min "2024-05-01" is after max "2024-01-01"/);
    expect(fails({ min: 'last year' })).toThrow(/min "last year" is not a date/);
  });
});

describe('date', () => {
  it('returns one YYYY-MM-DD string; without a value, today inside the bounds', () => {
    expect(run().date('Day', { value: new Date(Date.UTC(2024, 2, 1)) })).toBe('2024-03-01');
    expect(run().date('Day', { value: '2024-03-01T10:00:00Z' })).toBe('2024-03-01');
    expect(run().date('Day', { max: '2000-01-01' })).toBe('2000-01-01');
    expect(run().date('Day')).toBe(today);
  });

  it('a wrong option fails at the widget; a range asks for dateRange', () => {
    expect(() => run().date('Day', { value: '2024-02-30' })).toThrow(/date\("Day"\): value "2024-02-30" is not a date/);
    expect(() => run().date('Day', { value: '2024-01-01', min: '2024-02-01' })).toThrow(/value "2024-01-01" is before min "2024-02-01"/);
    expect(() => run().date('Day', { value: ['2024-01-01', '2024-02-01'] })).toThrow(/dateRange\(label, \{value: \[from, to\], min, max\}\)/);
    expect(() => run().date('Day', { range: true })).toThrow(/dateRange/);
  });

  it('a saved day outside the bounds gives way to the default', () => {
    expect(run({ 'js:c1:Day': '2024-06-01' }).date('Day', { value: '2024-01-01', max: '2024-03-01' })).toBe('2024-01-01');
    expect(run({ 'js:c1:Day': '2024-02-01' }).date('Day', { value: '2024-01-01', max: '2024-03-01' })).toBe('2024-02-01');
  });
});
