import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notebookSql } from '../notebook-sql.ts';

describe('notebookSql', () => {
  it('turns holes into ? placeholders, as Brook binds them', () => {
    const { sql, holes } = notebookSql(join(import.meta.dirname, '..', 'notebooks', 'flights-parquet.md'), 'by_origin');
    expect(sql).toContain('WHERE delay >= ?');
    expect(sql).not.toContain('${');
    expect(holes).toEqual(['minDelay']);
  });

  it('keeps escaped \\${ as literal text and handles braces inside holes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-sql-'));
    const file = join(dir, 'n.md');
    writeFileSync(file, "# t\n\n```sql q\nSELECT '\\${x}' AS a, ${ {v: 1}.v } AS b, ${y} AS c\n```\n");
    expect(notebookSql(file, 'q')).toEqual({ sql: "SELECT '${x}' AS a, ? AS b, ? AS c", holes: ['{v: 1}.v', 'y'] });
  });

  it('names the notebook when the cell is missing', () => {
    const path = join(import.meta.dirname, '..', 'notebooks', 'ingest.md');
    expect(() => notebookSql(path, 'nope')).toThrow(/ingest\.md: no ```sql nope cell/);
  });
});
