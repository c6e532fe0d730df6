/**
 * Which names a notebook may bind: SQL cell names and front-matter table names
 * become JavaScript bindings (and DuckDB table names), so both must be plain
 * identifiers that are not reserved words.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

// Reserved in strict-mode JavaScript (module code): these can never be bindings.
const RESERVED = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if implements import in instanceof interface let new null package ' +
    'private protected public return static super switch this throw true try typeof var void while ' +
    'with yield arguments eval undefined'
  ).split(' '),
);

/** True when `name` can be bound as a cell output / table name (ASCII identifier, not a reserved word). */
export function isBindableName(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED.has(name);
}
