/**
 * What the page does with `toast(text)` from a cell: the text is cleaned to
 * one short line of plain text, and a gate limits how many toasts a notebook
 * shows, so a loop calling `toast` cannot flood the page. Both run on the
 * page because nothing from the runtime worker is trusted.
 */

/** How many toasts a notebook may show per window; past it, one notice says more were left out. */
export interface ToastLimit {
  max: number;
  windowMs: number;
}

export const TOAST_LIMIT: ToastLimit = { max: 5, windowMs: 5000 };

/** How many cell toasts are on screen at once; a newer one pushes the oldest out. */
export const TOASTS_ON_SCREEN = 3;

/** Characters of a toast shown; longer text ends with `…`. */
export const TOAST_SHOWN_CHARS = 200;

/** The answer of {@link ToastGate.admit}. */
export type ToastAdmission = 'show' | 'first-dropped' | 'dropped';

/** A sliding-window limit on toasts: `first-dropped` once per window, so the person learns why. */
export class ToastGate {
  private shown: number[] = [];
  private toldAt = -Infinity;

  constructor(
    private readonly limit: ToastLimit = TOAST_LIMIT,
    private readonly now: () => number = () => Date.now(),
  ) {}

  admit(): ToastAdmission {
    const now = this.now();
    this.shown = this.shown.filter((at) => now - at < this.limit.windowMs);
    if (this.shown.length < this.limit.max) {
      this.shown.push(now);
      return 'show';
    }
    if (now - this.toldAt < this.limit.windowMs) return 'dropped';
    this.toldAt = now;
    return 'first-dropped';
  }
}

// Control characters (C0, DEL, C1) and the invisible marks that reorder or hide text (bidi overrides, zero-width).
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** A toast's text as shown: printable, whitespace collapsed, at most {@link TOAST_SHOWN_CHARS} characters. */
export function toastDisplayText(text: unknown): string {
  const clean = String(text ?? '').replace(HIDDEN, '').replace(/\s+/g, ' ').trim();
  return clean.length > TOAST_SHOWN_CHARS ? `${clean.slice(0, TOAST_SHOWN_CHARS - 1)}…` : clean;
}

/** The notice shown in place of toasts past the limit. */
export function toastLimitText(limit: ToastLimit = TOAST_LIMIT): string {
  return `More toasts were left out: a notebook shows at most ${limit.max} every ${Math.round(limit.windowMs / 1000)} seconds.`;
}
