import { describe, expect, it } from 'vitest';
import { editFrontMatter, FrontMatterEditError } from '../../src/notebook/front-matter-edit.ts';
import { setCellAttributes } from '../../src/notebook/edit.ts';
import { parseNotebook } from '../../src/notebook/parse.ts';

const cellOf = (text: string, kind: string) => parseNotebook(text, 't.md').cells.find((c) => c.kind === kind)!;

describe('setCellAttributes', () => {
  const text = '# T\n\n```sql\nSELECT 1\n```\n\n```js echo\n1 + 1\n```\n\nafter\n';

  it('names a SQL cell, renames it and removes the name; the body stays', () => {
    const nb = parseNotebook(text, 't.md');
    const sql = cellOf(text, 'sql');
    const named = setCellAttributes(text, nb, sql.id, { name: 'totals' });
    expect(named).toBe(text.replace('```sql\n', '```sql totals\n'));
    expect(cellOf(named, 'sql').attributes.name).toBe('totals');
    const renamed = setCellAttributes(named, parseNotebook(named, 't.md'), sql.id, { name: 'sums' });
    expect(renamed).toBe(text.replace('```sql\n', '```sql sums\n'));
    expect(setCellAttributes(renamed, parseNotebook(renamed, 't.md'), sql.id, { name: null })).toBe(text);
  });

  it('sets and clears flags in a fixed order, keeping the name and unknown words', () => {
    const source = '```sql  by_day engine=ch sidebar\nSELECT 1\n```\n';
    const nb = parseNotebook(source, 't.md');
    const id = nb.cells[0]!.id;
    const out = setCellAttributes(source, nb, id, { hidden: true, echo: true });
    expect(out.split('\n')[0]).toBe('```sql by_day engine=ch echo hidden sidebar');
    const cleared = setCellAttributes(out, parseNotebook(out, 't.md'), id, { sidebar: false, echo: false });
    expect(cleared.split('\n')[0]).toBe('```sql by_day engine=ch hidden');
    expect(parseNotebook(cleared, 't.md').cells[0]!.attributes).toMatchObject({ name: 'by_day', hidden: true, echo: false, sidebar: false });
  });

  it('replaces a name that could not be bound, and refuses a new one that cannot', () => {
    const source = '~~~~sql 2bad\nSELECT 1\n~~~~\n';
    const nb = parseNotebook(source, 't.md');
    const id = nb.cells[0]!.id;
    expect(setCellAttributes(source, nb, id, { name: 'good' }).split('\n')[0]).toBe('~~~~sql good');
    expect(setCellAttributes(source, nb, id, { name: 'class' })).toBe(source);
    expect(setCellAttributes(source, nb, id, { name: 'has space' })).toBe(source);
  });

  it('leaves Markdown cells alone and never names a JS cell', () => {
    const nb = parseNotebook(text, 't.md');
    const md = nb.cells.find((c) => c.kind === 'md')!;
    expect(setCellAttributes(text, nb, md.id, { sidebar: true })).toBe(text);
    expect(setCellAttributes(text, nb, cellOf(text, 'js').id, { name: 'x' })).toBe(text);
    const flagged = setCellAttributes(text, nb, cellOf(text, 'js').id, { sidebar: true });
    expect(flagged).toContain('```js echo sidebar\n1 + 1\n```');
  });
});

describe('editFrontMatter', () => {
  const text = '---\n# the app\ntitle: Sales\nid: sales-v1   # keep saved state\ndata:\n  orders: data/orders.csv # main table\n  stores: stores.csv\ntimeout: 9000\n---\n# Body\n\n```js\n1\n```\n';

  it('changes title, layout and tables, keeping other keys, order and comments', () => {
    const out = editFrontMatter(text, { title: 'Sales 2025', layout: 'wide', data: { orders: 'data/orders-2025.csv', regions: 'https://x.test/r.parquet' } });
    expect(out).toBe(
      '---\n# the app\ntitle: Sales 2025\nid: sales-v1 # keep saved state\ndata:\n  orders: data/orders-2025.csv # main table\n  regions: https://x.test/r.parquet\ntimeout: 9000\nlayout: wide\n---\n# Body\n\n```js\n1\n```\n',
    );
    const fm = parseNotebook(out, 't.md').frontMatter;
    expect(fm).toMatchObject({ title: 'Sales 2025', id: 'sales-v1', layout: 'wide', timeout: 9000, data: { orders: 'data/orders-2025.csv', regions: 'https://x.test/r.parquet' } });
  });

  it('removes what the form empties, and the block when nothing is left', () => {
    const small = '---\ntitle: T\nlayout: wide\n---\n\nText\n';
    expect(editFrontMatter(small, { title: '' })).toBe('---\nlayout: wide\n---\n\nText\n');
    expect(editFrontMatter(small, { title: '', layout: 'centered', data: {} })).toBe('Text\n');
  });

  it('adds front matter to a notebook that has none', () => {
    const out = editFrontMatter('# Hi\n', { title: 'Hi there', data: { t: 't.csv' } });
    expect(out).toBe('---\ntitle: Hi there\ndata:\n  t: t.csv\n---\n\n# Hi\n');
    expect(parseNotebook(out, 't.md').frontMatter).toMatchObject({ title: 'Hi there', data: { t: 't.csv' } });
  });

  it('refuses to overwrite YAML it cannot read', () => {
    expect(() => editFrontMatter('---\ntitle: [unclosed\n---\nx\n', { title: 'New' })).toThrow(FrontMatterEditError);
  });
});
