/**
 * What every scenario gets: the browser, the served site, the data sets,
 * native DuckDB, and a place to put figures. Also the two bench notebook
 * pairs (CSV and Parquet) and the markers their outputs print.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Datasets } from './datasets.ts';
import type { Figure } from './figures.ts';
import type { NativeDuck } from './native.ts';
import { notebookSql } from './notebook-sql.ts';
import { literalPattern, type Watch } from './page-probe.ts';
import { NOTEBOOKS_DIR, type ServedBench } from './site.ts';

export interface BenchContext {
  browser: Browser;
  site: ServedBench;
  data: Datasets;
  native: NativeDuck;
  /** How many times whole-page scenarios (cold visit, reload, ingest) repeat. */
  repeats: number;
  log(message: string): void;
  add(figure: Figure): void;
  /** Figures added so far (for ratios across scenarios). */
  readonly results: readonly Figure[];
}

export type DatasetKind = 'csv' | 'parquet' | 'parquet10m';

/** One data set's bench notebooks. */
export interface BenchNotebook {
  kind: DatasetKind;
  /** Built folder of the memoized notebook and of its full re-run variant (none for the 10M-row case). */
  site: string;
  rerunSite?: string;
  /** Text of the first heading: "markdown painted". */
  heading: string;
  label: string;
  /** The dependent query, as DuckDB receives it. */
  sql: string;
}

export const SLIDER_LABEL = 'Minimum delay';
export const INITIAL_MIN_DELAY = 0;

const NOTEBOOKS: Record<DatasetKind, Omit<BenchNotebook, 'kind' | 'sql'>> = {
  csv: { site: 'flights-csv', rerunSite: 'rerun-csv', heading: 'Flights, 1M rows (CSV)', label: '1M-row CSV' },
  parquet: { site: 'flights-parquet', rerunSite: 'rerun-parquet', heading: 'Flights, 3M rows (Parquet)', label: '3M-row Parquet' },
  parquet10m: { site: 'flights-10m', heading: 'Flights, 10M rows (Parquet)', label: '10M-row Parquet' },
};

export function benchNotebook(kind: DatasetKind): BenchNotebook {
  const notebook = NOTEBOOKS[kind];
  return { kind, ...notebook, sql: notebookSql(join(NOTEBOOKS_DIR, `${notebook.site}.md`), 'by_origin').sql };
}

/** The text the dependent output starts with for a given control value. */
export function resultMarker(kind: DatasetKind, minDelay: number): string {
  return `[${kind} minDelay=${minDelay}]`;
}

/** The whole line the dependent output shows, from a result's row count and first row (for correctness checks). */
export function expectedResultLine(kind: DatasetKind, minDelay: number, rows: number, first: string): string {
  const top = JSON.parse(first) as { origin: string; flights: number };
  return `${resultMarker(kind, minDelay)} origins=${rows} top=${top.origin}:${top.flights}`;
}

/** Watches for a first visit: shell painted, first data result, DuckDB ready. */
export function visitWatches(notebook: BenchNotebook): Watch[] {
  return [
    { name: 'shell', selector: 'input[type=range]', text: literalPattern(notebook.heading) },
    { name: 'result', text: literalPattern(resultMarker(notebook.kind, INITIAL_MIN_DELAY)) },
    { name: 'duckdb', text: 'DuckDB ready' },
  ];
}

/** The text of the element holding `marker` (the output line), or `undefined`. */
export async function outputLine(page: Page, marker: string): Promise<string | undefined> {
  return page.evaluate((m) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.textContent?.includes(m)) return node.parentElement?.textContent?.trim();
    }
    return undefined;
  }, marker);
}

/** Collects page errors and console errors of every page in `context`. */
export function collectContextErrors(context: BrowserContext): string[] {
  const errors: string[] = [];
  context.on('page', (page) => {
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
  });
  return errors;
}
