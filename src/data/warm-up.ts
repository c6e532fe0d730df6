/**
 * Warm-up loads. WebAssembly is compiled lazily and optimized as it runs, so
 * DuckDB's first CSV load in a page pays ≈ 0.6–0.8 s of compiling on top of
 * the load itself, whatever the file's size (docs/performance.md). A small
 * load of made-up rows, run while the page is idle, pays that before a person
 * picks their file. Each goes through `ingestFile`, the path real files take.
 */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { FileFormat } from './api.ts';
import { formatsAccepted } from './file-format.ts';
import type { OutputItem } from '../runtime/protocol.ts';

/** Enough rows for the reader's loops to be compiled and optimized; a few hundred KB. */
const ROWS = 20_000;

/**
 * The readers worth warming for the `file()` controls among a cell's outputs
 * (form fields included), by their `accept` option: 'csv', 'parquet',
 * 'arrow'. No `accept` = CSV.
 */
export function warmUpFormatsOf(outputs: readonly OutputItem[]): FileFormat[] {
  const formats = new Set<FileFormat>();
  for (const item of outputs) {
    if (item.type !== 'widget') continue;
    for (const widget of [item.widget, ...(item.widget.fields ?? [])]) {
      if (widget.kind !== 'file') continue;
      const accept = typeof widget.options.accept === 'string' ? widget.options.accept : '';
      // TSV goes through the CSV reader; JSON is parsed in JS (nothing to compile).
      for (const format of formatsAccepted(accept)) if (format !== 'json') formats.add(format === 'tsv' ? 'csv' : format);
    }
  }
  // The common reader first.
  return (['csv', 'parquet', 'arrow'] as const).filter((format) => formats.has(format));
}

/** Made-up rows with the column types files usually hold: integers, decimals, text, timestamps (as Parquet: write the Arrow ones out). */
export function warmUpBytes(format: 'csv' | 'arrow'): Uint8Array {
  const id = Int32Array.from({ length: ROWS }, (_, i) => i);
  const value = Float64Array.from(id, (i) => (i * 7919) % 1000 / 8);
  const label = Array.from(id, (i) => `label ${i % 97}`);
  const when = Array.from(id, (i) => new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().replace('T', ' ').slice(0, 19));
  if (format === 'arrow') return tableToIPC(tableFromArrays({ id, value, label, when }), 'stream');
  const lines = ['id,value,label,when'];
  for (let i = 0; i < ROWS; i++) lines.push(`${id[i]},${value[i]},${label[i]},${when[i]}`);
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}
