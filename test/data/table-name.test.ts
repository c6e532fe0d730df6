import { describe, expect, it } from 'vitest';
import { quoteIdentifier, tableNameFor } from '../../src/data/table-name.ts';

describe('tableNameFor', () => {
  it.each([
    ['Sales 2024.csv', 'sales_2024'],
    ['orders.csv', 'orders'],
    ['My  Data--final (2).parquet', 'my_data_final_2'],
    ['2024 sales.tsv', 't_2024_sales'],
    ['select.csv', 'select_table'],
    ['Order.json', 'order_table'],
    ['café.json', 'cafe'],
    ['data.csv.gz', 'data'],
    ['___.csv', 'table'],
    ['https://example.com/data/flights-3m.parquet?x=1', 'flights_3m'],
    ['dir/sub\\Weather.Arrow', 'weather'],
    ['noext', 'noext'],
  ])('%s → %s', (file, expected) => {
    expect(tableNameFor(file)).toBe(expected);
  });

  it('maps the same file name to the same table (the replace rule)', () => {
    expect(tableNameFor('Sales 2024.csv')).toBe(tableNameFor('sales_2024.CSV'));
  });

  it('quotes identifiers with embedded quotes doubled', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });
});
