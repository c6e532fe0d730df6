/**
 * The `data:` entries of a notebook's front matter with their places in the
 * file, and a rewrite of their paths that leaves every other byte alone. The
 * notebook model keeps only name → path; `brook build` also needs where each
 * path is written (for `file:line:col` messages) and to splice new paths in.
 */
import { isMap, isScalar, parseDocument, type Node as YamlNode } from 'yaml';
import { findFrontMatter } from '../notebook/front-matter.ts';
import { LineIndex } from '../notebook/position.ts';
import type { Diagnostic, Position } from '../notebook/types.ts';

/** One `name: path` line under `data:`. */
export interface DataEntry {
  table: string;
  path: string;
  /** Where the path value starts in the notebook file. */
  position: Position;
  /** Offsets of the value (quotes included) in the normalized notebook text. */
  start: number;
  end: number;
}

/** An `https://…` (or any scheme) URL is fetched by the browser, never copied. */
export function isUrl(path: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path);
}

/**
 * Lists the front matter's `data:` entries of a newline-normalized notebook
 * text. Malformed front matter yields no entries: the parser (and `brook check`)
 * reports it, and the page shows it.
 */
export function readDataEntries(text: string): DataEntry[] {
  const index = new LineIndex(text);
  const block = findFrontMatter(index, [] as Diagnostic[]);
  if (!block) return [];
  const doc = parseDocument(text.slice(block.yamlStart, block.yamlEnd), { prettyErrors: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return [];
  const data = doc.contents.items.find((pair) => isScalar(pair.key) && pair.key.value === 'data');
  if (!data || !isMap(data.value)) return [];
  const entries: DataEntry[] = [];
  for (const pair of data.value.items) {
    const value = pair.value as YamlNode | null;
    if (!isScalar(pair.key) || !isScalar(value) || typeof value.value !== 'string' || !value.range) continue;
    const start = block.yamlStart + value.range[0];
    const end = block.yamlStart + value.range[1];
    entries.push({ table: String(pair.key.value), path: value.value, position: index.position(start), start, end });
  }
  return entries;
}

/**
 * Replaces the paths of the given entries (keyed by table) in the text. New
 * paths are written as JSON strings, which YAML reads as double-quoted scalars,
 * so any file name survives.
 */
export function rewriteDataPaths(text: string, entries: DataEntry[], newPaths: Map<string, string>): string {
  let result = text;
  for (const entry of [...entries].sort((a, b) => b.start - a.start)) {
    const path = newPaths.get(entry.table);
    if (path === undefined) continue;
    const written = /^[\w./-]+$/.test(path) ? path : JSON.stringify(path);
    result = result.slice(0, entry.start) + written + result.slice(entry.end);
  }
  return result;
}
