import { describe, expect, it } from 'vitest';
import { holePlaces } from '../../src/data/sql-holes.ts';
import { TemplateError, tableRef, templateToSql } from '../../src/data/sql-template.ts';

const sql = (strings: TemplateStringsArray, ...values: unknown[]) => templateToSql(strings, values);

describe('templateToSql', () => {
  it('binds values as ? parameters, never as text', () => {
    const evil = "x'; DROP TABLE orders; --";
    expect(sql`SELECT * FROM t WHERE a = ${evil} AND b > ${3}`).toEqual({
      sql: 'SELECT * FROM t WHERE a = ? AND b > ?', params: [evil, 3], placeholders: [26, 36], origins: [0, 1],
    });
  });
  it('splices table references as quoted identifiers', () => {
    expect(sql`SELECT * FROM ${tableRef('My "T"')} WHERE x = ${1}`).toEqual({ sql: 'SELECT * FROM "My ""T""" WHERE x = ?', params: [1], placeholders: [35], origins: [1] });
  });
  it('expands arrays to a list of bound values', () => {
    expect(sql`SELECT list_contains(${['a', 'b']}, x), ${[]}`).toEqual({ sql: 'SELECT list_contains([?, ?], x), []', params: ['a', 'b'], placeholders: [22, 25], origins: [0, 0] });
  });
  it('gives the offset of every placeholder, so an engine can tell them from a ? of its own', () => {
    const { sql: text, placeholders } = sql`SELECT x > 1 ? 'a' : 'b', ${'?'}, ${[1, 2]}`;
    expect(placeholders.map((at) => text[at])).toEqual(['?', '?', '?']);
    expect(placeholders).toEqual([text.indexOf(', ?') + 2, text.indexOf('[?') + 1, text.lastIndexOf('?')]);
  });
});

describe('holePlaces', () => {
  const places = (strings: TemplateStringsArray, ..._values: unknown[]) => holePlaces(strings).map((p) => p.kind + (p.aliased ? '+alias' : ''));
  it('finds table position after FROM, JOIN and commas of a FROM list', () => {
    expect(places`SELECT * FROM ${0}`).toEqual(['from']);
    expect(places`SELECT * FROM ${0} f LEFT JOIN ${1} AS g USING (a), ${2} "h" WHERE x = ${3}`).toEqual(['from+alias', 'from+alias', 'from+alias', 'value']);
    expect(places`FROM orders o, ${0} WHERE a IN ${1} AND b = (SELECT max(b) FROM ${2})`).toEqual(['from', 'value', 'from']);
    expect(places`FROM ${0} SELECT a`).toEqual(['from']);
    expect(places`FROM a JOIN b ON a.k = b.k, ${0} WHERE a.x + b.y = ${1} ORDER BY a.x, ${2}`).toEqual(['from', 'value', 'value']);
    expect(places`SELECT a + b, ${0} FROM t GROUP BY a, ${1} HAVING x IN (1, ${2})`).toEqual(['value', 'value', 'value']);
    expect(places`SELECT * FROM ${0} ASOF JOIN ${1} USING (t)`).toEqual(['from', 'from']);
  });
  it('knows statements that take a relation, and values everywhere else', () => {
    expect(places`SUMMARIZE ${0}`).toEqual(['statement']);
    expect(places`DESCRIBE ${0}`).toEqual(['statement']);
    expect(places`SELECT ${0}, a FROM t WHERE b > ${1} LIMIT ${2}`).toEqual(['value', 'value', 'value']);
    expect(places`SELECT * FROM read_csv(${0}) WHERE list_contains(${1}, x)`).toEqual(['value', 'value']);
    expect(places`SELECT * FROM t, range(${0})`).toEqual(['value']);
  });
  it('sees holes inside quotes and comments', () => {
    expect(places`SELECT * FROM t WHERE name LIKE '%${0}%' -- ${1}
      AND "${2}" = 1 /* ${3} */`).toEqual(['literal', 'comment', 'literal', 'comment']);
  });
});

describe('templateToSql: query results compose', () => {
  const results = new Map<object, { sql: string; params: unknown[] }>();
  const result = (sql: string, params: unknown[] = []) => {
    const value = { rows: [] };
    results.set(value, { sql, params });
    return value;
  };
  /** SQL and params; every placeholder offset (an engine binds by them) must point at one `?` per parameter, in order. */
  const checked = ({ sql, params, placeholders }: ReturnType<typeof templateToSql>) => {
    expect(placeholders.map((at) => sql[at])).toEqual(params.map(() => '?'));
    expect(placeholders).toEqual([...placeholders].sort((a, b) => a - b));
    return { sql, params };
  };
  const composed = (holes: string[]) => (strings: TemplateStringsArray, ...values: unknown[]) =>
    checked(templateToSql(strings, values, { relationOf: (v) => results.get(v as object), holes }));

  it('puts a result in table position as its SQL, named after the hole, with its parameters in their place', () => {
    const filtered = result('SELECT * FROM sales WHERE year = ?', [2023]);
    const q = composed(['minimum', 'filtered', 'region']);
    expect(q`SELECT ${10} AS m, * FROM ${filtered} WHERE region = ${'north'}`).toEqual({
      sql: 'SELECT ? AS m, * FROM (SELECT * FROM sales WHERE year = ?) AS "filtered" WHERE region = ?',
      params: [10, 2023, 'north'],
    });
  });
  it('composes recursively: a result built on a result carries both parameter lists', () => {
    const filtered = result('SELECT * FROM sales WHERE year = ?', [2023]);
    const byRegion = composed(['filtered', 'minimum'])`SELECT region FROM ${filtered} WHERE amount > ${5}`;
    expect(byRegion).toEqual({ sql: 'SELECT region FROM (SELECT * FROM sales WHERE year = ?) AS "filtered" WHERE amount > ?', params: [2023, 5] });
    const top = composed(['by_region'])`SELECT * FROM ${result(byRegion.sql, byRegion.params)} b`;
    expect(top).toEqual({ sql: 'SELECT * FROM (SELECT region FROM (SELECT * FROM sales WHERE year = ?) AS "filtered" WHERE amount > ?) b', params: [2023, 5] });
  });
  it('keeps an alias the SQL gives, and drops a trailing ; or comment that would swallow the closing parenthesis', () => {
    const r = result('SELECT 1 AS a; -- the end\n');
    expect(composed(['r'])`SELECT * FROM ${r} AS x`.sql).toBe('SELECT * FROM (SELECT 1 AS a) AS x');
    const commented = result('SELECT 1 AS a -- note\n -- more');
    expect(composed(['r'])`SELECT * FROM ${commented}`.sql).toBe('SELECT * FROM (SELECT 1 AS a) AS "r"');
    const inner = result('SELECT 1 AS a -- note\nWHERE true');
    expect(composed(['r'])`SELECT * FROM ${inner}`.sql).toBe('SELECT * FROM (SELECT 1 AS a -- note\nWHERE true) AS "r"');
  });
  it('a result in a value position is a subquery; a JS tag without hole texts gets no alias', () => {
    const ids = result('SELECT id FROM picked WHERE ok = ?', [true]);
    expect(() => sql`SELECT * FROM t WHERE id IN ${ids}`).toThrow(/is an object, which cannot be a value in SQL/);
    const q = (strings: TemplateStringsArray, ...values: unknown[]) => checked(templateToSql(strings, values, { relationOf: (v) => results.get(v as object) }));
    expect(q`SELECT * FROM t WHERE id IN ${ids}`).toEqual({ sql: 'SELECT * FROM t WHERE id IN (SELECT id FROM picked WHERE ok = ?)', params: [true] });
    expect(q`SELECT * FROM ${ids}`.sql).toBe('SELECT * FROM (SELECT id FROM picked WHERE ok = ?)');
  });
  it('a value that is not a relation, in table position, is refused with what to do instead', () => {
    const q = composed(['rows']);
    expect(() => q`SELECT * FROM ${[{ a: 1 }]}`).toThrow(TemplateError);
    expect(() => q`SELECT * FROM ${[{ a: 1 }]}`).toThrow('`${rows}` is a JavaScript array, not a SQL cell\'s result');
    try {
      q`SELECT * FROM ${[1]}`;
    } catch (error) {
      expect((error as TemplateError).hint).toMatch(/To query a JavaScript array/);
    }
    expect(() => composed(['name'])`SELECT * FROM ${'orders'}`).toThrow(/the text "orders", not a SQL cell's result/);
    expect(() => composed(['x'])`SUMMARIZE ${undefined}`).toThrow(/`\$\{x\}` is undefined/);
  });
  it('values that cannot be bound, holes in quotes or comments: errors that say what to write', () => {
    expect(() => composed(['row'])`SELECT * FROM t WHERE a = ${{ a: 1 }}`).toThrow(/`\$\{row\}` is an object, which cannot be a value in SQL/);
    let hint = '';
    try {
      composed(['term'])`SELECT * FROM t WHERE name LIKE '%${'x'}%'`;
    } catch (error) {
      hint = (error as TemplateError).hint;
    }
    expect(hint).toBe("Take it out of the quotes and join the text in SQL: '%' || ${term} || '%' instead of '%${term}%'.");
    expect(() => composed(['x'])`SELECT 1 -- ${1}`).toThrow(/inside a SQL comment/);
  });
  it('refuses to compose a result whose parameters do not match its placeholders', () => {
    const odd = result('SELECT $1 AS a', [1]);
    expect(() => composed(['odd'])`SELECT * FROM ${odd}`).toThrow(/0 "\?" for 1 parameters/);
  });
});
