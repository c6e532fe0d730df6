/**
 * The `brook` subcommands that build and serve: argument parsing, progress
 * output, and the long-running servers (which stop on Ctrl-C).
 */
import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ensureAppBundle, PROJECT_ROOT } from './app-bundle.ts';
import { build } from './build.ts';
import { CliError } from './cli-error.ts';
import { startDevServer } from './dev-server.ts';
import { createStaticServer, type RunningServer } from './static-server.ts';

/** Where output goes; tests replace it. */
export interface CommandIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Resolves when the user stops a server (Ctrl-C). */
  interrupted: () => Promise<void>;
}

export const processIO: CommandIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  interrupted: () =>
    new Promise((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
    }),
};

const DEFAULT_PORTS = { studio: 4000, dev: 5173, preview: 4173 } as const;

/** `node:util` parseArgs with user-facing errors (exit 2) instead of thrown TypeErrors. */
function parse<T extends ParseArgsConfig['options']>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`brook ${command}: ${(error as Error).message.split('\n')[0]}\nRun \`brook help\` for usage.`, 2);
  }
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a number from 0 to 65535, not "${value}"`, 2);
  return port;
}

/**
 * Listens on `port`; when the user did not choose one and it is taken, tries
 * the next few so a second `brook dev` just works.
 */
async function listenOn(start: (port: number) => Promise<RunningServer>, port: number | undefined, fallback: number): Promise<RunningServer> {
  const attempts = port === undefined ? 10 : 1;
  const first = port ?? fallback;
  for (let i = 0; i < attempts; i++) {
    try {
      return await start(first + i);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  throw new CliError(port === undefined ? `ports ${first}–${first + attempts - 1} are in use; pass --port` : `port ${first} is in use; pass another --port`);
}

async function serveUntilInterrupted(io: CommandIO, running: RunningServer, what: string): Promise<number> {
  io.out(`${what}\n  ${running.url}\nPress Ctrl-C to stop.`);
  await io.interrupted();
  await running.close();
  return 0;
}

/** `brook build <notebook.md|.ipynb|dir> [--out dir] [--title text] [--rebuild] [--no-snapshot] [--no-answers]` */
export async function runBuild(args: string[], io: CommandIO = processIO): Promise<number> {
  const { values, positionals } = parse('build', args, {
    out: { type: 'string', short: 'o' },
    title: { type: 'string' },
    rebuild: { type: 'boolean' },
    'no-snapshot': { type: 'boolean' },
    'no-answers': { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new CliError('usage: brook build <notebook.md|notebook.ipynb|directory> [--out dir] [--title text] [--no-snapshot] [--no-answers]', 2);
  const started = Date.now();
  const result = await build({
    input: positionals[0], out: values.out, title: values.title, rebuild: values.rebuild, log: io.out,
    snapshot: !values['no-snapshot'], answers: !values['no-answers'],
  });
  for (const notebook of result.notebooks) {
    for (const warning of notebook.warnings) io.err(`warning: ${warning}`);
    const tables = Object.keys(notebook.data).length;
    io.out(`built ${notebook.source} → ${relative(process.cwd(), notebook.out) || '.'}${tables ? ` (${tables} data file${tables > 1 ? 's' : ''})` : ''}`);
  }
  io.out(`done in ${((Date.now() - started) / 1000).toFixed(1)} s. Serve it with: npx brook preview ${relative(process.cwd(), result.out) || '.'}`);
  return 0;
}

/** `brook dev <notebook.md> [--port n] [--rebuild]` */
export async function runDev(args: string[], io: CommandIO = processIO): Promise<number> {
  const { values, positionals } = parse('dev', args, { port: { type: 'string', short: 'p' }, rebuild: { type: 'boolean' } });
  if (positionals.length !== 1) throw new CliError('usage: brook dev <notebook.md> [--port n]', 2);
  const port = parsePort(values.port);
  const notebook = positionals[0];
  if (!existsSync(notebook) || !statSync(notebook).isFile()) throw new CliError(`notebook not found: ${notebook}`);
  const { dir } = await ensureAppBundle({ rebuild: values.rebuild, log: io.out });
  const running = await listenOn(
    (p) =>
      startDevServer({
        notebook,
        appDir: dir,
        port: p,
        onChange: (clients) => io.out(`${new Date().toLocaleTimeString()} ${notebook} changed → sent to ${clients} page${clients === 1 ? '' : 's'}`),
        onSave: () => io.out(`${new Date().toLocaleTimeString()} edits from the page → written to ${notebook}`),
      }),
    port,
    DEFAULT_PORTS.dev,
  );
  return serveUntilInterrupted(io, running, `Serving ${notebook}; saving the file updates the page, and edits made in the page are written to the file.`);
}

/** `brook preview <dir> [--port n] [--base /sub/]` */
export async function runPreview(args: string[], io: CommandIO = processIO): Promise<number> {
  const { values, positionals } = parse('preview', args, { port: { type: 'string', short: 'p' }, base: { type: 'string' } });
  if (positionals.length !== 1) throw new CliError('usage: brook preview <build directory> [--port n] [--base /sub/]', 2);
  const port = parsePort(values.port);
  const dir = positionals[0];
  if (!existsSync(join(dir, 'index.html'))) throw new CliError(`${dir} has no index.html; build one with \`brook build <notebook.md> --out ${dir}\``);
  const server = createStaticServer({ root: dir, basePath: values.base });
  const running = await listenOn((p) => server.listen(p), port, DEFAULT_PORTS.preview);
  return serveUntilInterrupted(io, running, `Serving the build in ${dir}`);
}

/** `brook studio [--port n] [--rebuild]` — what `npm start` runs. */
export async function runStudio(args: string[], io: CommandIO = processIO): Promise<number> {
  const { values, positionals } = parse('studio', args, { port: { type: 'string', short: 'p' }, rebuild: { type: 'boolean' } });
  if (positionals.length > 0) throw new CliError('usage: brook studio [--port n]', 2);
  const port = parsePort(values.port);
  const { dir } = await ensureAppBundle({ rebuild: values.rebuild, log: io.out });
  const server = createStaticServer({ root: dir, mounts: { 'examples/': resolve(PROJECT_ROOT, 'examples') } });
  const running = await listenOn((p) => server.listen(p), port, DEFAULT_PORTS.studio);
  return serveUntilInterrupted(io, running, 'Brook studio (the examples, open a .md or .ipynb, or start a new notebook):');
}
