/**
 * The `brook` command line: `bin/brook.mjs` calls {@link main} and exits with
 * its result. User mistakes print one clear message; only bugs print a stack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './app-bundle.ts';
import { CliError } from './cli-error.ts';
import { processIO, runBuild, runDev, runPreview, runStudio, type CommandIO } from './commands.ts';

export const HELP = `brook — notebooks become interactive data apps that run entirely in the browser

Usage:
  brook studio [--port n]                     the studio: examples, open or start a notebook
  brook dev <notebook.md> [--port n]          serve one notebook; saving the file updates the page
  brook build <notebook.md|.ipynb|dir> [--out dir] [--title text] [--no-snapshot] [--no-answers]
                                              write a static app (relative URLs, any host, any sub-path)
  brook preview <dir> [--port n] [--base /sub/]
                                              serve a build, optionally under a sub-path
  brook check <notebook.md> ...               report errors with file:line:column
  brook help | --help                         this text
  brook --version                             the version

build, dev and studio build the app bundle once (dist/app) and reuse it;
--rebuild forces a fresh one. Docs: docs/cli.md`;

function version(): string {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs `brook <argv…>` and returns the process exit code. */
export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return 0;
      case '--version':
      case '-v':
      case 'version':
        io.out(version());
        return 0;
      case 'check': {
        const { runCheck } = await import('./check.ts');
        return await runCheck(args);
      }
      case 'build':
        return await runBuild(args, io);
      case 'dev':
        return await runDev(args, io);
      case 'preview':
        return await runPreview(args, io);
      case 'studio':
        return await runStudio(args, io);
      default:
        io.err(`brook: unknown command "${command}"\n`);
        io.err(HELP);
        return 2;
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.err(error.message);
      return error.exitCode;
    }
    throw error;
  }
}
