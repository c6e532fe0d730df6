import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { idbBackend, type KeyValueBackend } from '../../src/store/backend.ts';
import { openNotebookStore } from '../../src/store/notebook-store.ts';
import { partKey, quarantineKey, SCHEMA_VERSION } from '../../src/store/schema.ts';

/** The real IndexedDB backend (fake-indexeddb), emptied between tests. */
const real = idbBackend();

async function clearAll(): Promise<void> {
  const keys = await real.keys();
  if (keys.length) await real.batch([], keys);
}

function bytes(...values: number[]): ArrayBuffer {
  return new Uint8Array(values).buffer;
}

/** A backend whose writes fail like a full disk; reads go to the real one. */
function fullDisk(): KeyValueBackend {
  return {
    ...real,
    batch: async () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    },
  };
}

beforeEach(clearAll);

describe('NotebookStore', () => {
  it('restores inputs, state, draft and files saved by an earlier visit', async () => {
    const first = openNotebookStore('sales', { debounceMs: 5 });
    await first.load();
    await first.saveFile({ name: 'Sales 2024.csv', bytes: bytes(1, 2, 3), type: 'text/csv' });
    await Promise.all([first.saveInputs({ year: 2024 }), first.saveState({ count: 3 }), first.saveDraft('# edited')]);

    const loaded = await openNotebookStore('sales').load();
    expect(loaded.inputs).toEqual({ year: 2024 });
    expect(loaded.state).toEqual({ count: 3 });
    expect(loaded.draft).toBe('# edited');
    expect(loaded.files).toHaveLength(1);
    expect(loaded.files[0].name).toBe('Sales 2024.csv');
    expect(loaded.files[0].type).toBe('text/csv');
    expect([...new Uint8Array(loaded.files[0].bytes)]).toEqual([1, 2, 3]);
    expect(loaded.notices).toEqual([]);
  });

  it('starts empty for a notebook never saved', async () => {
    const loaded = await openNotebookStore('fresh').load();
    expect(loaded).toEqual({ inputs: {}, state: {}, files: [], notices: [] });
  });

  it('keeps a dropped File as a Blob and gives its bytes back on the next visit', async () => {
    const store = openNotebookStore('blobs');
    await store.load();
    const file = new File([new Uint8Array([7, 8, 9])], 'picked.csv', { type: 'text/csv' });
    expect((await store.saveFile({ name: file.name, bytes: file, type: file.type })).ok).toBe(true);
    expect((await real.getMany([partKey('blobs', 'file:picked.csv')]))[0]).toBeInstanceOf(Blob);
    const loaded = await openNotebookStore('blobs').load();
    expect(loaded.files.map((f) => [f.name, f.type, [...new Uint8Array(f.bytes)]])).toEqual([['picked.csv', 'text/csv', [7, 8, 9]]]);
  });

  it('replaces a file of the same name and removes files', async () => {
    const store = openNotebookStore('files');
    await store.load();
    await store.saveFile({ name: 'a.csv', bytes: bytes(1) });
    await store.saveFile({ name: 'b.csv', bytes: bytes(2) });
    await store.saveFile({ name: 'a.csv', bytes: bytes(9) });
    await store.removeFile('b.csv');
    const loaded = await openNotebookStore('files').load();
    expect(loaded.files.map((f) => [f.name, [...new Uint8Array(f.bytes)]])).toEqual([['a.csv', [9]]]);
    expect(await real.getMany([partKey('files', 'file:b.csv')])).toEqual([undefined]);
  });

  it('keeps both files when two are saved at once (index updates do not race)', async () => {
    const store = openNotebookStore('race');
    await store.load();
    await Promise.all([store.saveFile({ name: 'x.csv', bytes: bytes(1) }), store.saveFile({ name: 'y.csv', bytes: bytes(2) })]);
    const loaded = await openNotebookStore('race').load();
    expect(loaded.files.map((f) => f.name).sort()).toEqual(['x.csv', 'y.csv']);
  });

  it('reset clears one notebook and leaves the others', async () => {
    const a = openNotebookStore('a', { debounceMs: 1 });
    const b = openNotebookStore('b', { debounceMs: 1 });
    // 'a/b' would share a string prefix with 'a'; keys are arrays so it must survive too.
    const ab = openNotebookStore('a/b', { debounceMs: 1 });
    for (const s of [a, b, ab]) {
      await s.load();
      await s.saveInputs({ v: 1 });
      await s.saveFile({ name: 'f.csv', bytes: bytes(1) });
    }
    const reset = await a.reset();
    expect(reset.ok).toBe(true);
    expect(await openNotebookStore('a').load()).toEqual({ inputs: {}, state: {}, files: [], notices: [] });
    expect((await openNotebookStore('b').load()).inputs).toEqual({ v: 1 });
    expect((await openNotebookStore('a/b').load()).files).toHaveLength(1);
  });

  it('debounces a slider drag into one write of the last value', async () => {
    const writes: unknown[] = [];
    const counting: KeyValueBackend = { ...real, batch: (puts, dels, merges) => (writes.push([puts, merges]), real.batch(puts, dels, merges)) };
    const store = openNotebookStore('drag', { backend: counting, debounceMs: 20 });
    await store.load();
    const saves = [1, 2, 3, 4, 5].map((v) => store.saveInputs({ x: v }));
    const results = await Promise.all(saves);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(writes).toHaveLength(1);
    expect((await openNotebookStore('drag').load()).inputs).toEqual({ x: 5 });
  });

  it('two tabs saving different keys and files keep both (per-key merge in one transaction)', async () => {
    const heard: unknown[] = [];
    const one = openNotebookStore('tabs', { debounceMs: 5, onWritten: (change) => heard.push(change) });
    const two = openNotebookStore('tabs', { debounceMs: 5 });
    await Promise.all([one.load(), two.load()]);
    await Promise.all([
      one.saveInputs({ year: 2024 }),
      two.saveInputs({ kind: 'rain' }),
      one.saveState({ a: 1 }),
      two.saveState({ b: 2 }),
      one.saveFile({ name: 'a.csv', bytes: bytes(1), type: 'text/csv' }),
      two.saveFile({ name: 'b.csv', bytes: bytes(2), type: 'text/csv', table: 'b_2' }),
    ]);
    const loaded = await openNotebookStore('tabs').load();
    expect(loaded.inputs).toEqual({ year: 2024, kind: 'rain' });
    expect(loaded.state).toEqual({ a: 1, b: 2 });
    expect(loaded.files.map((f) => [f.name, f.table])).toEqual([['a.csv', undefined], ['b.csv', 'b_2']]);
    expect(loaded.notices).toEqual([]);
    expect(heard).toContainEqual({ kind: 'inputs', changes: { set: { year: 2024 }, removed: [] } });
    expect(heard).toContainEqual({ kind: 'file', name: 'a.csv', table: undefined });
  });

  it("a change another tab wrote is adopted: a later save here does not write the old value back", async () => {
    const one = openNotebookStore('adopt', { debounceMs: 5 });
    const two = openNotebookStore('adopt', { debounceMs: 5 });
    await Promise.all([one.load(), two.load()]);
    await one.saveInputs({ x: 1, y: 1 });
    two.adopt('inputs', { set: { x: 1, y: 1 }, removed: [] });
    await two.saveInputs({ x: 1, y: 1, z: 3 });
    await one.saveInputs({ x: 5, y: 1 });
    // A save waiting in two, made before it heard of x=5: the stale x=1 must not be written back.
    const waiting = two.saveInputs({ x: 1, y: 2, z: 3 });
    two.adopt('inputs', { set: { x: 5 }, removed: [] });
    await waiting;
    expect((await openNotebookStore('adopt').load()).inputs).toEqual({ x: 5, y: 2, z: 3 });
    expect((await two.readFile('nope.csv'))).toBeNull();
  });

  it('flush writes the pending value at once (page hide)', async () => {
    // A debounce far longer than the test: only flush() can have written the value.
    const store = openNotebookStore('hide', { debounceMs: 60_000 });
    await store.load();
    const saved = store.saveInputs({ x: 42 });
    void store.saveState({ s: 1 });
    expect(await real.getMany([partKey('hide', 'inputs')])).toEqual([undefined]);
    const flushed = await store.flush();
    expect(flushed.ok).toBe(true);
    expect((await saved).ok).toBe(true);
    expect(await real.getMany([partKey('hide', 'inputs'), partKey('hide', 'state')])).toEqual([{ x: 42 }, { s: 1 }]);
  });

  it('clearDraft removes the draft and cancels a pending one', async () => {
    const store = openNotebookStore('draft', { debounceMs: 5 });
    await store.load();
    await store.saveDraft('first');
    void store.saveDraft('pending');
    await store.clearDraft();
    await store.flush();
    expect((await openNotebookStore('draft').load()).draft).toBeUndefined();
  });

  it('a full disk gives a QuotaExceededError result, not an exception, and keeps earlier data', async () => {
    const good = openNotebookStore('quota', { debounceMs: 1 });
    await good.load();
    await good.saveInputs({ kept: true });
    const store = openNotebookStore('quota', { backend: fullDisk(), debounceMs: 1 });
    await store.load();
    const file = await store.saveFile({ name: 'big.parquet', bytes: new ArrayBuffer(1024) });
    expect(file.ok).toBe(false);
    if (!file.ok) {
      expect(file.error.name).toBe('QuotaExceededError');
      expect(file.error.message).toContain('storage is full');
      expect(file.error.message).toContain('big.parquet');
    }
    const inputs = await store.saveInputs({ kept: false });
    expect(inputs.ok).toBe(false);
    expect((await openNotebookStore('quota').load()).inputs).toEqual({ kept: true });
  });

  it('a failed file write leaves neither the bytes nor an index entry (one transaction)', async () => {
    const store = openNotebookStore('atomic', { backend: fullDisk() });
    await store.load();
    await store.saveFile({ name: 'a.csv', bytes: bytes(1) });
    const keys = await real.keys();
    expect(keys.filter((k) => Array.isArray(k) && k[1] === 'atomic')).toEqual([]);
  });

  it('sets aside values that do not decode, with a notice, and loads the rest', async () => {
    await real.batch(
      [
        [partKey('bad', 'meta'), { schemaVersion: SCHEMA_VERSION, files: [{ name: 'ok.csv', type: '' }, { name: 'broken.csv', type: '' }] }],
        [partKey('bad', 'inputs'), 'not an object'],
        [partKey('bad', 'state'), { fine: 1 }],
        [partKey('bad', 'file:ok.csv'), bytes(7)],
        [partKey('bad', 'file:broken.csv'), 'not bytes'],
      ],
      [],
    );
    const loaded = await openNotebookStore('bad').load();
    expect(loaded.inputs).toEqual({});
    expect(loaded.state).toEqual({ fine: 1 });
    expect(loaded.files.map((f) => f.name)).toEqual(['ok.csv']);
    expect(loaded.notices).toHaveLength(1);
    expect(loaded.notices[0]).toMatch(/set aside/);
    expect(loaded.notices[0]).toContain('inputs');
    expect(loaded.notices[0]).toContain('broken.csv');

    const keys = await real.keys();
    const quarantined = keys.filter((k) => Array.isArray(k) && k[0] === 'quarantine' && k[1] === 'bad');
    expect(quarantined.map((k) => (k as unknown[])[2]).sort()).toEqual(['file:broken.csv', 'inputs']);
    const [kept] = await real.getMany([quarantined.find((k) => (k as unknown[])[2] === 'inputs')!]);
    expect(kept).toBe('not an object');

    // The next visit is clean: no notice, and the repaired index no longer names the broken file.
    const again = await openNotebookStore('bad').load();
    expect(again.notices).toEqual([]);
    expect(again.files.map((f) => f.name)).toEqual(['ok.csv']);
  });

  it('data written by a newer Brook is set aside, not misread', async () => {
    await real.batch([[partKey('future', 'meta'), { schemaVersion: SCHEMA_VERSION + 1, files: [] }], [partKey('future', 'inputs'), { x: 1 }]], []);
    const loaded = await openNotebookStore('future').load();
    expect(loaded.inputs).toEqual({});
    expect(loaded.notices[0]).toContain('newer Brook');
    expect((await real.keys()).some((k) => Array.isArray(k) && k[0] === 'quarantine' && k[1] === 'future')).toBe(true);
  });

  it('migrates a schema 0 record to the current layout and removes the old key', async () => {
    await real.batch(
      [[partKey('old', 'legacy'), { inputs: { n: 5 }, state: { s: 'x' }, draft: '# old', files: [{ name: 'a.csv', type: 'text/csv', bytes: bytes(4, 5) }] }]],
      [],
    );
    const loaded = await openNotebookStore('old').load();
    expect(loaded.inputs).toEqual({ n: 5 });
    expect(loaded.state).toEqual({ s: 'x' });
    expect(loaded.draft).toBe('# old');
    expect(loaded.files.map((f) => [f.name, f.type, [...new Uint8Array(f.bytes)]])).toEqual([['a.csv', 'text/csv', [4, 5]]]);
    expect(loaded.notices).toEqual([]);
    const [legacy, meta] = await real.getMany([partKey('old', 'legacy'), partKey('old', 'meta')]);
    expect(legacy).toBeUndefined();
    expect(meta).toEqual({ schemaVersion: SCHEMA_VERSION, files: [{ name: 'a.csv', type: 'text/csv' }] });
  });

  it('a schema 0 record that cannot be migrated is set aside with a notice', async () => {
    await real.batch([[partKey('old-bad', 'legacy'), 'garbage']], []);
    const loaded = await openNotebookStore('old-bad').load();
    expect(loaded.inputs).toEqual({});
    expect(loaded.notices[0]).toMatch(/could not be upgraded.*set aside/);
    expect(await real.getMany([partKey('old-bad', 'legacy')])).toEqual([undefined]);
  });

  it('unavailable storage gives a notice and an empty notebook, never a crash', async () => {
    const blocked = async () => Promise.reject(new DOMException('blocked', 'SecurityError'));
    const broken: KeyValueBackend = { ...real, keys: blocked, entriesUnder: blocked };
    const loaded = await openNotebookStore('x', { backend: broken }).load();
    expect(loaded.inputs).toEqual({});
    expect(loaded.notices[0]).toContain('unavailable');
  });

  it('keeps the last run for the next visit, drops one that does not decode without a notice, and reset clears it', async () => {
    const lastRun = {
      basis: 'b1',
      savedAt: 7,
      cells: { c1: { cell: 'c1', status: 'fulfilled' as const, run: { generation: 3, runs: 1 }, outputs: [{ type: 'text' as const, text: 'hi' }], durationMs: 1 } },
    };
    const store = openNotebookStore('runs');
    expect(await store.saveLastRun(lastRun)).toEqual({ ok: true, value: undefined });
    expect((await openNotebookStore('runs').load()).lastRun).toEqual(lastRun);

    await real.batch([[partKey('runs', 'lastRun'), { basis: 'b1', savedAt: 7, cells: { c1: { cell: 'c2' } } }]], []);
    const loaded = await openNotebookStore('runs').load();
    expect(loaded.lastRun).toBeUndefined();
    expect(loaded.notices).toEqual([]);
    expect(await real.getMany([partKey('runs', 'lastRun')])).toEqual([undefined]);

    await store.saveLastRun(lastRun);
    await store.reset();
    expect((await openNotebookStore('runs').load()).lastRun).toBeUndefined();
  });

  it("reads only its own notebook's parts (not a notebook whose id extends it, not quarantine)", async () => {
    await real.batch([
      [partKey('a', 'inputs'), { mine: 1 }],
      [partKey('a', 'file:x.csv'), bytes(1)],
      [partKey('a-b', 'inputs'), { other: 2 }],
      [partKey('ab', 'state'), { other: 3 }],
      [quarantineKey('a', 'state', 1), { set: 'aside' }],
    ], []);
    const entries = await real.entriesUnder(['notebook', 'a']);
    expect(entries.map(([key]) => key)).toEqual([partKey('a', 'file:x.csv'), partKey('a', 'inputs')]);
    const loaded = await openNotebookStore('a').load();
    expect(loaded.inputs).toEqual({ mine: 1 });
    expect(loaded.state).toEqual({});
  });

  it('quarantine keys are per notebook', () => {
    expect(quarantineKey('a', 'inputs', 1)).not.toEqual(quarantineKey('b', 'inputs', 1));
  });
});
