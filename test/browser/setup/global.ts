/**
 * Builds the app once for the whole browser suite (the same bundle `brook
 * build` copies), so every test runs against production output.
 */
import { ensureAppBundle } from '../../../src/cli/app-bundle.ts';

export default async function setup(): Promise<void> {
  const bundle = await ensureAppBundle({ log: (message) => console.log(`[browser tests] ${message}`) });
  process.env.BROOK_APP_DIR = bundle.dir;
}
