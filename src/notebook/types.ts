/**
 * The notebook model: what a `.md` (or imported `.ipynb`) file *is*, before any
 * compilation. Pure data, no behaviour; every later stage (compiler, runtime,
 * UI, CLI) reads this shape.
 */

/** A place in the notebook file. `line` and `column` are 1-based; `offset` is a 0-based UTF-16 index into the source. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A half-open range `[start, end)` in the notebook file. */
export interface Span {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning';

/**
 * A problem with a place. Errors are values: parsers and compilers return
 * these instead of throwing, so one bad cell never hides the others.
 */
export interface Diagnostic {
  severity: Severity;
  message: string;
  span: Span;
  /** The cell the problem belongs to, when there is one. */
  cellId?: string;
  /** A stable machine-readable code, e.g. `unterminated-fence`, `duplicate-name`. */
  code: string;
}

/** Front matter after validation; unknown keys are kept in `extra`. */
export interface FrontMatter {
  title?: string;
  layout: 'centered' | 'wide';
  /** table name → path relative to the notebook, or an https URL */
  data: Record<string, string>;
  /** Stable key for saved state; derived from the file name when absent. */
  id?: string;
  /** Milliseconds a cell may block the runtime before the watchdog stops it. */
  timeout?: number;
  /** Remote SQL engines by name (`engines:`); a SQL cell picks one with `engine=NAME`. Absent when the front matter names none. */
  engines?: Record<string, EngineSpec>;
  extra: Record<string, unknown>;
}

/**
 * Engine types Brook has a connector for (`src/data/connector-registry.ts`
 * maps each to its file). A new connector adds its type here.
 */
export const ENGINE_TYPES = ['clickhouse'] as const;
export type EngineType = (typeof ENGINE_TYPES)[number];

/** Ways an engine's user and password can travel (`EngineSpec.auth`). */
export const ENGINE_AUTHS = ['header', 'url'] as const;
export type EngineAuth = (typeof ENGINE_AUTHS)[number];

/** One entry of the front matter's `engines:`, validated. */
export interface EngineSpec {
  type: EngineType;
  /** The engine's HTTP(S) endpoint, as written (no credentials in it). */
  url: string;
  /** The (read-only) user queries run as; a password, if any, is asked from the reader. */
  user?: string;
  /**
   * How user and password travel: `header` (the default, unless written:
   * an `Authorization` header, which costs a CORS preflight) or `url` (URL
   * parameters, for servers that answer no preflight, e.g. ClickHouse before
   * 21.10; the password then shows in the browser's network log).
   */
  auth?: EngineAuth;
  /** How long a result stays fresh in the memo (ms): within it, the same query is not sent again. */
  maxAgeMs: number;
  /** Results with more rows than this are refused (the message states the limit). */
  rowLimit: number;
}

/** What a reader is told of an engine (no limits): where it is, who asks, how the password travels. */
export type EngineAddress = Pick<EngineSpec, 'url' | 'user' | 'auth'>;

/** An engine's address, without the keys it does not have. */
export function engineAddress(spec: EngineSpec): EngineAddress {
  return { url: spec.url, ...(spec.user ? { user: spec.user } : {}), ...(spec.auth ? { auth: spec.auth } : {}) };
}

/** Languages a cell can be written in. `code` is a fenced block in a language Brook does not run: shown, never executed. */
export type CellKind = 'md' | 'js' | 'ts' | 'sql' | 'code';

/** Attributes written after the fence language, e.g. ```` ```sql orders echo hidden ````. */
export interface CellAttributes {
  /** For `sql` cells: the name the result is bound to. */
  name?: string;
  /** Show the source in app mode. */
  echo: boolean;
  /** Run, but do not display. */
  hidden: boolean;
  /** Render in the sidebar. */
  sidebar: boolean;
  /** For `code` cells: the fence's language as written. */
  lang?: string;
  /** For `sql` cells: the front matter engine it runs on (`engine=NAME`); absent = DuckDB in the browser. */
  engine?: string;
}

/** One cell as written in the file. */
export interface SourceCell {
  /** Unique within the notebook, assigned in document order: `c1`, `c2`, … */
  id: string;
  kind: CellKind;
  /** The text inside the fences (or the markdown text), with `\n` line ends. */
  source: string;
  attributes: CellAttributes;
  /** The whole cell in the file, fences included. */
  span: Span;
  /** Where `source` starts in the file: maps a line inside the cell to a file line. */
  sourceStart: Position;
}

/** The layout tree: cells grouped by `:::` containers, in document order. */
export type LayoutNode =
  | { type: 'cell'; cellId: string }
  | { type: 'columns'; children: LayoutNode[]; span: Span }
  | { type: 'tabs'; children: LayoutNode[]; span: Span }
  | { type: 'tab'; title: string; children: LayoutNode[]; span: Span }
  | { type: 'expander'; title: string; children: LayoutNode[]; span: Span };

export interface Notebook {
  /** The file name the notebook came from, for messages (`sales.md:12:3: …`). */
  file: string;
  frontMatter: FrontMatter;
  /** Every cell, flat, in document order. */
  cells: SourceCell[];
  /** The same cells arranged by `:::` containers. */
  layout: LayoutNode[];
  diagnostics: Diagnostic[];
}
