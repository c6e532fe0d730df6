import { describe, expect, it } from 'vitest';
import { quoteIdentifier, tableNameFor, tableNameForDrop } from '../../src/data/table-name.ts';

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

describe('tableNameForDrop', () => {
  it('the same file name replaces its table; another file that maps to a taken name gets the next free one', () => {
    const owners = new Map([['my_data', 'file:my-data.csv'], ['sales', 'data:data/sales.csv']]);
    expect(tableNameForDrop('my-data.csv', owners)).toEqual({ table: 'my_data' });
    expect(tableNameForDrop('my_data.csv', owners)).toEqual({ table: 'my_data_2', clash: 'my_data' });
    expect(tableNameForDrop('sales.csv', owners)).toEqual({ table: 'sales_2', clash: 'sales' });
    owners.set('sales_2', 'file:Sales.csv');
    expect(tableNameForDrop('Sales.csv', owners)).toEqual({ table: 'sales_2' });
    expect(tableNameForDrop('SALES.csv', owners)).toEqual({ table: 'sales_3', clash: 'sales' });
    expect(tableNameForDrop('orders.csv', owners)).toEqual({ table: 'orders' });
  });
});
