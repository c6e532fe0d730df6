/**
 * Edits of the front matter from the page's settings form: title, layout and
 * the `data` tables. The YAML is edited as a document (the `yaml` package), so
 * keys the form does not know (`id`, `timeout`, `engines`, …), their order and
 * comments are kept. Pure: text in, text out.
 */
import { Document, isMap, parseDocument, type YAMLMap } from 'yaml';
import { findFrontMatter } from './front-matter.ts';
import { LineIndex, normalizeSource } from './position.ts';

/** What the form changes. `title: ''` removes the title; `layout: 'centered'` (the default) removes the key. */
export interface FrontMatterPatch {
  title?: string;
  layout?: 'centered' | 'wide';
  /** The tables, complete: names not listed are removed. */
  data?: Record<string, string>;
}

/** Why the front matter cannot be edited by the form (its YAML does not parse, or is not a mapping). */
export class FrontMatterEditError extends Error {
  override name = 'FrontMatterEditError';
}

/**
 * Applies `patch` to the notebook's front matter and returns the new text. A
 * notebook without front matter gets one when the patch sets anything; one
 * left empty is removed. Throws {@link FrontMatterEditError} when the
 * existing YAML has errors: the form must not overwrite what it cannot read.
 */
export function editFrontMatter(text: string, patch: FrontMatterPatch): string {
  const norm = normalizeSource(text);
  const index = new LineIndex(norm);
  const block = findFrontMatter(index, []);
  const doc = block ? parseDocument(norm.slice(block.yamlStart, block.yamlEnd)) : new Document({});
  if (doc.errors.length > 0) throw new FrontMatterEditError(`The front matter's YAML has an error (${doc.errors[0]!.message.split('\n')[0]}); fix it in the notebook text first.`);
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  if (!isMap(doc.contents)) throw new FrontMatterEditError('The front matter is not a list of `key: value` lines; fix it in the notebook text first.');

  if (patch.title !== undefined) {
    const title = patch.title.trim();
    if (title) doc.set('title', title);
    else doc.delete('title');
  }
  if (patch.layout !== undefined) {
    if (patch.layout === 'wide') doc.set('layout', 'wide');
    else doc.delete('layout');
  }
  if (patch.data !== undefined) editData(doc, patch.data);

  const yaml = (doc.contents as YAMLMap).items.length === 0 ? '' : String(doc);
  // Everything below the closing `---` line, kept byte for byte.
  const body = !block ? norm : block.bodyLine < index.lineCount ? norm.slice(index.lineStart(block.bodyLine)) : '';
  if (!yaml) return block ? body.replace(/^\n+/, '') : norm;
  return `---\n${yaml}---\n${block ? body : `\n${norm}`}`;
}

/** Sets the `data` map to `tables`, editing entries in place so their comments and order stay. */
function editData(doc: Document, tables: Record<string, string>): void {
  const names = Object.keys(tables);
  if (names.length === 0) {
    doc.delete('data');
    return;
  }
  const current = doc.get('data');
  if (!isMap(current)) {
    doc.set('data', doc.createNode(tables));
    return;
  }
  for (const item of [...current.items]) {
    const name = String((item.key as { value?: unknown })?.value ?? item.key);
    if (!Object.hasOwn(tables, name)) current.delete(item.key);
  }
  for (const name of names) {
    if (current.get(name) !== tables[name]) current.set(name, tables[name]);
  }
}
