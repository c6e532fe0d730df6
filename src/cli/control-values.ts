/**
 * The values a control can take, when there are few enough to try them all
 * at build time. `brook build` runs the notebook once more for each value of
 * each such control (the others at their defaults) and ships the query
 * results as answers (`snapshot.ts`): a reader's first move of a control is
 * then answered by a small file, before DuckDB has started. Only values the
 * page would send exactly as written here are listed (keys are exact: a
 * value that differs in its last digit would simply not be found).
 */
import type { WidgetSpec } from '../runtime/protocol.ts';

/** A control with more values than this is not explored (a slider of 0.01 steps, a long select). */
export const MAX_CONTROL_VALUES = 1000;

/** Every value of `spec` but its current one, or `undefined` when the control is not one to explore. */
export function controlValues(spec: WidgetSpec): unknown[] | undefined {
  const all = allValues(spec);
  if (!all || all.length > MAX_CONTROL_VALUES + 1) return undefined;
  return all.filter((value) => !Object.is(value, spec.value));
}

function allValues(spec: WidgetSpec): unknown[] | undefined {
  const options = spec.options;
  switch (spec.kind) {
    case 'checkbox':
    case 'toggle':
      return [false, true];
    case 'select':
    case 'radio': {
      if (options.multiple === true || !Array.isArray(options.options)) return undefined;
      // Only values that cross to the page and back unchanged.
      return options.options.every((o) => typeof o === 'string' || (typeof o === 'number' && Number.isFinite(o)) || typeof o === 'boolean') ? options.options : undefined;
    }
    case 'slider':
      return sliderValues(options.min, options.max, options.step);
    default:
      return undefined;
  }
}

/**
 * `min, min + step, …, max` as the page's `<input type=range>` reports them:
 * written with no more decimals than `min` and `step` have (so 0.1 steps
 * give 0.3, not 0.30000000000000004).
 */
export function sliderValues(min: unknown, max: unknown, step: unknown): number[] | undefined {
  if (![min, max, step].every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  const [lo, hi, by] = [min as number, max as number, step as number];
  if (by <= 0 || hi < lo || (hi - lo) / by > MAX_CONTROL_VALUES) return undefined;
  const decimals = Math.max(decimalsOf(lo), decimalsOf(by));
  const values: number[] = [];
  for (let i = 0; lo + i * by <= hi + by * 1e-9; i++) values.push(Number((lo + i * by).toFixed(decimals)));
  return values;
}

function decimalsOf(n: number): number {
  const text = String(n);
  if (/e/i.test(text)) return 10;
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** What `exploreControls` drives: a runtime that takes input values and says when it is idle. */
export interface Explorable {
  setInput(key: string, value: unknown): unknown;
  idle(): Promise<void>;
}

/**
 * Runs the notebook for each value of each control in turn, nearest the
 * default first (the likeliest moves, when the budget runs out), the others
 * at their defaults; a control is set back before the next one is tried. No
 * run starts that the slowest run so far would not finish within `budgetMs`.
 * Returns how many values ran. What the runs compute is recorded by the
 * caller (the engine's memo store).
 */
export async function exploreControls(runtime: Explorable, controls: readonly WidgetSpec[], budgetMs: number, now = () => performance.now()): Promise<number> {
  const ends = now() + budgetMs;
  let slowest = 0;
  let ran = 0;
  const run = async (key: string, value: unknown): Promise<boolean> => {
    const started = now();
    if (started + slowest >= ends) return false;
    runtime.setInput(key, value);
    await runtime.idle();
    slowest = Math.max(slowest, now() - started);
    return true;
  };
  let moved: WidgetSpec | undefined;
  for (const control of controls) {
    const values = controlValues(control);
    if (!values || values.length === 0) continue;
    if (moved && !(await run(moved.key, moved.value))) return ran;
    moved = control;
    for (const value of nearestFirst(values, control.value)) {
      if (!(await run(control.key, value))) return ran;
      ran++;
    }
  }
  return ran;
}

/** Numbers by their distance from `from` (the lower first on a tie); anything else as listed. */
function nearestFirst(values: unknown[], from: unknown): unknown[] {
  if (typeof from !== 'number' || !values.every((v) => typeof v === 'number')) return values;
  return [...(values as number[])].sort((a, b) => Math.abs(a - from) - Math.abs(b - from) || a - b);
}
