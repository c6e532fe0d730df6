import { describe, expect, it } from 'vitest';
import { MAX_OUTPUTS_PER_RUN } from '../../../workers/runtime/runtime.ts';
import { answer, compiled, harness } from './harness.ts';

describe('CellRuntime: limits', () => {
  it(`shows the first ${MAX_OUTPUTS_PER_RUN} outputs of a run and says how many more there were`, async () => {
    const h = harness();
    h.runtime.load([compiled('c1', 'for (let i = 0; i < 200000; i++) display("line " + i);\n__brook.value("end");\nreturn {};')]);
    await h.runtime.idle();
    const texts = h.texts('c1');
    expect(texts).toHaveLength(MAX_OUTPUTS_PER_RUN + 1);
    expect(texts[MAX_OUTPUTS_PER_RUN - 1]).toBe(`line ${MAX_OUTPUTS_PER_RUN - 1}`);
    expect(texts.at(-1)).toBe('… 199,001 more outputs were not shown (a cell shows at most 1,000 per run).');
  });

  it("leaves the time a query waited for the data engine out of the cell's time", async () => {
    // The data worker answers after 300 ms, of which DuckDB's own work is 1 ms (`answer`).
    const h = harness({}, () => answer({ x: [1] }), { queryDelayMs: 300 });
    h.runtime.load([
      compiled('c1', 'const t = await query`SELECT 1 AS x`;\n__brook.value(t.numRows);\nreturn {};'),
      compiled('c2', 'await new Promise((r) => setTimeout(r, 300));\n__brook.value(1);\nreturn {};'),
    ]);
    await h.runtime.idle();
    const duration = (cell: string) => (h.last(cell) as { durationMs: number }).durationMs;
    expect(h.texts('c1')).toEqual(['1']);
    expect(duration('c1')).toBeLessThan(100);
    // Time the cell spends on its own is still counted.
    expect(duration('c2')).toBeGreaterThanOrEqual(250);
  });
});
