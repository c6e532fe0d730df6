/**
 * SQL cells become JavaScript that calls the `query` built-in with a tagged
 * template, so each `${expr}` hole is a bound parameter at run time and
 * never spliced into the SQL text:
 *
 *     ```sql orders                 const orders = await query.holes(["x"])`SELECT …
 *     SELECT … ${x}          →      WHERE … ${x}`; orders
 *     ```
 *
 * `query.holes` hands the runtime each hole's expression as written: a hole
 * whose value is another SQL cell's result is composed as a subquery named
 * after it (`FROM ${filtered}` → `FROM (…) AS "filtered"`, see
 * src/data/sql-template.ts), and a value that cannot go where it is written
 * is named in the error as the person wrote it. A cell on an engine
 * (`engine=NAME`) uses the tag `query.engine("NAME", "name")` instead: its
 * holes are bound parameters on the engine.
 *
 * The SQL text is copied into the template with `\`, `` ` `` and literal
 * `${` (written `\${` in the cell) escaped, so the cooked template strings
 * are exactly the SQL as written. Line breaks are kept, so lines match.
 * The result is analyzed like any JS cell; the trailing bare `orders`
 * becomes `__brook.value((orders));`.
 */
import { isBindableName } from '../notebook/identifier.ts';
import { splitHoles, type TextPart } from './holes.ts';
import { CodeBuilder, type LocalDiagnostic } from './positions.ts';

function escapeForTemplate(ch: string, next: string | undefined): string {
  if (ch === '\\') return '\\\\';
  if (ch === '`') return '\\`';
  if (ch === '$' && next === '{') return '\\$';
  return ch;
}

function copyText(builder: CodeBuilder, part: TextPart): void {
  let run = '';
  let runStart = -1;
  const flush = (): void => {
    if (run) builder.copy(run, runStart);
    run = '';
  };
  for (let i = 0; i < part.text.length; i++) {
    const ch = part.text[i];
    const offset = part.offsets[i];
    const escaped = escapeForTemplate(ch, part.text[i + 1]);
    if (escaped === ch && (run === '' || offset === runStart + run.length)) {
      if (run === '') runStart = offset;
      run += ch;
    } else if (escaped === ch) {
      flush();
      runStart = offset;
      run = ch;
    } else {
      flush();
      builder.insert(escaped, offset);
    }
  }
  flush();
}

/**
 * Builds the JavaScript for a SQL cell. With errors (an invalid name, a
 * malformed hole) the code is still returned when it is usable for analysis.
 */
export function sqlToJavaScript(sql: string, name: string | undefined, tag?: string): { builder: CodeBuilder | null; diagnostics: LocalDiagnostic[] } {
  const builder = new CodeBuilder();
  if (name !== undefined && !isBindableName(name)) {
    return {
      builder: null,
      diagnostics: [
        { severity: 'error', code: 'invalid-sql-name', message: `\`${name}\` cannot name a SQL result: use letters, digits and _ (not starting with a digit, not a reserved word)`, start: 0, end: 0 },
      ],
    };
  }
  const { parts, holes, diagnostics } = splitHoles(sql);
  if (name !== undefined) builder.insert(`const ${name} = `, null);
  const written = holes.map((hole) => sql.slice(hole.start, hole.end));
  const local = written.length > 0 ? `query.holes(${JSON.stringify(written)})` : 'query';
  builder.insert(`await ${tag ?? local}\``, 0);
  holes.forEach((hole, i) => {
    copyText(builder, parts[i]);
    builder.insert('${', hole.start).copy(sql.slice(hole.start, hole.end), hole.start).insert('}', hole.end);
  });
  copyText(builder, parts[parts.length - 1]);
  builder.insert('`', sql.length);
  if (name !== undefined) builder.insert(`; ${name}`, null);
  return { builder, diagnostics };
}
