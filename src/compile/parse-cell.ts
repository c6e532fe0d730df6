/**
 * Parsing one cell's JavaScript with acorn and collecting what the rest of
 * the compiler needs from it: the AST, top-level declarations (the cell's
 * outputs) and free references (its inputs). One parse, one analysis.
 */
import * as acorn from 'acorn';
import type { LocalDiagnostic } from './positions.ts';
import { findFreeReferences, patternNames, type Reference } from './references.ts';

/** acorn options shared by every parse of cell code. */
export const ACORN_OPTIONS: acorn.Options = {
  ecmaVersion: 'latest',
  sourceType: 'module',
  allowAwaitOutsideFunction: true,
  // Parsed so it can be reported with a place instead of a bare syntax error.
  allowReturnOutsideFunction: true,
  locations: true,
};

/** A top-level name the cell defines, with the place of its binding identifier. */
export interface Declaration {
  name: string;
  start: number;
  end: number;
}

export interface CellAnalysisResult {
  program: acorn.Program;
  declarations: Declaration[];
  references: Reference[];
}

/** Turns an acorn `SyntaxError` (which carries `pos`) into a local diagnostic. */
export function syntaxDiagnostic(error: unknown, fallbackOffset: number): LocalDiagnostic {
  const e = error as { message?: unknown; pos?: unknown };
  const pos = typeof e.pos === 'number' ? e.pos : fallbackOffset;
  // acorn appends "(line:column)" relative to the code it saw; the diagnostic carries the real place.
  const message = String(e.message ?? error).replace(/\s*\(\d+:\d+\)$/, '');
  return { severity: 'error', code: 'syntax-error', message, start: pos, end: pos };
}

/** The names declared by the statements directly in the program body, in source order, without repeats. */
export function topLevelDeclarations(program: acorn.Program): Declaration[] {
  const out: Declaration[] = [];
  const seen = new Set<string>();
  const add = (id: acorn.Identifier): void => {
    if (seen.has(id.name)) return;
    seen.add(id.name);
    out.push({ name: id.name, start: id.start, end: id.end });
  };
  const visit = (statement: acorn.Statement | acorn.ModuleDeclaration | acorn.Declaration): void => {
    switch (statement.type) {
      case 'VariableDeclaration':
        for (const declarator of statement.declarations) patternNames(declarator.id).forEach(add);
        break;
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
        if (statement.id) add(statement.id);
        break;
      case 'ImportDeclaration':
        for (const specifier of statement.specifiers) add(specifier.local);
        break;
      case 'ExportNamedDeclaration':
        if (statement.declaration) visit(statement.declaration);
        break;
      default:
        break;
    }
  };
  program.body.forEach(visit);
  return out;
}

/** Parses `code` and analyzes it, or returns the syntax error. */
export function analyzeCode(code: string): CellAnalysisResult | { error: LocalDiagnostic } {
  let program: acorn.Program;
  try {
    program = acorn.parse(code, ACORN_OPTIONS);
  } catch (error) {
    return { error: syntaxDiagnostic(error, 0) };
  }
  return { program, declarations: topLevelDeclarations(program), references: findFreeReferences(program) };
}
