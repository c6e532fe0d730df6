/**
 * Names every cell can use without defining them. The compiler treats them as
 * bound (never inputs, never "undefined name"); the runtime must provide each
 * one. This list is the contract between the two.
 */
import { WIDGET_NAMES } from '../widgets/kinds.ts';

/** The widget built-ins: the registry's kinds (src/widgets/kinds.ts). */
export { WIDGET_NAMES };

/** Output built-ins. `progress` and `toast` show while a cell runs (streamed; see workers/runtime/output-stream.ts). */
export const OUTPUT_NAMES = ['display', 'md', 'html', 'metric', 'download', 'progress', 'toast'] as const;

export const DATA_NAMES = ['query', 'cache', 'state', 'Plot', 'now'] as const;

/** The width (CSS px) of the cell's output area, as Observable's `width`: cells that read it re-run on resize. */
export const LAYOUT_NAMES = ['width'] as const;

/** Every built-in, in the order the runtime passes them to a cell function (after `__brook`). */
export const BUILTIN_NAMES: readonly string[] = [...WIDGET_NAMES, ...OUTPUT_NAMES, ...DATA_NAMES, ...LAYOUT_NAMES];

/** The hidden first parameter of every cell function (see `CompiledCell`). */
export const CELL_CONTEXT = '__brook';
