/**
 * Date widgets: `date` (one day) and `dateRange` (`[from, to]`). Days are
 * `YYYY-MM-DD` strings: they bind as SQL parameters (DuckDB casts them to
 * DATE where a DATE is compared), sort as text, and survive storage and
 * share links unchanged. A notebook's options are checked here, when the
 * widget is made, so a wrong one is a message on the cell that made it
 * rather than a failed query further down. Pure.
 */
import type { Options, WidgetEngine } from './spec.ts';

const DAY = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;

/** A day of the calendar (`YYYY-MM-DD`), from its parts, or null when there is no such day (`2024-02-30`). */
function calendarDay(year: number, month: number, day: number): string | null {
  const at = new Date(Date.UTC(year, month - 1, day));
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A value as a day, `YYYY-MM-DD`, or null when it is not one. Text is read
 * as written (`2024-03-01`, or an ISO date-time whose date part is taken);
 * `Date`s and epoch milliseconds by their UTC day, as DuckDB's DATE values
 * arrive (UTC midnight). Anything else, or a day the calendar lacks, is null.
 */
export function dayOf(value: unknown): string | null {
  if (typeof value === 'string') {
    const match = DAY.exec(value.trim());
    if (!match) return null;
    if (value.trim().length > 10 && Number.isNaN(Date.parse(value.trim()))) return null;
    return calendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
  }
  const at = value instanceof Date ? value : typeof value === 'number' && Number.isFinite(value) ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime())) return null;
  return calendarDay(at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate());
}

/** Today, in UTC (the day `dayOf(new Date())` gives). */
function today(): string {
  return dayOf(new Date())!;
}

const shown = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : Array.isArray(value) ? `[${value.map(shown).join(', ')}]` : String(value));

/** The options of one widget call, checked: every failure names the call, the option and what to write instead. */
class DayOptions {
  constructor(
    private readonly call: string,
    readonly options: Options,
  ) {}

  /** Throws the call's error (explicitly typed callers narrow on it: it never returns). */
  fail(message: string, kind: 'type' | 'range' = 'type'): never {
    const text = `${this.call}: ${message}`;
    throw kind === 'range' ? new RangeError(text) : new TypeError(text);
  }

  /** A day option (`min`, `max`), or undefined when it is not given. */
  day(name: string, value: unknown = this.options[name]): string | undefined {
    if (value === undefined || value === null) return undefined;
    const day = dayOf(value);
    if (day === null) this.fail(`${name} ${shown(value)} is not a date; write it as "YYYY-MM-DD" text or a Date.`);
    return day;
  }

  /** `min` and `max`, checked against each other. */
  bounds(): { min?: string; max?: string } {
    const min = this.day('min');
    const max = this.day('max');
    if (min !== undefined && max !== undefined && min > max) this.fail(`min "${min}" is after max "${max}".`, 'range');
    return { min, max };
  }

  /** `day` checked to lie in `[min, max]`. */
  inside(name: string, day: string, { min, max }: { min?: string; max?: string }): string {
    if (min !== undefined && day < min) this.fail(`${name} "${day}" is before min "${min}".`, 'range');
    if (max !== undefined && day > max) this.fail(`${name} "${day}" is after max "${max}".`, 'range');
    return day;
  }
}

/** `day` moved into `[min, max]`. */
function clampDay(day: string, { min, max }: { min?: string; max?: string }): string {
  if (min !== undefined && day < min) return min;
  if (max !== undefined && day > max) return max;
  return day;
}

const within = (day: string, { min, max }: { min?: string; max?: string }) =>
  (min === undefined || day >= min) && (max === undefined || day <= max);

const optionsOf = (o: unknown): Options => (typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Options) : {});

/**
 * `date(label, {value, min, max})`: one day, `YYYY-MM-DD`. Without `value`,
 * today (moved into `[min, max]`). A value or bound that is not a date, or a
 * value outside the bounds, fails here.
 */
export function dateWidget(engine: WidgetEngine, label: unknown, o?: unknown): string {
  const checked: DayOptions = new DayOptions(`date("${String(label ?? '')}")`, optionsOf(o));
  const { options } = checked;
  if (options.range === true || Array.isArray(options.value)) {
    checked.fail('a date range is its own widget: dateRange(label, {value: [from, to], min, max}) returns [from, to].');
  }
  const bounds = checked.bounds();
  const given = checked.day('value');
  const fallback = given === undefined ? clampDay(today(), bounds) : checked.inside('value', given, bounds);
  return engine.add({
    kind: 'date', label, options, fallback,
    accept: (saved) => typeof saved === 'string' && dayOf(saved) === saved && within(saved, bounds),
    extra: { min: bounds.min ?? null, max: bounds.max ?? null },
  });
}

/**
 * `dateRange(label, {value: [from, to], min, max})`: two days, `[from, to]`,
 * each `YYYY-MM-DD`, `from` ≤ `to`; use them as two SQL parameters
 * (`BETWEEN ${period[0]} AND ${period[1]}`). Without `value`, `[min, max]`,
 * an end not given being today (moved into the bounds). A `value` that is not
 * two dates, or starts after it ends, or leaves `[min, max]`, fails here.
 */
export function dateRangeWidget(engine: WidgetEngine, label: unknown, o?: unknown): [string, string] {
  const checked: DayOptions = new DayOptions(`dateRange("${String(label ?? '')}")`, optionsOf(o));
  const { options } = checked;
  const bounds = checked.bounds();
  let fallback: [string, string];
  if (options.value === undefined || options.value === null) {
    fallback = [bounds.min ?? clampDay(today(), bounds), bounds.max ?? clampDay(today(), bounds)];
  } else {
    const value = options.value;
    if (!Array.isArray(value) || value.length !== 2) {
      checked.fail(`value ${shown(value)} is not a range; give two dates, value: [from, to].`);
    }
    const [from, to] = [checked.day('value[0]', value[0]), checked.day('value[1]', value[1])];
    if (from === undefined || to === undefined) checked.fail(`value ${shown(value)} needs both ends; give value: [from, to].`);
    if (from > to) checked.fail(`value starts "${from}" after it ends "${to}"; give [from, to] with from on or before to.`, 'range');
    fallback = [checked.inside('value[0]', from, bounds), checked.inside('value[1]', to, bounds)];
  }
  return engine.add<[string, string]>({
    kind: 'dateRange', label, options, fallback,
    accept: (saved) =>
      Array.isArray(saved) && saved.length === 2 &&
      saved.every((day) => typeof day === 'string' && dayOf(day) === day && within(day, bounds)) &&
      saved[0] <= saved[1],
    revive: (saved) => [...(saved as [string, string])],
    extra: { min: bounds.min ?? null, max: bounds.max ?? null },
  });
}
