import { describe, expect, it } from 'vitest';
import { describeCell } from '../../src/app/cell-names.ts';
import { compileNotebook } from '../../src/compile/compile.ts';
import { parseNotebook } from '../../src/notebook/parse.ts';

const SOURCE = `# Title

\`\`\`sql sample
SELECT 1 AS x
\`\`\`

\`\`\`js
const a = 1, b = 2
\`\`\`

\`\`\`js
display(a + b)
\`\`\`
`;

const cells = compileNotebook(parseNotebook(SOURCE, 'names.md')).cells;
const idOf = (text: string) => cells.find((c) => c.source.includes(text))!.id;

describe('describeCell', () => {
  it('names a SQL cell by its result name and the line of its fence', () => {
    expect(describeCell(cells, idOf('SELECT 1'))).toBe('sample, notebook line 3');
  });

  it('names a cell defining several names by the first, counting the rest', () => {
    expect(describeCell(cells, idOf('const a'))).toBe('a (and 1 more), notebook line 7');
  });

  it('describes a cell that defines nothing by its kind and line', () => {
    expect(describeCell(cells, idOf('display(a + b)'))).toBe('the JavaScript cell at notebook line 11');
  });

  it('says so when the cell is gone', () => {
    expect(describeCell(cells, 'c999')).toMatch(/no longer exists/);
  });
});
