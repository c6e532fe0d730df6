/**
 * Which cells are a widget and nothing else: `const x = slider("x", …)`.
 * Such a cell's value *is* the widget's value, so when the reader moves the
 * widget the runtime rebinds `x` and re-runs only what is downstream
 * (Observable's `viewof`), instead of running the cell again — which for a
 * `brush` over a chart would redraw the chart on every pointer move.
 * Anything more (a second statement, arithmetic on the value, a destructuring)
 * keeps the ordinary re-run. Pure: acorn only.
 */
import * as acorn from 'acorn';

/** The cell's one name and the widget built-in it calls. */
export interface WidgetBinding {
  name: string;
  builder: string;
}

/**
 * The binding of a cell whose whole source is `const NAME = BUILDER(…)` (or
 * `let`/`var`, a trailing semicolon allowed) with `BUILDER` one of `builders`
 * and not a name the cell reads from another cell; otherwise `undefined`.
 */
export function widgetBinding(source: string, builders: ReadonlySet<string>, inputs: readonly string[] = []): WidgetBinding | undefined {
  let program: acorn.Program;
  try {
    program = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true });
  } catch {
    return undefined;
  }
  if (program.body.length !== 1) return undefined;
  const [statement] = program.body;
  if (statement.type !== 'VariableDeclaration' || statement.declarations.length !== 1) return undefined;
  const [declarator] = statement.declarations;
  const call = declarator.init;
  if (declarator.id.type !== 'Identifier' || call?.type !== 'CallExpression' || call.callee.type !== 'Identifier') return undefined;
  const builder = call.callee.name;
  if (!builders.has(builder) || inputs.includes(builder)) return undefined;
  return { name: declarator.id.name, builder };
}
