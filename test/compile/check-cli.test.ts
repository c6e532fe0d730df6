/** `brook check` (src/cli/check.ts), run on real files. Lives here because it exercises the compiler end to end. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/check.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'brook-check-'));
const good = join(dir, 'good.md');
writeFileSync(good, '# Hi ${a}\n\n```js\nconst a = 1\n```\n');
const bad = join(dir, 'bad.md');
writeFileSync(bad, '```js\nconst a = b + 1\n```\n');

describe('brook check', () => {
  it('lists cells and exits 0 on a clean notebook', async () => {
    const { io, out } = capture();
    expect(await runCheck([good], io)).toBe(0);
    expect(out).toEqual([`${good}: 2 cells`, '  c1   md   line 1     uses a', '  c2   js   line 3     defines a', 'no problems']);
  });

  it('prints file:line:col diagnostics and exits 1 on errors', async () => {
    const { io, out } = capture();
    expect(await runCheck([bad], io)).toBe(1);
    expect(out).toContain(`${bad}:2:11: error: \`b\` is not defined [undefined-name]`);
  });

  it('--json prints cells, dependencies and diagnostics', async () => {
    const { io, out } = capture();
    expect(await runCheck(['--json', good], io)).toBe(0);
    const report = JSON.parse(out.join('\n'));
    expect(report.cells.map((c: { id: string; defines: string[]; uses: string[] }) => [c.id, c.defines, c.uses])).toEqual([
      ['c1', [], ['a']],
      ['c2', ['a'], []],
    ]);
    expect(report.dependencies).toEqual([{ from: 'c2', to: 'c1', name: 'a' }]);
    expect(report.diagnostics).toEqual([]);
  });

  it('reads .ipynb through the importer', async () => {
    const file = join(dir, 'n.ipynb');
    const nb = {
      nbformat: 4,
      metadata: { kernelspec: { language: 'javascript' } },
      cells: [
        { cell_type: 'code', source: ['const x = 2;\n', 'x * y'] },
        { cell_type: 'code', source: '%%sql rows\nSELECT ${x}' },
      ],
    };
    writeFileSync(file, JSON.stringify(nb));
    const { io, out } = capture();
    expect(await runCheck([file], io)).toBe(1);
    expect(out.some((l) => /n\.ipynb:\d+:5: error: `y` is not defined/.test(l))).toBe(true);
    expect(out.some((l) => /sql\s+line \d+\s+defines rows; uses x/.test(l))).toBe(true);
  });

  it('usage mistakes exit 2; unreadable files exit 1', async () => {
    const a = capture();
    expect(await runCheck([], a.io)).toBe(2);
    const b = capture();
    expect(await runCheck([join(dir, 'nope.md')], b.io)).toBe(1);
    expect(b.err[0]).toContain('ENOENT');
  });
});
