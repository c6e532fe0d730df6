/**
 * The range-index planner (pure): which queries it accepts, and the SQL it
 * writes for them. Whether that SQL answers as the table does is checked on
 * real DuckDB in range-indexes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { planRangeIndex, type RangeIndexPlan } from '../../src/data/range-index.ts';

const plan = (sql: string, changed: number[]) => planRangeIndex(sql, new Set(changed));
const accepted = (sql: string, changed: number[]): RangeIndexPlan => {
  const result = plan(sql, changed);
  if ('refused' in result) throw new Error(`refused: ${result.refused}`);
  return result;
};

describe('planRangeIndex', () => {
  it('groups by the query\'s groups and the brushed expression, with partial aggregates', () => {
    const sql = `SELECT origin, destination, count(*)::INTEGER AS flights, round(avg(delay), 1)::DOUBLE AS mean_delay
FROM flights
WHERE delay BETWEEN ? AND ? AND distance <= ?
GROUP BY origin, destination
HAVING count(*) >= 200
ORDER BY flights DESC, origin, destination
LIMIT 50`;
    const result = accepted(sql, [0, 1]);
    expect(result.table).toBe('flights');
    expect(result.build('idx')).toBe(`CREATE TEMP TABLE idx AS
SELECT origin AS __g0, destination AS __g1, delay AS __x, count(*) AS __a0, sum(delay) AS __a1s, count(delay) AS __a1n
FROM flights
WHERE (distance <= ?)
GROUP BY ALL
ORDER BY __x`);
    expect(result.buildParams).toEqual([2]);
    expect(result.query('idx')).toBe(`SELECT __g0 AS origin, __g1 AS destination, CAST(coalesce(sum(__a0), 0) AS BIGINT)::INTEGER AS flights, round((sum(__a1s) / sum(__a1n)), 1)::DOUBLE AS mean_delay
FROM idx
WHERE __x BETWEEN ? AND ?
GROUP BY __g0, __g1
HAVING CAST(coalesce(sum(__a0), 0) AS BIGINT) >= 200
ORDER BY flights DESC, origin, destination
LIMIT 50`);
    expect(result.queryParams).toEqual([0, 1]);
  });

  it('takes the compared expression, not only a column, and a null check around it', () => {
    const months = accepted('SELECT count(*) AS n FROM flights WHERE month(date) BETWEEN ? AND ? AND origin = ?', [1]);
    expect(months.build('i')).toContain('month(date) AS __x');
    expect(months.query('i')).toContain('WHERE __x BETWEEN ? AND ?');
    const nullable = accepted('SELECT count(*) AS n FROM flights WHERE (?::DOUBLE IS NULL OR delay BETWEEN ? AND ?) AND distance <= ?', [0, 1, 2]);
    expect(nullable.query('i')).toContain('WHERE (?::DOUBLE IS NULL OR __x BETWEEN ? AND ?)');
    expect(nullable.queryParams).toEqual([0, 1, 2]);
    expect(nullable.buildParams).toEqual([3]);
  });

  it('reads GROUP BY aliases, ordinals and ALL as the SELECT items they name', () => {
    const sql = `SELECT (floor(delay / 10) * 10)::INTEGER AS bin, count(*)::INTEGER AS flights FROM flights WHERE distance <= ? GROUP BY bin ORDER BY bin`;
    const byAlias = accepted(sql, [0]);
    expect(byAlias.build('i')).toContain('(floor(delay / 10) * 10)::INTEGER AS __g0, distance AS __x');
    expect(byAlias.query('i')).toContain('SELECT __g0 AS bin,');
    expect(accepted(sql.replace('GROUP BY bin', 'GROUP BY 1'), [0]).build('i')).toBe(byAlias.build('i'));
    expect(accepted(sql.replace('GROUP BY bin', 'GROUP BY ALL'), [0]).build('i')).toBe(byAlias.build('i'));
  });

  it('refuses what it cannot answer from partials', () => {
    const refusals: [string, number[], RegExp][] = [
      ['SELECT count(DISTINCT origin) AS n FROM flights WHERE delay > ?', [0], /DISTINCT/],
      ['SELECT origin, count(*) AS n FROM flights f JOIN airports a ON f.origin = a.code WHERE delay > ? GROUP BY origin', [0], /JOIN|"\."|one table/],
      ['SELECT count(*) AS n FROM (SELECT * FROM flights) WHERE delay > ?', [0], /SELECT|one table/],
      ['SELECT median(delay) AS m FROM flights WHERE delay > ?', [0], /outside aggregates/],
      ['SELECT count(*) AS n, sum(delay) OVER () AS w FROM flights WHERE delay > ?', [0], /OVER/],
      ['SELECT count(*) AS n FROM flights WHERE delay > ? AND distance < ?', [0, 1], /more than one condition/],
      ['SELECT count(*) AS n FROM flights WHERE delay > distance + ?', [0], /more than one expression|besides/],
      ['SELECT count(*) AS n FROM flights WHERE delay > ? LIMIT ?', [0], /parameter in LIMIT/],
      ['SELECT origin, count(*) AS n FROM flights WHERE delay > ?', [0], /outside aggregates/],
      ['SELECT count(*) FROM flights WHERE delay > ?', [0], /without a name/],
      ['SELECT delay FROM flights WHERE delay > ?', [0], /outside aggregates|no aggregate/],
      ['WITH t AS (SELECT 1) SELECT count(*) AS n FROM t WHERE x > ?', [0], /not a SELECT/],
      ['SELECT count(*) AS n FROM flights WHERE delay > ? OR origin = \'ORD\'', [0], /more than one expression/],
      ['SELECT count(*) FILTER (WHERE delay > 0) AS n FROM flights WHERE distance > ?', [0], /FILTER/],
      ['SELECT count(*) AS n FROM flights WHERE CASE WHEN delay > ? AND origin = \'ORD\' THEN true END', [0], /more than one expression/],
      ['SELECT count(*) AS n FROM flights WHERE origin = ?', [], /no condition changed/],
    ];
    for (const [sql, changed, why] of refusals) {
      const result = plan(sql, changed);
      expect('refused' in result && result.refused, sql).toMatch(why);
    }
  });
});
