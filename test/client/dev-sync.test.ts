/**
 * `brook dev`'s write-back in the page: edits are written over the text they
 * started from, a file change is taken when the page has no edits of its own,
 * and a clash of both waits for the person's choice — nothing is dropped.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DevSync, type DevSave, type DevSaveAnswer, type DevSyncState } from '../../src/client/dev-sync.ts';

/** A session whose text the test edits; `replaceSource` may apply at once or later (a TypeScript notebook). */
class FakeSession {
  text: string;
  listeners = new Set<(snapshot: never) => void>();
  deferReplace = false;
  pending: string | undefined;
  constructor(text: string) {
    this.text = text;
  }
  source = () => this.text;
  replaceSource = (text: string) => {
    if (this.deferReplace) this.pending = text;
    else this.edit(text);
  };
  subscribe = (listener: (snapshot: never) => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  edit(text: string) {
    this.text = text;
    for (const listener of this.listeners) listener(undefined as never);
  }
}

let session: FakeSession;
let writes: { base: string; text: string }[];
let answers: (DevSaveAnswer | Error)[];
let states: DevSyncState[];
let sync: DevSync;

const save: DevSave = async (edit) => {
  writes.push(edit);
  const answer = answers.shift() ?? { ok: true };
  if (answer instanceof Error) throw answer;
  return answer;
};
const kinds = () => states.map((s) => s.kind);

beforeEach(() => {
  vi.useFakeTimers();
  session = new FakeSession('# File\n');
  writes = [];
  answers = [];
  states = [];
  sync = new DevSync({ session, save, delayMs: 100, onState: (s) => states.push(s) });
});

afterEach(() => {
  sync.dispose();
  vi.useRealTimers();
});

describe('DevSync', () => {
  it('writes an edit after a pause in typing, over the text it started from', async () => {
    session.edit('# File\nA');
    session.edit('# File\nAB');
    expect(sync.unsaved).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(writes).toEqual([{ base: '# File\n', text: '# File\nAB' }]);
    expect(kinds()).toEqual(['saving', 'saved']);
    expect(sync.unsaved).toBe(false);
    // The next edit starts from what was written.
    session.edit('# File\nABC');
    await vi.advanceTimersByTimeAsync(100);
    expect(writes[1]).toEqual({ base: '# File\nAB', text: '# File\nABC' });
  });

  it('takes a changed file when the page has no edits of its own, and writes nothing', async () => {
    sync.fileChanged('# Saved in an editor\n');
    expect(session.text).toBe('# Saved in an editor\n');
    await vi.advanceTimersByTimeAsync(500);
    expect(writes).toEqual([]);
  });

  it('asks when the file changed while the page had unwritten edits; "take the file" drops the page\'s', async () => {
    session.edit('# Mine\n');
    sync.fileChanged('# Theirs\n');
    expect(states.at(-1)).toEqual({ kind: 'conflict', file: '# Theirs\n' });
    await vi.advanceTimersByTimeAsync(500);
    // Nothing is written or replaced while the person decides, and later edits wait too.
    session.edit('# Mine, more\n');
    await vi.advanceTimersByTimeAsync(500);
    expect(writes).toEqual([]);
    expect(session.text).toBe('# Mine, more\n');
    sync.takeFile();
    expect(session.text).toBe('# Theirs\n');
    expect(kinds().at(-1)).toBe('saved');
    await vi.advanceTimersByTimeAsync(500);
    expect(writes).toEqual([]);
  });

  it('"keep mine" writes the page\'s text over the file\'s current text', async () => {
    session.edit('# Mine\n');
    sync.fileChanged('# Theirs\n');
    await sync.keepMine();
    expect(writes).toEqual([{ base: '# Theirs\n', text: '# Mine\n' }]);
    expect(kinds().at(-1)).toBe('saved');
    expect(session.text).toBe('# Mine\n');
  });

  it('"keep mine" clicked before the refused write has answered still writes the page\'s text', async () => {
    // The page's write is on its way when the file changes on disk; the server will refuse it (old base).
    let answer!: (value: DevSaveAnswer) => void;
    const slow: DevSave = async (edit) => {
      writes.push(edit);
      return writes.length === 1 ? new Promise<DevSaveAnswer>((resolve) => (answer = resolve)) : { ok: true };
    };
    sync.dispose();
    sync = new DevSync({ session, save: slow, delayMs: 100, onState: (s) => states.push(s) });
    session.edit('# Mine\n');
    await vi.advanceTimersByTimeAsync(100);
    sync.fileChanged('# Theirs\n');
    const kept = sync.keepMine();
    answer({ ok: false, conflict: '# Theirs\n' });
    await kept;
    await vi.advanceTimersByTimeAsync(0);
    expect(writes.at(-1)).toEqual({ base: '# Theirs\n', text: '# Mine\n' });
    expect(kinds().at(-1)).toBe('saved');
  });

  it('turns the server\'s conflict answer into the same question', async () => {
    answers.push({ ok: false, conflict: '# Changed before the write arrived\n' });
    session.edit('# Mine\n');
    await vi.advanceTimersByTimeAsync(100);
    expect(states.at(-1)).toEqual({ kind: 'conflict', file: '# Changed before the write arrived\n' });
  });

  it('says when a write failed and keeps the edit for a retry', async () => {
    answers.push(new Error('fetch failed'));
    session.edit('# Mine\n');
    await vi.advanceTimersByTimeAsync(100);
    expect(states.at(-1)).toMatchObject({ kind: 'failed', message: expect.stringContaining('Is brook dev still running?') });
    expect(sync.unsaved).toBe(true);
    sync.retry();
    await vi.advanceTimersByTimeAsync(0);
    expect(writes).toHaveLength(2);
    expect(kinds().at(-1)).toBe('saved');
  });

  it('never writes the old text back while a taken file is still being applied', async () => {
    session.deferReplace = true;
    sync.fileChanged('# Theirs\n');
    // Something else on the page changes (a cell event) before the new text applies.
    session.edit(session.text);
    await vi.advanceTimersByTimeAsync(500);
    expect(writes).toEqual([]);
    session.deferReplace = false;
    session.edit(session.pending!);
    await vi.advanceTimersByTimeAsync(500);
    expect(writes).toEqual([]);
    // It never even looked like an edit waiting to be written.
    expect(kinds()).toEqual([]);
    expect(sync.unsaved).toBe(false);
  });
});
