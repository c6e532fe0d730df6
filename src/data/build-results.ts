/**
 * What `brook build` computed, as a built page's data engine answers from
 * it: the default run's query results (`seeds`) and the answers of the runs
 * at other control values (`answers`: a list fetched once; see
 * src/cli/control-values.ts). Both are keyed by persisted-memo keys — SQL,
 * values, the content fingerprints of the tables read — so a key that
 * matches is the answer DuckDB would give. Each result's bytes are fetched
 * once; a result whose bytes cannot be fetched is forgotten (the query runs).
 */
import type { ColumnInfo } from '../runtime/protocol.ts';
import type { SeededResult } from './api.ts';

/** A result of the build, ready to answer. */
export interface BuiltAnswer {
  ipc: Uint8Array;
  rowCount: number;
  columns: ColumnInfo[];
}

export class BuildResults {
  private readonly seeds = new Map<string, SeededResult>();
  private readonly answers = new Map<string, SeededResult>();
  /** The answers list while it downloads. */
  private answersArrive: Promise<void> | undefined;
  private readonly bytes = new Map<string, Promise<Uint8Array>>();
  /** Bumped by `replace`: a list of the notebook before does not land. */
  private generation = 0;

  /** @param fetchBytes fetches one of the build's files (relative URLs are the caller's to resolve). */
  constructor(private readonly fetchBytes: (url: string) => Promise<Uint8Array>) {}

  /** Takes a notebook's results (replacing any before): its seeds, and the absolute URL of its answers list. */
  replace(seeds: readonly SeededResult[] = [], answers?: string): void {
    const generation = ++this.generation;
    this.seeds.clear();
    this.answers.clear();
    this.bytes.clear();
    for (const seed of seeds) this.seeds.set(seed.key, seed);
    this.answersArrive = answers === undefined ? undefined : this.fetchList(answers, generation);
  }

  /** Whether nothing could ever answer (the engine then skips working out disk keys). */
  get empty(): boolean {
    return this.seeds.size === 0 && this.answers.size === 0 && !this.answersArrive;
  }

  /**
   * The build's result for `key`. An answer of the runs at other values is
   * used only while `loading` is given — a table the query reads has its
   * first load under way (it resolves when that load ends) — and the list
   * is waited for no longer than that: once the rows are in DuckDB, its
   * range index answers a step without a request per step.
   */
  async get(key: string, loading?: Promise<unknown>): Promise<BuiltAnswer | undefined> {
    let result = this.seeds.get(key);
    if (!result && loading) {
      if (this.answersArrive) await Promise.race([this.answersArrive, loading]);
      result = this.answers.get(key);
    }
    if (!result) return undefined;
    let bytes = this.bytes.get(key);
    if (!bytes) {
      bytes = this.fetchBytes(result.url);
      this.bytes.set(key, bytes);
    }
    try {
      return { ipc: await bytes, rowCount: result.rowCount, columns: result.columns };
    } catch {
      this.bytes.delete(key);
      this.seeds.delete(key);
      this.answers.delete(key);
      return undefined;
    }
  }

  /** The answers list; its entries' urls are relative to it. A list that cannot be fetched or read means those values are computed. */
  private fetchList(url: string, generation: number): Promise<void> {
    const arrive: Promise<void> = this.fetchBytes(url).then((bytes) => {
      if (generation !== this.generation) return;
      for (const answer of JSON.parse(new TextDecoder().decode(bytes)) as SeededResult[]) {
        this.answers.set(answer.key, { ...answer, url: new URL(answer.url, url).href });
      }
    }).catch(() => {}).finally(() => {
      if (this.answersArrive === arrive) this.answersArrive = undefined;
    });
    return arrive;
  }
}
