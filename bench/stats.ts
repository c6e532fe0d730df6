/**
 * Summaries of repeated timings. Percentiles use the nearest-rank method on
 * the sorted samples, so p50/p95 are always times that were really measured.
 */

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

/** The nearest-rank `p`-th percentile (0 < p ≤ 100) of `samples`. Throws on no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)];
}

/** n, p50, p95, mean, min and max of `samples`. */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('summary of no samples');
  const total = samples.reduce((sum, x) => sum + x, 0);
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    mean: total / samples.length,
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}

/** The median of `samples` (nearest rank). */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}
