import { describe, expect, it } from 'vitest';
import { engineDifferences, summarizeShared } from '../../src/app/shared-summary.ts';

describe('summarizeShared', () => {
  it('counts cells and code cells, names front-matter data and tables SQL reads', () => {
    const summary = summarizeShared(`---
title: Orders
data:
  orders: data/orders.csv
  remote: https://example.org/big.parquet
---

# Orders

\`\`\`sql recent
SELECT * FROM orders JOIN Customers USING (id)
\`\`\`

\`\`\`sql
SELECT * FROM recent, range(10)
\`\`\`

\`\`\`js
display(recent)
\`\`\`
`);
    expect(summary.title).toBe('Orders');
    expect(summary.cells).toBe(4);
    expect(summary.codeCells).toBe(3);
    // `recent` is a SQL cell's result and `range(10)` a table function: neither is a table to supply.
    expect(summary.tables).toEqual(['orders', 'remote', 'customers']);
    expect(summary.remoteData).toEqual(['https://example.org/big.parquet']);
  });

  it('gives no title and no tables for a plain notebook', () => {
    const summary = summarizeShared('```js\n1 + 1\n```\n');
    expect(summary).toEqual({ title: undefined, cells: 1, codeCells: 1, tables: [], remoteData: [], timeoutMs: 5000, engines: [] });
  });

  it("lists the engines a shared notebook queries, and how they differ from an app's", () => {
    const summary = summarizeShared([
      '---',
      'engines:',
      '  warehouse: {type: clickhouse, url: "https://elsewhere.example/", user: reader}',
      '  lake: {type: clickhouse, url: "https://lake.example/"}',
      '---',
      '```sql by_state engine=warehouse',
      'SELECT state FROM strikes',
      '```',
    ].join('\n'));
    expect(summary.engines).toEqual([{ name: 'warehouse', url: 'https://elsewhere.example/', user: 'reader' }, { name: 'lake', url: 'https://lake.example/' }]);
    // The engine's tables are the engine's, not ones the reader must supply.
    expect(summary.tables).toEqual([]);
    expect(engineDifferences(summary.engines, { warehouse: { url: 'https://warehouse.example/', user: 'reader' }, lake: { url: 'https://lake.example/' } })).toEqual([
      'warehouse is https://elsewhere.example/ as reader here, but https://warehouse.example/ as reader in this app',
    ]);
    expect(engineDifferences(summary.engines, {})).toEqual([
      "warehouse (https://elsewhere.example/ as reader) is not one of this app's engines",
      "lake (https://lake.example/) is not one of this app's engines",
    ]);
    // Moving the password from a header into the URL is a difference worth saying.
    const moved = summarizeShared('---\nengines:\n  warehouse: {type: clickhouse, url: "https://warehouse.example/", user: reader, auth: url}\n---\n');
    expect(moved.engines).toEqual([{ name: 'warehouse', url: 'https://warehouse.example/', user: 'reader', auth: 'url' }]);
    expect(engineDifferences(moved.engines, { warehouse: { url: 'https://warehouse.example/', user: 'reader' } })).toEqual([
      'warehouse sends the password in the URL here, but in a header in this app',
    ]);
    expect(engineDifferences(moved.engines, { warehouse: { url: 'https://warehouse.example/', user: 'reader', auth: 'url' } })).toEqual([]);
  });

  it("caps the time limit a shared notebook asks for", () => {
    expect(summarizeShared('---\ntimeout: 100000000\n---\n').timeoutMs).toBe(30_000);
    expect(summarizeShared('---\ntimeout: 2000\n---\n').timeoutMs).toBe(2000);
  });
});
