import { describe, expect, it } from 'vitest';
import { compileNotebook } from '../../src/compile/compile.ts';
import { engineDeclarations, engineResults, linkEngineResults } from '../../src/data/engine-cells.ts';
import { parseNotebook } from '../../src/notebook/parse.ts';

const notebook = [
  '---',
  'engines:',
  '  warehouse: {type: clickhouse, url: "http://127.0.0.1:8123/", user: reader, maxAge: 30s}',
  '---',
  '```js\nconst phase = "Climb"\n```',
  '```sql by_state engine=warehouse\nSELECT state, count() AS n FROM strikes WHERE phase = ${phase} GROUP BY state\n```',
  '```sql engine=warehouse\nSELECT 1\n```',
  '```sql joined\nSELECT * FROM By_State b JOIN regions USING (state)\n```',
  '```sql alone\nSELECT 42 AS answer\n```',
].join('\n\n');

describe('engine cells', () => {
  const parsed = parseNotebook(notebook, 'n.md');
  const cells = compileNotebook(parsed).cells;
  const by = (name: string) => cells.find((c) => c.outputs.includes(name))!;

  it('compiles an engine cell to the engine tag, its ${} still bound', () => {
    expect(by('by_state').body).toContain('query.engine("warehouse", "by_state")`SELECT state');
    expect(by('by_state').inputs).toEqual(['phase']);
  });

  it('declares the engines and the named cells on them, to the data worker', () => {
    expect(engineResults(cells)).toEqual({ by_state: 'warehouse' });
    expect(engineDeclarations(parsed.frontMatter.engines, cells, notebook)).toEqual({
      engines: { warehouse: { type: 'clickhouse', url: 'http://127.0.0.1:8123/', user: 'reader', maxAgeMs: 30_000, rowLimit: 100_000 } },
      results: { by_state: 'warehouse' },
      // The URLs written in the text are what DuckDB may read (the engine's own URL among them, harmlessly).
      readableUrls: ['http://127.0.0.1:8123/'],
    });
  });

  it('makes local SQL that reads an engine result by name depend on that cell', () => {
    const linked = linkEngineResults(cells);
    expect(linked.find((c) => c.outputs.includes('joined'))!.inputs).toEqual(['by_state']);
    expect(linked.find((c) => c.outputs.includes('alone'))!.inputs).toEqual([]);
    // The engine cell itself is not linked to anything local.
    expect(linked.find((c) => c.outputs.includes('by_state'))!.inputs).toEqual(['phase']);
  });
});
