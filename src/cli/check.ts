/**
 * `brook check <file.md|.ipynb>… [--json]`: parse and compile notebooks
 * without running them, and report every cell and every problem with its
 * place (`file:line:column: severity: message`). Exit code 1 when any file
 * has an error, 2 on a usage mistake.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { compileNotebook } from '../compile/compile.ts';
import { dependencies } from '../compile/graph-check.ts';
import { loadTypeScript } from '../compile/transpile.ts';
import type { CompiledNotebook, Dependency } from '../compile/types.ts';
import { importIpynb } from '../notebook/ipynb.ts';
import { parseNotebook } from '../notebook/parse.ts';
import type { Diagnostic, Notebook } from '../notebook/types.ts';
import type { CommandIO } from './commands.ts';

// Node has no first paint to protect: load the transpiler with this module, so checks stay synchronous.
await loadTypeScript();

const USAGE = 'usage: brook check <notebook.md|.ipynb>… [--json]';

const defaultIO: Pick<CommandIO, 'out' | 'err'> = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The machine-readable report of one file (`--json`). */
export interface CheckReport {
  file: string;
  cells: Array<{ id: string; key: string; kind: string; line: number; defines: string[]; uses: string[]; errors: number }>;
  dependencies: Dependency[];
  diagnostics: Array<Diagnostic & { file: string }>;
}

/** Parses (or imports) and compiles one file's text. */
export function checkSource(file: string, text: string): CheckReport {
  const notebook: Notebook = file.toLowerCase().endsWith('.ipynb') ? importIpynb(text, file).notebook : parseNotebook(text, file);
  const compiled: CompiledNotebook = compileNotebook(notebook);
  return {
    file,
    cells: compiled.cells.map((cell) => ({
      id: cell.id,
      key: cell.key,
      kind: cell.kind,
      line: cell.span.start.line,
      defines: cell.outputs,
      uses: cell.inputs,
      errors: cell.errors.length,
    })),
    dependencies: dependencies(compiled.cells),
    diagnostics: compiled.diagnostics.map((d) => ({ ...d, file })),
  };
}

/** One diagnostic as compilers print them: `file:line:col: severity: message [code]`. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.span.start.line}:${d.span.start.column}: ${d.severity}: ${d.message} [${d.code}]`;
}

function formatReport(report: CheckReport): string[] {
  const lines = [`${report.file}: ${report.cells.length} cell${report.cells.length === 1 ? '' : 's'}`];
  for (const cell of report.cells) {
    const facts = [
      cell.defines.length > 0 ? `defines ${cell.defines.join(', ')}` : '',
      cell.uses.length > 0 ? `uses ${cell.uses.join(', ')}` : '',
      cell.errors > 0 ? `${cell.errors} error${cell.errors === 1 ? '' : 's'}` : '',
    ].filter(Boolean);
    lines.push(`  ${cell.id.padEnd(4)} ${cell.kind.padEnd(4)} line ${String(cell.line).padEnd(5)} ${facts.join('; ')}`.trimEnd());
  }
  for (const d of report.diagnostics) lines.push(formatDiagnostic(report.file, d));
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.length - errors;
  lines.push(errors + warnings === 0 ? 'no problems' : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return lines;
}

/** Runs `brook check` with the arguments after `check`; resolves to the exit code. */
export async function runCheck(args: string[], io: Pick<CommandIO, 'out' | 'err'> = defaultIO): Promise<number> {
  let files: string[];
  let json: boolean;
  try {
    const parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    files = parsed.positionals;
    json = parsed.values.json === true;
  } catch (error) {
    io.err(`brook check: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (files.length === 0) {
    io.err(USAGE);
    return 2;
  }

  const reports: CheckReport[] = [];
  let failed = false;
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      io.err(`brook check: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      failed = true;
      continue;
    }
    const report = checkSource(file, text);
    if (report.diagnostics.some((d) => d.severity === 'error')) failed = true;
    reports.push(report);
  }

  if (json) {
    io.out(JSON.stringify(reports.length === 1 && files.length === 1 ? reports[0] : reports, null, 2));
  } else {
    for (const report of reports) for (const line of formatReport(report)) io.out(line);
  }
  return failed ? 1 : 0;
}
