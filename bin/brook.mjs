#!/usr/bin/env node
// The `brook` command. The CLI is written in TypeScript; tsx loads it directly so
// `npx brook …` works right after `npm ci` with no separate compile step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
