/**
 * The build's snapshot: what `brook build` computed by running the notebook
 * once at its default inputs. A first visit paints its cells at once, exactly
 * as a repeat visit paints the last run (`last-run.ts`), and the data worker
 * answers the live run's queries from its results.
 *
 * It is written into the built `index.html` as
 * `<script type="application/json" id="brook-snapshot">`, so the first paint
 * needs no request of its own; the results' Arrow IPC lies beside it in
 * `snapshot/` and travels only when a query asks for it.
 *
 * A snapshot is shown only when its basis matches the visit's: the same
 * notebook text, default inputs, empty `state`, and the same data (the
 * content fingerprints of the files the build read). Cell events hold values
 * JSON has no words for (dates, bigints, bytes), so they are written tagged.
 */
import type { SeededResult, ShippedIndex } from '../data/api.ts';
import type { LastRun, SettledEvent } from '../store/schema.ts';

/** Bump when the layout changes; a page ignores snapshots of another version. */
export const SNAPSHOT_VERSION = 1;

/** The id of the `<script type="application/json">` element holding the snapshot. */
export const SNAPSHOT_ELEMENT_ID = 'brook-snapshot';

export interface BuildSnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** `runBasis(text, {}, {}, data)` of the notebook as built. */
  basis: string;
  /** Content fingerprint of each front-matter table the build read, by table name. */
  data: Record<string, string>;
  /** Settled events of the cells that ran at build time (others are left to the live run). */
  cells: Record<string, SettledEvent>;
  /** Query results of that run; `url` is relative to the page. */
  results: SeededResult[];
  /** Range indexes of that run's queries whose values follow an input; `url` is relative to the page. */
  indexes?: ShippedIndex[];
  /**
   * Where the build's answers are: a JSON list (`SeededResult[]`, each `url`
   * relative to the list) of the results of runs for other values of the
   * notebook's controls, one control at a time (src/cli/control-values.ts).
   * This `url` is relative to the page.
   */
  answers?: string;
}

/**
 * The content fingerprint the build recorded for `table`, when the notebook
 * still reads it from the path the built text named (`builtPaths`: the built
 * text's front-matter `data`). The page keys the table by it before any byte
 * arrives, so the build's results answer at once; a notebook edited in the
 * browser to read that table from another file gets none, and that file is
 * identified by its own bytes.
 */
export function builtFingerprint(
  snapshot: BuildSnapshot | undefined, builtPaths: Readonly<Record<string, string>>, table: string, path: string,
): string | undefined {
  const data = snapshot?.data;
  if (!data || !Object.hasOwn(data, table) || !Object.hasOwn(builtPaths, table) || builtPaths[table] !== path) return undefined;
  return data[table];
}

/** The snapshot as a `LastRun`, so restoring it is the repeat visit's code path. */
export function snapshotAsLastRun(snapshot: BuildSnapshot): LastRun {
  return { basis: snapshot.basis, savedAt: 0, cells: snapshot.cells };
}

/** Reads the page's snapshot; `undefined` when there is none or it cannot be read (the live run paints then). */
export function readBuildSnapshot(doc: Document): BuildSnapshot | undefined {
  const text = doc.getElementById(SNAPSHOT_ELEMENT_ID)?.textContent;
  if (!text?.trim()) return undefined;
  try {
    const snapshot = decodeSnapshot(text);
    return snapshot.version === SNAPSHOT_VERSION ? snapshot : undefined;
  } catch {
    return undefined;
  }
}

/** Serializes a snapshot, keeping dates, bigints, bytes, `undefined` and non-finite numbers. */
export function encodeSnapshot(snapshot: BuildSnapshot): string {
  return JSON.stringify(tag(snapshot));
}

/** The inverse of {@link encodeSnapshot}. */
export function decodeSnapshot(text: string): BuildSnapshot {
  return untag(JSON.parse(text)) as BuildSnapshot;
}

/** The key marking a tagged value; a plain object that has it is itself wrapped. */
const TAG = '$brook';

function tag(value: unknown): unknown {
  if (value === undefined) return { [TAG]: 'undefined' };
  if (typeof value === 'bigint') return { [TAG]: 'bigint', v: value.toString() };
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : { [TAG]: 'number', v: Object.is(value, -0) ? '-0' : String(value) };
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return { [TAG]: 'date', v: value.getTime() };
  if (value instanceof Uint8Array) return { [TAG]: 'bytes', v: base64(value) };
  if (Array.isArray(value)) return value.map(tag);
  const entries = Object.entries(value).map(([key, item]) => [key, tag(item)]);
  const object = Object.fromEntries(entries);
  return TAG in object ? { [TAG]: 'object', v: object } : object;
}

function untag(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(untag);
  const record = value as Record<string, unknown>;
  switch (record[TAG]) {
    case undefined: break;
    case 'undefined': return undefined;
    case 'bigint': return BigInt(record.v as string);
    case 'number': return Number(record.v as string);
    case 'date': return new Date(record.v as number);
    case 'bytes': return fromBase64(record.v as string);
    case 'object': return Object.fromEntries(Object.entries(record.v as object).map(([key, item]) => [key, untag(item)]));
    default: throw new Error(`unknown snapshot tag ${String(record[TAG])}`);
  }
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, untag(item)]));
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
