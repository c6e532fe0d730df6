import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { createSanitizer, isScopedPlotStyle } from '../../src/client/sanitize.ts';

describe('sanitize without a usable DOM', () => {
  // DOMPurify returns its input unchanged when it deems the DOM unsupported (as with linkedom); ours must not.
  it('fails closed: markup comes back as inert text', () => {
    const { window } = parseHTML('<!doctype html><html><body></body></html>');
    const sanitizer = createSanitizer(window as never);
    const out = sanitizer.sanitizeHtml('<img src=x onerror=alert(1)>');
    expect(out).not.toContain('<');
    expect(out).toBe('&#60;img src=x onerror=alert(1)&#62;');
    expect(sanitizer.sanitizeFigure('<svg onload=alert(1)>')).not.toContain('<');
  });
});

describe('isScopedPlotStyle', () => {
  it("accepts Plot's own style blocks", () => {
    expect(isScopedPlotStyle(':where(.plot-d6a7b5) {\n  display: block;\n}\n:where(.plot-d6a7b5 text),\n:where(.plot-d6a7b5 tspan) {\n  white-space: pre;\n}')).toBe(true);
    expect(isScopedPlotStyle(':where(.plot-d6a7b5-swatch > svg) { margin-right: 0.5em; }')).toBe(true);
  });

  it('rejects styles that reach the page, load or position anything', () => {
    for (const css of [
      'body { display: none }',
      ':where(.plot-x, body) { display: none }',
      ':where(.plot-x) { display: none } body { color: red }',
      ':where(.plot-x) { background: url(https://e.example) }',
      '@import "x.css"; :where(.plot-x) {}',
      ':where(.plot-x) { position: fixed }',
      ':where(.plot-x:has(~ *)) { color: red }',
      ':where(.plot-x) { content: "\\41" }',
      '',
    ]) {
      expect(isScopedPlotStyle(css), css).toBe(false);
    }
  });
});
