/** The machine and versions a run was measured on, for `results.json`. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../src/cli/app-bundle.ts';
import type { MachineInfo } from './figures.ts';

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function machineInfo(browser: Browser, duckdbNative: string, loadAverage: number[] = loadavg()): MachineInfo {
  const wasmPackage = JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules/@duckdb/duckdb-wasm/package.json'), 'utf8')) as { version: string };
  return {
    date: new Date().toISOString(),
    os: `${platform()} ${release()} ${arch()}`,
    cpus: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    node: process.version,
    chromium: browser.version(),
    duckdbWasm: wasmPackage.version,
    duckdbNative,
    commit: gitCommit(),
    loadAverage,
  };
}
