import { describe, expect, it } from 'vitest';
import { TOAST_SHOWN_CHARS, ToastGate, toastDisplayText } from '../../src/client/cell-toasts.ts';

describe('toast text', () => {
  it('is one line of printable text', () => {
    expect(toastDisplayText('  Saved\n\n3 rows\t ')).toBe('Saved 3 rows');
    // Bidi overrides and zero-width marks could disguise what the text says.
    expect(toastDisplayText('pay\u202Egnp.exe\u200B')).toBe('paygnp.exe');
    expect(toastDisplayText('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(toastDisplayText('\u0000\u0007')).toBe('');
  });

  it('is cut to a short notice', () => {
    const shown = toastDisplayText('x'.repeat(5000));
    expect(shown).toHaveLength(TOAST_SHOWN_CHARS);
    expect(shown.endsWith('…')).toBe(true);
  });
});

describe('ToastGate', () => {
  it('admits a few per window, says once that more were left out, and admits again later', () => {
    let now = 0;
    const gate = new ToastGate({ max: 3, windowMs: 1000 }, () => now);
    const first = Array.from({ length: 10 }, () => gate.admit());
    expect(first).toEqual(['show', 'show', 'show', 'first-dropped', 'dropped', 'dropped', 'dropped', 'dropped', 'dropped', 'dropped']);
    now = 999;
    expect(gate.admit()).toBe('dropped');
    now = 1000;
    expect(gate.admit()).toBe('show');
  });
});
