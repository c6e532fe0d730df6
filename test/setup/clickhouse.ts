/**
 * A real ClickHouse for tests: two `clickhouse-server` processes on loopback,
 * each a shard of the cluster `brook`, with a `Distributed` table `strikes`
 * over a `strikes_local` table on each (so a query on `strikes` really runs
 * on both). They hold the vega-datasets bird strikes (10,000 rows, split
 * between the shards), and have a read-only user `reader` with a password,
 * whose queries are logged (`system.query_log`) so tests can count them.
 * Everything lives in a temp directory, on free ports; `stop()` ends both
 * servers and removes it.
 *
 * Debian ships ClickHouse 18.16 (`apt-get install clickhouse-server`; `.ci/run`
 * installs it). Tests skip, saying why, only when the binary is absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLICKHOUSE_SERVER = '/usr/sbin/clickhouse-server';

/** True when the ClickHouse server binary is installed. */
export function clickhouseAvailable(): boolean {
  return existsSync(CLICKHOUSE_SERVER);
}

/** Why ClickHouse tests are skipped (for `describe.skipIf` and the log). */
export const CLICKHOUSE_MISSING = `ClickHouse tests skipped: ${CLICKHOUSE_SERVER} is not installed (apt-get install -y clickhouse-server; .ci/run does this).`;

export const READER = { user: 'reader', password: 'r3ader-pässwörd' };

/** The bird strikes CSV the cluster holds (also what tests load into DuckDB to compare answers). */
export const STRIKES_CSV = join(import.meta.dirname, '../../node_modules/vega-datasets/data/birdstrikes.csv');

export interface ClickHouseCluster {
  /** HTTP URL of the first shard (queries on `strikes` fan out from there), ending in `/`. */
  url: string;
  /** HTTP URLs of every shard. */
  urls: string[];
  /** Runs SQL as the admin user (`default`) on a shard (default: the first); resolves to the answer text. */
  admin(sql: string, shard?: number): Promise<string>;
  /** How many queries `reader` has sent to the first shard so far (from `system.query_log`), only those whose text contains `containing` when given. */
  readerQueries(containing?: string): Promise<number>;
  /** Stops both servers and deletes their files. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function serverConfig(dir: string, http: number, tcp: number, shards: { tcp: number }[]): string {
  const replicas = shards.map((s) => `<shard><replica><host>127.0.0.1</host><port>${s.tcp}</port></replica></shard>`).join('');
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog></logger>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <query_log><database>system</database><table>query_log</table><flush_interval_milliseconds>500</flush_interval_milliseconds></query_log>
  <remote_servers><brook>${replicas}</brook></remote_servers>
</yandex>
`;
}

function usersConfig(): string {
  return `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default><log_queries>1</log_queries><max_memory_usage>2000000000</max_memory_usage></default>
    <reader><readonly>1</readonly><log_queries>1</log_queries><add_http_cors_header>1</add_http_cors_header></reader>
  </profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
    <${READER.user}><password>${xmlEscape(READER.password)}</password><networks><ip>127.0.0.1</ip></networks><profile>reader</profile><quota>default</quota></${READER.user}>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
}

async function post(url: string, sql: string): Promise<string> {
  const send = () => fetch(url, { method: 'POST', body: sql });
  // Once more on a network failure: ClickHouse closes idle kept-alive connections after a few seconds.
  const response = await send().catch(send);
  const text = await response.text();
  if (!response.ok) throw new Error(`ClickHouse (${response.status}): ${text.slice(0, 500)}`);
  return text;
}

async function waitForServer(url: string, process: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) break;
    try {
      const response = await fetch(new URL('ping', url));
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8').slice(-2000) : '';
  throw new Error(`clickhouse-server did not start (exit ${process.exitCode}): ${log}`);
}

/** The bird strikes as TabSeparated rows of `strikes_local` (empty speed → NULL). */
function strikesRows(): string[] {
  const [, ...lines] = readFileSync(STRIKES_CSV, 'utf8').trim().split(/\r?\n/);
  // The file has no quoted fields (checked: no line holds a quote).
  return lines.map((line) => {
    const f = line.split(',');
    if (f.length !== 14 || line.includes('"')) throw new Error(`unexpected bird strikes line: ${line}`);
    return [...f.slice(0, 13), f[13] === '' ? '\\N' : f[13]].join('\t');
  });
}

const STRIKES_COLUMNS = `airport String, model String, damage String, flight_date Date, operator String, state String, phase String,
  size String, species String, time_of_day String, cost_other UInt32, cost_repair UInt32, cost_total UInt32, speed Nullable(UInt16)`;

/** Starts the two shards, loads the data, and returns the cluster. */
export async function startClickHouse(): Promise<ClickHouseCluster> {
  const root = mkdtempSync(join(tmpdir(), 'brook-clickhouse-'));
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const shards = [
    { http: ports[0], tcp: ports[1], dir: join(root, 'shard1') },
    { http: ports[2], tcp: ports[3], dir: join(root, 'shard2') },
  ];
  const processes: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      // Its files are thrown away: no need to wait for a clean shutdown for long.
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    })));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (const shard of shards) {
      mkdirSync(shard.dir, { recursive: true });
      writeFileSync(join(shard.dir, 'config.xml'), serverConfig(shard.dir, shard.http, shard.tcp, shards));
      writeFileSync(join(shard.dir, 'users.xml'), usersConfig());
      const child = spawn(CLICKHOUSE_SERVER, [`--config-file=${join(shard.dir, 'config.xml')}`], { cwd: shard.dir, stdio: 'ignore' });
      processes.push(child);
    }
    const urls = shards.map((s) => `http://127.0.0.1:${s.http}/`);
    await Promise.all(urls.map((url, i) => waitForServer(url, processes[i], shards[i].dir)));
    const rows = strikesRows();
    for (const [i, url] of urls.entries()) {
      await post(url, `CREATE TABLE strikes_local (${STRIKES_COLUMNS}) ENGINE = MergeTree() ORDER BY (state, flight_date)`);
      await post(url, `CREATE TABLE strikes (${STRIKES_COLUMNS}) ENGINE = Distributed(brook, default, strikes_local, rand())`);
      // Every other row on each shard: together they are the whole file.
      const mine = rows.filter((_, row) => row % urls.length === i);
      await post(url, `INSERT INTO strikes_local FORMAT TabSeparated\n${mine.join('\n')}\n`);
    }
    const admin = (sql: string, shard = 0) => post(urls[shard], sql);
    return {
      url: urls[0],
      urls,
      admin,
      async readerQueries(containing) {
        await admin('SYSTEM FLUSH LOGS');
        const filter = containing === undefined ? '' : ` AND position(query, '${containing.replace(/[\\']/g, '\\$&')}') > 0`;
        const text = await admin(`SELECT count() FROM system.query_log WHERE user = '${READER.user}' AND is_initial_query AND type != 1${filter}`);
        return Number(text.trim());
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
