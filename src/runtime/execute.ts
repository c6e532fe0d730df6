/**
 * Turning a compiled cell body into a function, and a thrown error back into
 * a place in the notebook file. Pure: uses only the JavaScript engine.
 *
 * Each function carries `//# sourceURL=brook-cell-<id>.js`, so stack frames
 * of the cell name it; the engine's header lines (the `async function
 * anonymous(…) {` it wraps the body in) are measured once, because engines
 * differ, and subtracted to get the body line.
 */
import { BUILTIN_NAMES, CELL_CONTEXT } from '../compile/builtins.ts';
import type { CellError } from './protocol.ts';

/** A compiled cell function: `(__brook, ...builtins, ...inputs) => Promise<outputs>`. */
export type CellFunction = (...args: unknown[]) => Promise<unknown>;

type FunctionConstructor = new (...args: string[]) => CellFunction;

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as FunctionConstructor;

/** The script name stack frames of a cell carry. */
export function cellSourceUrl(cellId: string): string {
  return `brook-cell-${cellId}.js`;
}

/** The cell fields needed to build and place its function. */
export interface ExecutableCell {
  id: string;
  inputs: readonly string[];
  body: string;
  bodyLine: number;
}

/**
 * Builds the cell function per the execution contract (`src/compile/types.ts`):
 * parameters are `__brook`, every built-in in `BUILTIN_NAMES` order, then the
 * cell's inputs. Throws `SyntaxError` when the body does not parse.
 */
export function compileCellFunction(cell: ExecutableCell): CellFunction {
  return new AsyncFunction(CELL_CONTEXT, ...BUILTIN_NAMES, ...cell.inputs, `${cell.body}\n//# sourceURL=${cellSourceUrl(cell.id)}`);
}

let measuredHeader: number | undefined;

/** How many lines the engine puts before the body in a `new Function` source (2 in V8). */
export function functionHeaderLines(): number {
  if (measuredHeader !== undefined) return measuredHeader;
  measuredHeader = 2;
  try {
    // Same header shape as AsyncFunction; a sync function lets us read the stack at once.
    new Function('a', 'b', `throw new Error('probe')\n//# sourceURL=${cellSourceUrl('probe')}`)();
  } catch (error) {
    const frame = frameIn(error, 'probe');
    if (frame) measuredHeader = frame.line - 1;
  }
  return measuredHeader;
}

/** The first stack frame of `error` inside the given cell's script, as function-source line/column. */
function frameIn(error: unknown, cellId: string): { line: number; column: number } | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  if (!stack) return undefined;
  const escaped = cellSourceUrl(cellId).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

/** Where a thrown error happened in the notebook file (1-based), if its stack passes through the cell. */
export function errorPlace(error: unknown, cell: ExecutableCell): { line: number; column: number } | undefined {
  const frame = frameIn(error, cell.id);
  if (!frame) return undefined;
  const bodyLine = frame.line - functionHeaderLines();
  return { line: cell.bodyLine + bodyLine - 1, column: frame.column };
}

/**
 * A thrown value as a `CellError` with its file place. Fields an error
 * already carries for the protocol (`sql` of a `QueryError`, `hint`) are kept.
 * A syntax error from building the function has no frame: it points at the
 * body's first line.
 */
export function toCellError(error: unknown, cell: ExecutableCell): CellError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: `Threw a non-error value: ${describeThrown(error)}`, line: cell.bodyLine };
  }
  const place = errorPlace(error, cell) ?? { line: cell.bodyLine, column: undefined };
  const result: CellError = { name: error.name || 'Error', message: error.message, line: place.line };
  if (place.column !== undefined) result.column = place.column;
  const extra = error as Error & { sql?: unknown; hint?: unknown; waitingFor?: unknown };
  if (typeof extra.sql === 'string') result.sql = extra.sql;
  if (typeof extra.waitingFor === 'string') result.waitingFor = extra.waitingFor;
  if (typeof extra.hint === 'string') result.hint = extra.hint;
  return result;
}

function describeThrown(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return typeof value;
  }
}
