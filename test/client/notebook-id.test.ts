import { describe, expect, it } from 'vitest';
import { fingerprint, notebookIdFor } from '../../src/client/notebook-id.ts';
import type { FrontMatter } from '../../src/notebook/types.ts';

const fm = (id?: string): FrontMatter => ({ layout: 'centered', data: {}, extra: {}, id });

describe('notebookIdFor', () => {
  it('uses the front matter id for files and examples', () => {
    expect(notebookIdFor({ kind: 'example', path: 'examples/weather.md' }, fm('Sales Explorer'), 'x')).toBe('nb:sales-explorer');
    expect(notebookIdFor({ kind: 'file', name: 'Sales 2024.md' }, fm(), 'x')).toBe('file:sales-2024');
    expect(notebookIdFor({ kind: 'example', path: 'examples/weather.md' }, fm(), 'x')).toBe('example:examples-weather');
  });

  it('never lets a shared link pick the key of another notebook', () => {
    const a = notebookIdFor({ kind: 'shared' }, fm('sales-explorer'), 'source A');
    const b = notebookIdFor({ kind: 'shared' }, fm('sales-explorer'), 'source B');
    expect(a).toMatch(/^shared:[0-9a-f]{16}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('sales-explorer');
  });

  it('gives every page of a built site its own key, even with one front-matter id', () => {
    const a = notebookIdFor({ kind: 'built', path: 'notebook.md', site: '/apps/a/', id: 'a' }, fm(), 'x');
    const b = notebookIdFor({ kind: 'built', path: 'notebook.md', site: '/apps/b/', id: 'b' }, fm(), 'x');
    expect(a).not.toBe(b);
    const sameId = (site: string) => notebookIdFor({ kind: 'built', path: 'notebook.md', site, id: 'sales' }, fm('sales'), 'x');
    expect(sameId('/apps/a/')).not.toBe(sameId('/apps/b/'));
    // The same page keeps its key across visits and rebuilds.
    expect(sameId('/apps/a/')).toBe(sameId('/apps/a/'));
    expect(sameId('/apps/a/')).toMatch(/^app:[0-9a-f]{16}:sales$/);
  });

  it('fingerprints are stable and sensitive to every character', () => {
    expect(fingerprint('abc')).toBe(fingerprint('abc'));
    expect(fingerprint('abc')).not.toBe(fingerprint('abd'));
    expect(fingerprint('')).toHaveLength(16);
  });
});
