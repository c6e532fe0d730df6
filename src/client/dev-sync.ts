/**
 * `brook dev` in the page: edits made here are written back to the notebook
 * file, and changes of the file reach the page — and neither is ever lost
 * silently. The page keeps the text it believes the file holds (`fileText`):
 *
 * - The page's text differs from it (an edit here): after a short pause it is
 *   written with `base = fileText`. The server writes it only if the file
 *   still holds `base`; otherwise it answers with the file's text: a conflict.
 * - The file changed (a Server-Sent Event): taken at once when the page has no
 *   unwritten edits; otherwise a conflict.
 * - A conflict stops writing and asks: keep the page's edits (written over the
 *   file's current text) or take the file (the page's edits are dropped).
 */
import type { Session } from './session-types.ts';

/** What the dev server answers to a write (JSON; see src/cli/dev-server.ts). */
export type DevSaveAnswer =
  | { ok: true }
  /** The file changed since the page's edit started: its current text. */
  | { ok: false; conflict: string }
  | { ok: false; message: string };

/** The header carrying the dev server's token. A custom header also makes a cross-site request need a preflight, which is never granted. */
export const DEV_TOKEN_HEADER = 'x-brook-dev-token';

/** Where the page's edits stand. */
export type DevSyncState =
  /** The file holds the page's text. */
  | { kind: 'saved' }
  /** Edits wait for a pause in typing, or are being written. */
  | { kind: 'saving' }
  /** The write failed (the dev server is gone?); the next edit or `retry` tries again. */
  | { kind: 'failed'; message: string }
  /** The file changed while the page had edits of its own: `file` is its text. */
  | { kind: 'conflict'; file: string };

/** Writes `text` over the file if it still holds `base`. */
export type DevSave = (edit: { base: string; text: string }) => Promise<DevSaveAnswer>;

export interface DevSyncOptions {
  session: Pick<Session, 'source' | 'replaceSource' | 'subscribe'>;
  save: DevSave;
  /** Pause after the last edit before writing (ms). */
  delayMs?: number;
  onState(state: DevSyncState): void;
}

export const DEV_SAVE_DELAY_MS = 400;

export class DevSync {
  /** The text the file holds, as far as the page knows. */
  private fileText: string;
  private state: DevSyncState = { kind: 'saved' };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing = false;
  /** A write was asked for while one was on its way ("keep mine" before the refused write answered): made once it has. */
  private again = false;
  /** The page's text before `replaceSource` took the file: until the session moved off it, it is not an edit to write. */
  private replaced: string | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: DevSyncOptions) {
    this.fileText = options.session.source();
    this.unsubscribe = options.session.subscribe(() => this.sourceChanged());
  }

  /** Whether the page holds edits the file does not have yet (a reload would lose them). */
  get unsaved(): boolean {
    return this.options.session.source() !== this.fileText;
  }

  /** The file's new text arrived (the notebook was saved on disk). */
  fileChanged(text: string): void {
    if (text === this.fileText) return;
    const mine = this.options.session.source();
    if (text === mine) {
      this.fileText = text;
      this.setState({ kind: 'saved' });
    } else if (mine === this.fileText) {
      this.take(text);
    } else {
      clearTimeout(this.timer);
      this.setState({ kind: 'conflict', file: text });
    }
  }

  /** Conflict: write the page's text over the file's current text. */
  async keepMine(): Promise<void> {
    if (this.state.kind !== 'conflict') return;
    this.fileText = this.state.file;
    this.setState({ kind: 'saving' });
    await this.write();
  }

  /** Conflict: drop the page's edits and show the file's text. */
  takeFile(): void {
    if (this.state.kind !== 'conflict') return;
    this.take(this.state.file);
  }

  /** After a failure: try the write again. */
  retry(): void {
    if (this.state.kind === 'failed') void this.write();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unsubscribe();
  }

  private take(text: string): void {
    clearTimeout(this.timer);
    this.fileText = text;
    this.replaced = this.options.session.source();
    this.options.session.replaceSource(text);
    if (this.options.session.source() === text) this.replaced = undefined;
    this.setState({ kind: 'saved' });
  }

  private sourceChanged(): void {
    const text = this.options.session.source();
    if (this.replaced !== undefined) {
      // `replaceSource` may apply later (a TypeScript notebook waits for its transpiler).
      if (text === this.replaced) return;
      this.replaced = undefined;
    }
    if (this.state.kind === 'conflict') return;
    if (text === this.fileText) {
      if (!this.writing) this.setState({ kind: 'saved' });
      return;
    }
    this.setState({ kind: 'saving' });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.write(), this.options.delayMs ?? DEV_SAVE_DELAY_MS);
  }

  /** Writes the page's text; one write at a time, and again if edits came meanwhile. */
  private async write(): Promise<void> {
    if (this.writing) {
      this.again = true;
      return;
    }
    const text = this.options.session.source();
    if (text === this.fileText) return this.setState({ kind: 'saved' });
    this.writing = true;
    let answer: DevSaveAnswer;
    try {
      answer = await this.options.save({ base: this.fileText, text });
    } catch (error) {
      answer = { ok: false, message: `Not saved: the dev server did not answer (${error instanceof Error ? error.message : String(error)}). Is brook dev still running?` };
    } finally {
      this.writing = false;
    }
    const again = this.again;
    this.again = false;
    if (this.state.kind === 'conflict') return; // the file changed while writing; the person decides
    if (answer.ok) {
      this.fileText = text;
      if (again) return this.write();
      if (this.options.session.source() !== text) return this.sourceChanged();
      return this.setState({ kind: 'saved' });
    }
    // Asked again meanwhile with what the page knows now (the person chose "keep mine"): this answer is out of date.
    if (again) return this.write();
    if ('conflict' in answer) return this.setState({ kind: 'conflict', file: answer.conflict });
    this.setState({ kind: 'failed', message: answer.message });
  }

  private setState(state: DevSyncState): void {
    if (state.kind === this.state.kind && state.kind !== 'conflict' && state.kind !== 'failed') return;
    this.state = state;
    this.options.onState(state);
  }
}

/** A `DevSave` over HTTP: `PUT url` with the server's token (see src/cli/dev-server.ts). */
export function saveOverHttp(url: string, token: string): DevSave {
  return async (edit) => {
    const response = await fetch(url, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', [DEV_TOKEN_HEADER]: token },
      body: JSON.stringify(edit),
    });
    try {
      return (await response.json()) as DevSaveAnswer;
    } catch {
      return { ok: false, message: `Not saved: the dev server answered ${response.status}.` };
    }
  };
}
