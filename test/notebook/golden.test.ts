/**
 * Golden tests: every `golden/<name>.md` (parsed) and `golden/<name>.ipynb`
 * (imported) must produce exactly `golden/<name>.json`. A missing or changed
 * golden fails; `UPDATE_GOLDEN=1` rewrites them (review the diff!).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importIpynb } from '../../src/notebook/ipynb.ts';
import { parseNotebook } from '../../src/notebook/parse.ts';

const dir = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';
const inputs = readdirSync(dir).filter((f) => f.endsWith('.md') || f.endsWith('.ipynb')).sort();

function produce(file: string): unknown {
  const text = readFileSync(join(dir, file), 'utf8');
  return extname(file) === '.md' ? parseNotebook(text, file) : importIpynb(text, file);
}

describe('golden notebooks', () => {
  it('has inputs, and no two inputs share a golden', () => {
    expect(inputs.length).toBeGreaterThan(15);
    const names = inputs.map((f) => basename(f, extname(f)));
    expect(new Set(names).size).toBe(names.length);
  });

  it('has no orphan goldens', () => {
    const names = new Set(inputs.map((f) => basename(f, extname(f))));
    const orphans = readdirSync(dir).filter((f) => f.endsWith('.json') && !names.has(basename(f, '.json')));
    expect(orphans).toEqual([]);
  });

  for (const file of inputs) {
    it(file, () => {
      const goldenPath = join(dir, `${basename(file, extname(file))}.json`);
      const actual = JSON.stringify(produce(file), null, 2) + '\n';
      if (update) writeFileSync(goldenPath, actual);
      expect(existsSync(goldenPath), `missing golden ${goldenPath}; run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(actual).toBe(readFileSync(goldenPath, 'utf8'));
    });
  }
});
