import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { chartDescription, markAfterKey } from '../../src/app/outputs/chart-access.ts';

const { document } = parseHTML('<!doctype html><html><body></body></html>');

/** A real Plot chart, as the page holds it after sanitizing: inside a container element. */
function rendered(options: Plot.PlotOptions): Element {
  const root = document.createElement('div');
  root.innerHTML = (Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as Element).outerHTML;
  return root;
}

const cars = [
  { weight: 3500, mpg: 18, origin: 'USA' },
  { weight: 2100, mpg: 31, origin: 'Japan' },
  { weight: 2300, mpg: 27, origin: 'Europe' },
];

describe('chartDescription', () => {
  it('names a chart by its axes and marks, and lists its colour key', () => {
    const root = rendered({
      color: { legend: true },
      x: { label: 'weight (lbs)' },
      y: { label: 'miles per gallon' },
      marks: [Plot.dot(cars, { x: 'weight', y: 'mpg', stroke: 'origin' })],
    });
    expect(chartDescription(root, 3)).toBe('Chart: miles per gallon vs weight (lbs) (dot, 3 marks); colour: Europe, Japan, USA');
  });

  it('prefers the title, adds the caption, and leaves out axes and rules', () => {
    const root = rendered({
      title: 'Fuel economy',
      caption: 'Source: vega-datasets.',
      marks: [Plot.barY(cars, { x: 'origin', y: 'mpg' }), Plot.ruleY([0])],
    });
    expect(chartDescription(root)).toBe('Chart: Fuel economy (bar). Source: vega-datasets.');
  });

  it('keeps an ariaLabel the author gave', () => {
    const root = rendered({ ariaLabel: 'Economy of 3 cars', marks: [Plot.dot(cars, { x: 'weight', y: 'mpg' })] });
    expect(chartDescription(root)).toBe('Economy of 3 cars (dot)');
  });

  it('says "Chart" when nothing names it', () => {
    const root = document.createElement('div');
    root.innerHTML = '<svg></svg>';
    expect(chartDescription(root)).toBe('Chart');
  });
});

describe('markAfterKey', () => {
  it('moves through the marks and back to the chart', () => {
    expect(markAfterKey('ArrowRight', -1, 5)).toBe(0);
    expect(markAfterKey('ArrowDown', 0, 5)).toBe(1);
    expect(markAfterKey('ArrowRight', 4, 5)).toBe(4);
    expect(markAfterKey('ArrowLeft', 3, 5)).toBe(2);
    expect(markAfterKey('ArrowUp', 0, 5)).toBe(0);
    expect(markAfterKey('Home', 3, 5)).toBe(0);
    expect(markAfterKey('End', -1, 5)).toBe(4);
    expect(markAfterKey('Escape', 2, 5)).toBe(-1);
    expect(markAfterKey('Escape', -1, 5)).toBeUndefined();
    expect(markAfterKey('Tab', 1, 5)).toBeUndefined();
  });
});
