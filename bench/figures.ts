/**
 * The figures a bench run produces, how they are printed, and the
 * `bench/results.json` file they are written to.
 */
import type { Summary } from './stats.ts';

/** One measured figure. `goal` is the target it is judged against, in the same unit. */
export interface Figure {
  /** Stable id, `section.what` (`latency.csv.memo-hit.p50`). */
  name: string;
  value: number;
  unit: 'ms' | 's' | 'bytes' | 'ratio' | 'rows' | 'count';
  /** The goal as an upper bound (values ≤ goal meet it). */
  goal?: number;
  /** What was measured, briefly. */
  description: string;
  /** The samples' summary, for repeated measurements. */
  samples?: Summary;
  /** Anything the figure depends on (sizes, row counts, native timings). */
  detail?: Record<string, unknown>;
}

export interface MachineInfo {
  date: string;
  os: string;
  cpus: string;
  cores: number;
  memoryBytes: number;
  node: string;
  chromium: string;
  duckdbWasm: string;
  duckdbNative: string;
  commit: string;
  /** Load average when the run started: the machine is shared. */
  loadAverage: number[];
}

export interface BenchResults {
  machine: MachineInfo;
  /** Wall time of the whole run. */
  durationMs: number;
  figures: Figure[];
  /** Scenarios that failed, with their error, so a partial run says what is missing. */
  failures: { scenario: string; error: string }[];
  /**
   * A partial run (`BENCH_ONLY`) keeps the figures it did not measure from the
   * results file it replaces; they are listed here with that run's machine.
   */
  carriedOver?: { machine: MachineInfo; names: string[] };
}

/**
 * The results of a partial run merged over an earlier file: the new figures
 * replace those of the same name, the rest are carried over and named.
 */
export function mergeResults(fresh: BenchResults, earlier: BenchResults): BenchResults {
  const measured = new Set(fresh.figures.map((f) => f.name));
  const kept = earlier.figures.filter((f) => !measured.has(f.name));
  if (kept.length === 0) return fresh;
  const names = [...new Set([...(earlier.carriedOver?.names.filter((n) => !measured.has(n)) ?? []), ...kept.map((f) => f.name)])];
  return {
    ...fresh,
    figures: [...kept, ...fresh.figures],
    carriedOver: { machine: earlier.carriedOver?.machine ?? earlier.machine, names },
  };
}

/** Whether a figure meets its goal (`undefined` when it has none). */
export function meetsGoal(figure: Figure): boolean | undefined {
  return figure.goal === undefined ? undefined : figure.value <= figure.goal;
}

/** A value in its unit, rounded for reading (`12.3 ms`, `7.61 MB`, `1.42×`). */
export function formatValue(value: number, unit: Figure['unit']): string {
  switch (unit) {
    case 'ms':
      return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
    case 's':
      return `${value.toFixed(2)} s`;
    case 'bytes':
      if (value >= 1e6) return `${(value / 1e6).toFixed(2)} MB`;
      if (value >= 1e3) return `${(value / 1e3).toFixed(1)} kB`;
      return `${value} B`;
    case 'ratio':
      return `${value.toFixed(2)}×`;
    case 'rows':
    case 'count':
      return value.toLocaleString('en-US');
  }
}

/** The figures as an aligned plain-text table: name, value, goal, verdict. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => {
    const verdict = meetsGoal(f);
    return [
      f.name,
      formatValue(f.value, f.unit),
      f.goal === undefined ? '' : `≤ ${formatValue(f.goal, f.unit)}`,
      verdict === undefined ? '' : verdict ? 'met' : 'MISSED',
    ];
  });
  const header = ['figure', 'value', 'goal', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
