/**
 * Rewrites an analyzed cell's JavaScript into the `CompiledCell.body` of the
 * execution contract (see `types.ts`), keeping every line where it was:
 *
 * - `import … from "https://…"` becomes `const {…} = await import("…");` on
 *   the same line(s). Only URL-like specifiers (`https:`, `http:`, `/`, `./`,
 *   `../`, `data:`, `blob:`) are accepted: a bare name like `"d3"` has no
 *   resolver in a browser with no bundler, so it is an error that says so.
 * - `export` in front of a declaration is dropped (every top-level name is
 *   already shared); other `export` forms are errors.
 * - The final top-level bare expression becomes `__brook.value((expr));`,
 *   except assignments, `x++`/`x--` and calls of `display(…)`, which are
 *   statements in spirit (showing `display`'s return value would show the
 *   value twice).
 * - A top-level `return` and `import.meta` are errors.
 * - `\nreturn {a, b};` is appended with the cell's outputs.
 */
import type * as acorn from 'acorn';
import { ancestor } from 'acorn-walk';
import { CELL_CONTEXT } from './builtins.ts';
import type { LocalDiagnostic } from './positions.ts';

interface Edit {
  start: number;
  end: number;
  text: string;
}

const URL_SPECIFIER = /^(?:https?:\/\/|\/|\.\.?\/|data:|blob:)/;

function countNewlines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function error(node: { start: number; end: number }, code: string, message: string): LocalDiagnostic {
  return { severity: 'error', code, message, start: node.start, end: node.end };
}

function moduleExportName(node: acorn.Identifier | acorn.Literal): string {
  return node.type === 'Identifier' ? node.name : JSON.stringify(String(node.value));
}

/** The `await import()` statement that replaces a static import (one line). */
function importReplacement(code: string, node: acorn.ImportDeclaration): string {
  const args = [code.slice(node.source.start, node.source.end)];
  if (node.attributes.length > 0) {
    const attributes = node.attributes.map((a) => `${code.slice(a.key.start, a.key.end)}: ${code.slice(a.value.start, a.value.end)}`);
    args.push(`{with: {${attributes.join(', ')}}}`);
  }
  const load = `await import(${args.join(', ')})`;
  const named: string[] = [];
  let namespace: string | undefined;
  for (const specifier of node.specifiers) {
    if (specifier.type === 'ImportNamespaceSpecifier') namespace = specifier.local.name;
    else if (specifier.type === 'ImportDefaultSpecifier') named.push(`default: ${specifier.local.name}`);
    else {
      const imported = moduleExportName(specifier.imported);
      named.push(imported === specifier.local.name ? imported : `${imported}: ${specifier.local.name}`);
    }
  }
  if (namespace && named.length > 0) return `const ${namespace} = ${load}, {${named.join(', ')}} = ${namespace};`;
  if (namespace) return `const ${namespace} = ${load};`;
  if (named.length > 0) return `const {${named.join(', ')}} = ${load};`;
  return `${load};`;
}

/** Whether a final expression statement is shown as the cell's value. */
function isDisplayedExpression(expression: acorn.Expression): boolean {
  if (expression.type === 'AssignmentExpression' || expression.type === 'UpdateExpression') return false;
  if (expression.type === 'CallExpression' && expression.callee.type === 'Identifier' && expression.callee.name === 'display') {
    return false;
  }
  return true;
}

function applyEdits(code: string, edits: Edit[]): string {
  let out = '';
  let at = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    out += code.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + code.slice(at);
}

/** Rewrites `code` (already parsed as `program`) into a cell body returning `outputs`. */
export function rewriteBody(
  code: string,
  program: acorn.Program,
  outputs: readonly string[],
): { body: string; diagnostics: LocalDiagnostic[] } {
  const edits: Edit[] = [];
  const diagnostics: LocalDiagnostic[] = [];

  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration') {
      const specifier = String(statement.source.value);
      if (!URL_SPECIFIER.test(specifier)) {
        diagnostics.push(
          error(
            statement.source,
            'bare-import',
            `cannot import "${specifier}": a browser has no module resolver; import from a URL, e.g. "https://esm.sh/${specifier}"`,
          ),
        );
      }
      const text = code.slice(statement.start, statement.end);
      edits.push({ start: statement.start, end: statement.end, text: importReplacement(code, statement) + '\n'.repeat(countNewlines(text)) });
    } else if (statement.type === 'ExportNamedDeclaration' && statement.declaration && !statement.source) {
      edits.push({ start: statement.start, end: statement.declaration.start, text: '' });
    } else if (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' || statement.type === 'ExportAllDeclaration') {
      diagnostics.push(error(statement, 'export', '`export` is not supported here: top-level declarations are already visible to every cell'));
    }
  }

  ancestor(program, {
    ReturnStatement(node: acorn.ReturnStatement, _state: unknown, ancestors: acorn.AnyNode[]) {
      const inFunction = ancestors.some(
        (a) => a.type === 'FunctionDeclaration' || a.type === 'FunctionExpression' || a.type === 'ArrowFunctionExpression',
      );
      if (!inFunction) diagnostics.push(error(node, 'top-level-return', '`return` outside a function: a cell is not a function body'));
    },
    MetaProperty(node: acorn.MetaProperty) {
      if (node.meta.name === 'import') diagnostics.push(error(node, 'import-meta', '`import.meta` is not available in a cell'));
    },
  });

  const last = program.body[program.body.length - 1];
  if (last && last.type === 'ExpressionStatement' && !last.directive && isDisplayedExpression(last.expression)) {
    const expression = code.slice(last.expression.start, last.expression.end);
    edits.push({ start: last.start, end: last.end, text: `${CELL_CONTEXT}.value((${expression}));` });
  }

  const body = `${applyEdits(code, edits)}\nreturn {${outputs.join(', ')}};`;
  return { body, diagnostics };
}
