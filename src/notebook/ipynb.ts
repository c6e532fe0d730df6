/**
 * Jupyter `.ipynb` (nbformat 4) → Brook Markdown.
 *
 * - Markdown cells are copied as written.
 * - Code cells run when the notebook's kernel language (`metadata.kernelspec.
 *   language`, else `metadata.language_info.name`) is JavaScript or TypeScript
 *   (Deno, tslab, IJavascript kernels) → ```` ```js ```` / ```` ```ts ````.
 * - A code cell starting with `%%sql [name]` (ipython-sql / JupySQL) becomes a
 *   ```` ```sql name ```` cell in any kernel; `%%javascript`/`%%js` become
 *   ```` ```js ````.
 * - Every other code cell (Python, R, `%%bash`, …) and raw cells are skipped
 *   and named in ONE warning diagnostic.
 *
 * The produced text is then parsed, so all positions refer to it.
 */
import { cellText } from './edit.ts';
import { defaultFrontMatter } from './front-matter.ts';
import { isBindableName } from './identifier.ts';
import { parseNotebook } from './parse.ts';
import { LineIndex } from './position.ts';
import type { CellKind, Diagnostic, Notebook } from './types.ts';

/** The result of an import: Brook Markdown, its parse, and the cells left out (`index` is the 0-based cell index in the `.ipynb`). */
export interface IpynbImport {
  source: string;
  notebook: Notebook;
  skipped: { index: number; language: string }[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Jupyter stores cell text as a string or an array of lines that already end in `\n`. */
function cellSource(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((part) => typeof part === 'string').join('');
  return '';
}

function kernelLanguage(metadata: unknown): string {
  if (!isObject(metadata)) return 'python';
  const kernelspec = isObject(metadata.kernelspec) ? metadata.kernelspec : {};
  const info = isObject(metadata.language_info) ? metadata.language_info : {};
  const language = kernelspec.language ?? info.name ?? kernelspec.name;
  // nbformat says a notebook without a language is Python (the IPython default).
  return typeof language === 'string' && language.trim() !== '' ? language.trim().toLowerCase() : 'python';
}

function languageKind(language: string): CellKind | null {
  if (language === 'javascript' || language === 'js' || language === 'node') return 'js';
  if (language === 'typescript' || language === 'ts' || language === 'deno') return 'ts';
  return null;
}

function failed(file: string, message: string): IpynbImport {
  const index = new LineIndex('');
  const diagnostic: Diagnostic = { severity: 'error', code: 'ipynb-invalid', message: `${file}: ${message}`, span: index.span(0, 0) };
  return { source: '', notebook: { file, frontMatter: defaultFrontMatter(), cells: [], layout: [], diagnostics: [diagnostic] }, skipped: [] };
}

/**
 * Converts a Jupyter notebook. `json` is the file's text, or the value
 * `JSON.parse` made of it. Never throws: malformed input gives an
 * `ipynb-invalid` error diagnostic and an empty notebook.
 */
export function importIpynb(json: unknown, file: string): IpynbImport {
  let data: unknown = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json.charCodeAt(0) === 0xfeff ? json.slice(1) : json);
    } catch (error) {
      return failed(file, `not a valid .ipynb file (bad JSON: ${error instanceof Error ? error.message : String(error)}).`);
    }
  }
  if (!isObject(data)) return failed(file, 'not a Jupyter notebook (expected a JSON object).');
  if (typeof data.nbformat === 'number' && data.nbformat < 4) {
    return failed(file, `nbformat ${data.nbformat} is not supported; save it as nbformat 4 (any current Jupyter does).`);
  }
  if (!Array.isArray(data.cells)) return failed(file, 'not a Jupyter notebook (no "cells" list).');

  const kernelKind = languageKind(kernelLanguage(data.metadata));
  const kernelName = kernelLanguage(data.metadata);
  const parts: string[] = [];
  const skipped: IpynbImport['skipped'] = [];

  const title = isObject(data.metadata) && typeof data.metadata.title === 'string' ? data.metadata.title.trim() : '';
  if (title !== '') parts.push(`---\ntitle: ${JSON.stringify(title)}\n---`);

  data.cells.forEach((cell: unknown, index: number) => {
    if (!isObject(cell)) {
      skipped.push({ index, language: 'invalid' });
      return;
    }
    const text = cellSource(cell.source).replace(/\r\n?/g, '\n');
    if (cell.cell_type === 'markdown') {
      if (text.trim() !== '') parts.push(text.replace(/\n+$/, ''));
      return;
    }
    if (cell.cell_type !== 'code') {
      skipped.push({ index, language: typeof cell.cell_type === 'string' ? cell.cell_type : 'unknown' });
      return;
    }
    if (text.trim() === '') return;
    const magic = /^%%(\S+)[^\S\n]*(.*)(?:\n|$)/.exec(text);
    if (magic) {
      const body = text.slice(magic[0].length).replace(/\n+$/, '');
      const name = magic[1].toLowerCase();
      if (name === 'sql') {
        // JupySQL: `%%sql result <<` binds the result; other words are connection strings or flags.
        const resultName = magic[2].split(/\s+/).find((word) => isBindableName(word));
        parts.push(cellText('sql', body, resultName ? { name: resultName } : {}));
      } else if (name === 'javascript' || name === 'js') {
        parts.push(cellText('js', body));
      } else {
        skipped.push({ index, language: name });
      }
      return;
    }
    if (kernelKind) parts.push(cellText(kernelKind, text.replace(/\n+$/, '')));
    else skipped.push({ index, language: kernelName });
  });

  const source = parts.length > 0 ? parts.join('\n\n') + '\n' : '';
  const notebook = parseNotebook(source, file);
  if (skipped.length > 0) {
    const list = skipped.map((s) => `${s.index + 1} (${s.language})`).join(', ');
    notebook.diagnostics.unshift({
      severity: 'warning',
      code: 'ipynb-skipped-cells',
      message: `Skipped ${skipped.length} of ${data.cells.length} cells that Brook cannot run: ${skipped.length === 1 ? 'cell' : 'cells'} ${list}.`,
      span: new LineIndex(source).span(0, 0),
    });
  }
  return { source, notebook, skipped };
}
