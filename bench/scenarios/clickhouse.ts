/**
 * SQL cells on a real ClickHouse (two shards on loopback, `Distributed`
 * tables: test/setup/clickhouse.ts) in Chromium, beside DuckDB-WASM in the
 * tab: the same aggregate over the 3M-row flights (a slider's memo misses
 * and hits, p50/p95; DuckDB-WASM's figures are `latency.parquet.*`), and a
 * generated table too big for a tab (BENCH_CLICKHOUSE_ROWS rows, default
 * 100M) answered per slider change. Answers are checked against native
 * DuckDB on the same Parquet file.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'playwright-core';
import { READER, clickhouseAvailable, startClickHouse, type ClickHouseCluster } from '../../test/setup/clickhouse.ts';
import { buildAndServe } from '../../test/browser/setup/app.ts';
import { collectContextErrors, type BenchContext } from '../context.ts';
import { PARQUET_SOURCE, sqlPath } from '../datasets.ts';
import { settle, timeChange } from '../page-probe.ts';
import { summarize } from '../stats.ts';
import { HIT_VALUES, MISS_VALUES } from './bare.ts';

const BIG_ROWS = Number(process.env.BENCH_CLICKHOUSE_ROWS ?? 100_000_000);

/** The aggregate of bench/notebooks/flights-parquet.md (DuckDB-WASM's `latency.parquet.*`), in ClickHouse's words. */
const FLIGHTS_SQL = (minDelay: string) =>
  `SELECT origin, count() AS flights, round(avg(distance), 1) AS mean_distance FROM flights WHERE delay >= ${minDelay} GROUP BY origin ORDER BY flights DESC, origin LIMIT 10`;

function notebook(url: string): string {
  return `---
title: "Bench: flights and ${BIG_ROWS.toLocaleString('en')} rows on ClickHouse"
id: bench-clickhouse
engines:
  warehouse:
    type: clickhouse
    url: ${url}
    user: ${READER.user}
    auth: url
    maxAge: 1h
---

\`\`\`js
const minDelay = slider("Minimum delay", {min: -60, max: 600, step: 1, value: 0})
\`\`\`

\`\`\`js
const minValue = slider("Minimum value", {min: -60, max: 600, step: 1, value: 0})
\`\`\`

\`\`\`sql by_origin engine=warehouse hidden
${FLIGHTS_SQL('${minDelay}')}
\`\`\`

\`\`\`sql big engine=warehouse hidden
SELECT count() AS n, sum(value) AS total FROM big WHERE value >= \${minValue}
\`\`\`

\`\`\`js
\`[clickhouse minDelay=\${minDelay}] origins=\${by_origin.numRows} top=\${by_origin.get(0)?.origin}:\${by_origin.get(0)?.flights}\`
\`\`\`

\`\`\`js
\`[big minValue=\${minValue}] n=\${big.get(0).n}\`
\`\`\`
`;
}

const FLIGHTS_COLUMNS = 'date DateTime, delay Int32, distance Int32, origin String, destination String';

/** The 3M flights on both shards (alternate rows), from the same Parquet file DuckDB reads. */
async function loadFlights(cluster: ClickHouseCluster): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'brook-bench-flights-'));
  const duck = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    for (const [shard, url] of cluster.urls.entries()) {
      const file = join(dir, `${shard}.tsv`);
      await duck.run(`COPY (SELECT strftime(date, '%Y-%m-%d %H:%M:%S'), delay, distance, origin, destination
        FROM (SELECT *, row_number() OVER () AS i FROM read_parquet(${sqlPath(PARQUET_SOURCE)})) WHERE i % ${cluster.urls.length} = ${shard})
        TO ${sqlPath(file)} (DELIMITER '\t', HEADER false, QUOTE '')`);
      await cluster.admin(`CREATE TABLE flights_local (${FLIGHTS_COLUMNS}) ENGINE = MergeTree() ORDER BY (origin, date)`, shard);
      await cluster.admin(`CREATE TABLE flights (${FLIGHTS_COLUMNS}) ENGINE = Distributed(brook, default, flights_local, rand())`, shard);
      const response = await fetch(`${url}?query=${encodeURIComponent('INSERT INTO flights_local FORMAT TabSeparated')}`, { method: 'POST', body: readFileSync(file) });
      if (!response.ok) throw new Error(`loading flights: ${await response.text()}`);
    }
  } finally {
    duck.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** BIG_ROWS generated rows, half on each shard. */
async function loadBig(cluster: ClickHouseCluster): Promise<void> {
  const perShard = Math.ceil(BIG_ROWS / cluster.urls.length);
  for (const shard of cluster.urls.keys()) {
    await cluster.admin('CREATE TABLE big_local (id UInt64, value Int16, hour UInt8) ENGINE = MergeTree() ORDER BY id', shard);
    await cluster.admin('CREATE TABLE big (id UInt64, value Int16, hour UInt8) ENGINE = Distributed(brook, default, big_local, rand())', shard);
    await cluster.admin(`INSERT INTO big_local SELECT number, toInt16(intHash32(number) % 661) - 60, toUInt8(intHash32(number + 1) % 24) FROM numbers(${perShard})`, shard);
  }
}

async function timeValues(slider: ElementHandle, marker: (value: number) => string, values: number[]): Promise<number[]> {
  const ms: number[] = [];
  for (const value of values) ms.push(await timeChange(slider, value, marker(value)));
  return ms;
}

/** The lines the page shows for `kind`, by value (for correctness checks). */
async function lines(page: Page, kind: string): Promise<string[]> {
  return page.evaluate((k) => [...document.querySelectorAll('.cell-output')].map((e) => e.textContent ?? '').filter((t) => t.startsWith(`[${k} `)), kind);
}

export async function clickhouseLatency(ctx: BenchContext): Promise<void> {
  if (!clickhouseAvailable()) throw new Error('clickhouse-server is not installed (apt-get install -y clickhouse-server)');
  ctx.log('  starting two ClickHouse shards…');
  const cluster = await startClickHouse();
  let served: Awaited<ReturnType<typeof buildAndServe>> | undefined;
  try {
    let started = performance.now();
    await loadFlights(cluster);
    ctx.log(`  loaded the 3M flights in ${Math.round(performance.now() - started)} ms`);
    started = performance.now();
    await loadBig(cluster);
    ctx.log(`  generated ${BIG_ROWS.toLocaleString('en')} rows in ${Math.round(performance.now() - started)} ms`);
    const dir = mkdtempSync(join(tmpdir(), 'brook-bench-clickhouse-'));
    writeFileSync(join(dir, 'clickhouse.md'), notebook(cluster.url));
    served = await buildAndServe(join(dir, 'clickhouse.md'));
    const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const errors = collectContextErrors(context);
    try {
      const page = await context.newPage();
      await page.goto(served.url);
      await page.getByLabel('Password of reader for warehouse').first().fill(READER.password, { timeout: 120_000 });
      await page.getByRole('button', { name: 'Connect' }).first().click();
      await page.getByText('[clickhouse minDelay=0]').waitFor({ timeout: 120_000 });
      await page.getByText('[big minValue=0]').waitFor({ timeout: 300_000 });
      await settle(page);
      const slider = await page.getByLabel('Minimum delay', { exact: true }).elementHandle();
      const valueSlider = await page.getByLabel('Minimum value', { exact: true }).elementHandle();
      if (!slider || !valueSlider) throw new Error('no "Minimum delay" or "Minimum value" control');
      // One control per query, so each is timed alone (one control for both made the flights wait on the 100M-row query).
      const flightsMiss = summarize(await timeValues(slider, (v) => `[clickhouse minDelay=${v}]`, MISS_VALUES));
      const shown = await lines(page, 'clickhouse');
      const flightsHit = summarize(await timeValues(slider, (v) => `[clickhouse minDelay=${v}]`, HIT_VALUES));
      const bigMiss = summarize(await timeValues(valueSlider, (v) => `[big minValue=${v}]`, MISS_VALUES));
      const bigHit = summarize(await timeValues(valueSlider, (v) => `[big minValue=${v}]`, HIT_VALUES));
      // The answer for the last miss value, against native DuckDB on the same Parquet file.
      const last = MISS_VALUES[MISS_VALUES.length - 1];
      const native = await ctx.native.query(`${FLIGHTS_SQL('?').replace('count()', 'count(*)::INTEGER')}`.replace('FROM flights', `FROM read_parquet(${sqlPath(PARQUET_SOURCE)})`), [last]);
      const top = JSON.parse(native.first) as { origin: string; flights: number };
      const expected = `[clickhouse minDelay=${last}] origins=${native.rows} top=${top.origin}:${top.flights}`;
      const wrong = shown.some((line) => line.startsWith(`[clickhouse minDelay=${last}]`)) && !shown.includes(expected) ? 1 : 0;
      const label = `ClickHouse, 2 shards`;
      ctx.add({ name: 'clickhouse.flights.miss.p50', value: flightsMiss.p50, unit: 'ms', samples: flightsMiss, description: `${label}: 3M flights, slider change → output, memo miss (compare latency.parquet.miss.p50, DuckDB-WASM in the tab)`, detail: { p95: flightsMiss.p95, wrongResults: wrong } });
      ctx.add({ name: 'clickhouse.flights.miss.p95', value: flightsMiss.p95, unit: 'ms', description: `${label}: 3M flights, memo miss, p95` });
      ctx.add({ name: 'clickhouse.flights.hit.p50', value: flightsHit.p50, unit: 'ms', samples: flightsHit, description: `${label}: 3M flights, the same values again, memo hit (no request)` });
      ctx.add({ name: 'clickhouse.flights.hit.p95', value: flightsHit.p95, unit: 'ms', description: `${label}: 3M flights, memo hit, p95` });
      ctx.add({ name: 'clickhouse.big.miss.p50', value: bigMiss.p50, unit: 'ms', samples: bigMiss, description: `${label}: ${BIG_ROWS.toLocaleString('en')} generated rows (too big for a tab), slider change → output, memo miss` });
      ctx.add({ name: 'clickhouse.big.miss.p95', value: bigMiss.p95, unit: 'ms', description: `${label}: ${BIG_ROWS.toLocaleString('en')} rows, memo miss, p95` });
      ctx.add({ name: 'clickhouse.big.hit.p50', value: bigHit.p50, unit: 'ms', samples: bigHit, description: `${label}: ${BIG_ROWS.toLocaleString('en')} rows, memo hit` });
      ctx.add({ name: 'clickhouse.big.hit.p95', value: bigHit.p95, unit: 'ms', description: `${label}: ${BIG_ROWS.toLocaleString('en')} rows, memo hit, p95` });
      const duck = ctx.results.find((f) => f.name === 'latency.parquet.miss.p50');
      if (duck) ctx.add({ name: 'clickhouse.flights.vs-duckdb-wasm', value: flightsMiss.p50 / duck.value, unit: 'ratio', description: 'ClickHouse memo-miss p50 ÷ DuckDB-WASM (in the tab) memo-miss p50, same aggregate over the 3M flights' });
      ctx.log(`  clickhouse: flights miss p50 ${Math.round(flightsMiss.p50)} ms, hit ${flightsHit.p50.toFixed(1)} ms; big miss p50 ${Math.round(bigMiss.p50)} ms`);
      if (wrong) throw new Error(`clickhouse: the answer for minDelay=${last} differs from native DuckDB's (${expected})`);
    } catch (error) {
      throw new Error(`${String(error)}\n${errors.join('\n')}`);
    } finally {
      await context.close();
    }
  } finally {
    await served?.close();
    await cluster.stop();
  }
}
