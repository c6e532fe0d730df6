/**
 * Opening notebook files (`.md`, `.ipynb`) picked or dropped in the studio:
 * `.ipynb` is converted with the notebook importer; what it skipped becomes
 * a message for the person.
 */
import { importIpynb } from '../notebook/ipynb.ts';

/** True for files the studio opens as notebooks rather than ingesting as data. */
export function isNotebookFile(file: { name: string }): boolean {
  return /\.(md|markdown|ipynb)$/i.test(file.name);
}

export interface OpenedFile {
  /** The notebook name as shown (`.ipynb` keeps its name; the text is Markdown). */
  name: string;
  source: string;
  /** Human-readable messages (skipped cells, import problems). */
  messages: string[];
}

/** Reads a notebook file into Markdown source. Import problems become messages, never exceptions. */
export async function readNotebookFile(file: File): Promise<OpenedFile> {
  const text = await file.text();
  if (!/\.ipynb$/i.test(file.name)) return { name: file.name, source: text, messages: [] };
  const imported = importIpynb(text, file.name);
  const messages = imported.notebook.diagnostics
    .filter((d) => d.severity === 'error' || d.code.includes('skip'))
    .map((d) => d.message);
  if (imported.skipped.length && !messages.some((m) => /skip/i.test(m))) {
    const list = imported.skipped.map((s) => `cell ${s.index + 1} (${s.language})`).join(', ');
    messages.push(`Skipped ${imported.skipped.length} cell${imported.skipped.length === 1 ? '' : 's'} in a language Brook does not run: ${list}.`);
  }
  return { name: file.name, source: imported.source, messages };
}
