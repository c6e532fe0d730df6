import { describe, expect, it } from 'vitest';
import { sqlIdentifiers, tablesRead } from '../../src/data/sql-identifiers.ts';
import { normalizeSql } from '../../src/data/sql-tokens.ts';

describe('sqlIdentifiers', () => {
  it('skips string literals, comments and keywords; lowercases; handles quoted identifiers', () => {
    const sql = `SELECT "Amount", 'FROM secret' AS s -- FROM hidden
      /* FROM other /* nested */ still */ FROM Orders o JOIN "My Table" m ON o.id = m.id WHERE note = 'it''s'`;
    expect(sqlIdentifiers(sql)).toEqual(['amount', 's', 'orders', 'o', 'my table', 'm', 'id', 'note']);
  });

  it('treats dollar-quoted and E-strings as literals', () => {
    expect(sqlIdentifiers(`SELECT $$ FROM x $$, E'\\' FROM y', z`)).toEqual(['z']);
  });
});

describe('tablesRead', () => {
  const catalog = ['orders', 'customers'];
  it('intersects identifiers with the catalog', () => {
    expect(tablesRead('SELECT * FROM Orders JOIN customers USING (id)', catalog)).toEqual(['orders', 'customers']);
  });
  it('keeps a missing table in FROM position so it can re-run when the table appears', () => {
    expect(tablesRead('SELECT a FROM sales_2024, orders', catalog)).toEqual(['sales_2024', 'orders']);
  });
  it('does not report CTE names, functions, columns or literal paths as missing tables', () => {
    expect(tablesRead(`WITH t AS (SELECT 1) SELECT count(x) FROM t, range(3), read_csv_auto('f.csv')`, catalog)).toEqual([]);
  });
  it('finds tables inside subqueries', () => {
    expect(tablesRead('SELECT * FROM (SELECT * FROM customers) c', catalog)).toEqual(['customers']);
  });
});

describe('normalizeSql', () => {
  it('ignores layout, comments and keyword case but keeps literals exact', () => {
    expect(normalizeSql('select  *\n FROM t -- c\n WHERE a = \'X  y\';')).toBe(normalizeSql("SELECT * from T where A = 'X  y'"));
    expect(normalizeSql("SELECT 'a'")).not.toBe(normalizeSql("SELECT 'A'"));
    expect(normalizeSql('SELECT "A"')).not.toBe(normalizeSql('SELECT "a"'));
  });
});
