import { describe, expect, it } from 'vitest';
import { widgetBinding } from '../../src/runtime/widget-binding.ts';

const builders = new Set(['slider', 'brush', 'select', 'button']);

describe('widgetBinding', () => {
  it('binds a cell that is one widget call', () => {
    expect(widgetBinding('const delay = brush("Delay", Plot.plot({marks: [Plot.rectY(h, {x: "bin"})]}))', builders)).toEqual({ name: 'delay', builder: 'brush' });
    expect(widgetBinding('let n = slider("N", {min: 0, max: limit});\n', builders)).toEqual({ name: 'n', builder: 'slider' });
  });

  it('leaves every other shape to the ordinary re-run', () => {
    for (const source of [
      'const n = slider("N") * 2',
      'const n = Math.max(slider("N"), 0)',
      'const [a] = select("A", ["x"])',
      'const n = slider("N"); display(n)',
      'const a = slider("A"), b = slider("B")',
      'const n = await slider("N")',
      'slider("N")',
      'const n = notAWidget("N")',
      'const n = Inputs.slider("N")',
      'const n = slider("N"',
    ]) expect(widgetBinding(source, builders), source).toBeUndefined();
  });

  it('does not bind when the builder name is a cell of the notebook (it shadows the built-in)', () => {
    expect(widgetBinding('const n = slider("N")', builders, ['slider'])).toBeUndefined();
  });
});
