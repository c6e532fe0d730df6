/**
 * Builds `Notebook` values by hand for compiler tests: cells are laid out in
 * a real Markdown text (fences, blank lines between cells) so every
 * position is checkable against `text`.
 */
import type { CellKind, Notebook, Position, SourceCell } from '../../src/notebook/types.ts';

export interface CellSpec {
  kind: CellKind;
  source: string;
  /** SQL result name. */
  name?: string;
}

export const js = (source: string): CellSpec => ({ kind: 'js', source });
export const ts = (source: string): CellSpec => ({ kind: 'ts', source });
export const md = (source: string): CellSpec => ({ kind: 'md', source });
export const sql = (source: string, name?: string): CellSpec => ({ kind: 'sql', source, name });

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1, offset };
}

/** A notebook of `specs` in order, plus the file text it stands for. */
export function notebookOf(specs: CellSpec[], file = 'test.md'): { notebook: Notebook; text: string } {
  let text = '';
  const cells: SourceCell[] = specs.map((spec, i) => {
    if (i > 0) text += '\n';
    const cellStart = text.length;
    let sourceOffset: number;
    if (spec.kind === 'md') {
      sourceOffset = text.length;
      text += spec.source + '\n';
    } else {
      text += '```' + spec.kind + (spec.name ? ` ${spec.name}` : '') + '\n';
      sourceOffset = text.length;
      text += spec.source + '\n```\n';
    }
    return {
      id: `c${i + 1}`,
      kind: spec.kind,
      source: spec.source,
      attributes: { echo: false, hidden: false, sidebar: false, ...(spec.name ? { name: spec.name } : {}) },
      span: { start: positionAt(text, cellStart), end: positionAt(text, text.length) },
      sourceStart: positionAt(text, sourceOffset),
    };
  });
  const notebook: Notebook = {
    file,
    frontMatter: { layout: 'centered', data: {}, extra: {} },
    cells,
    layout: cells.map((c) => ({ type: 'cell', cellId: c.id })),
    diagnostics: [],
  };
  return { notebook, text };
}

/** One cell on its own (first cell of a one-cell notebook). */
export function cellOf(spec: CellSpec): { cell: SourceCell; text: string } {
  const { notebook, text } = notebookOf([spec]);
  return { cell: notebook.cells[0], text };
}
