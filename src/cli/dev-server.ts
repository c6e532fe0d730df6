/**
 * `brook dev`: serves the app with one live notebook and pushes the file's new
 * text to open pages over Server-Sent Events whenever it is saved. The page
 * hands the text to `session.replaceSource`, so inputs keep their values.
 */
import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { basename, dirname, extname, resolve } from 'node:path';
import type { AppConfig } from '../client/app-config.ts';
import { normalizeSource } from '../notebook/position.ts';
import { injectAppConfig } from './app-page.ts';
import { CliError } from './cli-error.ts';
import { createStaticServer, type RequestLogEntry, type RunningServer } from './static-server.ts';

/** Where the page listens for changes, relative to the page (also written into its config). */
export const DEV_EVENTS_PATH = '__brook/events';

export interface DevServerOptions {
  /** The notebook file being edited. */
  notebook: string;
  /** The app bundle directory. */
  appDir: string;
  port?: number;
  host?: string;
  /** Quiet period after the last file event before the file is read (editors write in bursts). */
  debounceMs?: number;
  onRequest?: (entry: RequestLogEntry) => void;
  /** Called after each change is pushed, with the number of pages it reached. */
  onChange?: (clients: number) => void;
}

export interface DevServer extends RunningServer {
  /** Pages currently listening. */
  clientCount(): number;
}

/**
 * Encodes a text as one SSE `message` event. Each line becomes a `data:` line;
 * `EventSource` joins them with `\n`, so `event.data` is the text exactly.
 */
export function sseMessage(text: string): string {
  return `${normalizeSource(text)
    .split('\n')
    .map((line) => `data: ${line}`)
    .join('\n')}\n\n`;
}

/** Reads the notebook as Brook Markdown (an `.ipynb` is converted on every read). */
async function readLiveNotebook(file: string): Promise<string> {
  const raw = readFileSync(file, 'utf8');
  if (extname(file).toLowerCase() !== '.ipynb') return normalizeSource(raw);
  const { importIpynb } = await import('../notebook/ipynb.ts');
  return normalizeSource(importIpynb(raw, file).source);
}

/** Starts the dev server; see {@link DevServerOptions}. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const file = resolve(options.notebook);
  if (!existsSync(file)) throw new CliError(`notebook not found: ${options.notebook}`);
  const notebookDir = dirname(file);
  const clients = new Set<ServerResponse>();
  let lastSent = await readLiveNotebook(file);

  const config: AppConfig = { mode: 'app', notebook: 'notebook.md', dev: { events: DEV_EVENTS_PATH } };
  const indexFile = resolve(options.appDir, 'index.html');
  if (!existsSync(indexFile)) throw new CliError(`the app bundle ${options.appDir} has no index.html`);
  const page = injectAppConfig(readFileSync(indexFile, 'utf8'), config, basename(file, extname(file)));

  const server = createStaticServer({
    root: options.appDir,
    // Relative data paths in the front matter resolve against the notebook's folder.
    fallbackRoots: [notebookDir],
    onRequest: options.onRequest,
    routes: [
      (_request, response, path) => {
        if (path !== '' && path !== 'index.html') return false;
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        response.end(page);
        return true;
      },
      async (_request, response, path) => {
        if (path !== 'notebook.md') return false;
        let text: string;
        try {
          text = await readLiveNotebook(file);
        } catch (error) {
          response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
          response.end(`cannot read ${file}: ${(error as Error).message}\n`);
          return true;
        }
        response.writeHead(200, { 'Content-Type': 'text/markdown; charset=utf-8', 'Cache-Control': 'no-store' });
        response.end(text);
        return true;
      },
      (request, response, path) => {
        if (path !== DEV_EVENTS_PATH) return false;
        response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        response.write('retry: 1000\n\n');
        clients.add(response);
        request.on('close', () => clients.delete(response));
        return true;
      },
    ],
  });

  const running = await server.listen(options.port ?? 0, options.host);

  let timer: ReturnType<typeof setTimeout> | undefined;
  const push = async (): Promise<void> => {
    // Mid-save by rename the file may be briefly absent or partly written; the next event reads it again.
    if (!existsSync(file)) return;
    let text: string;
    try {
      text = await readLiveNotebook(file);
    } catch {
      return;
    }
    if (text === lastSent) return;
    lastSent = text;
    const message = sseMessage(text);
    for (const client of clients) client.write(message);
    options.onChange?.(clients.size);
  };
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void push(), options.debounceMs ?? 80);
  };

  // Watch the folder, not the file: editors that save by writing a new file and
  // renaming it over the old one leave a file watcher on a deleted inode.
  const name = basename(file);
  const watcher: FSWatcher = watch(notebookDir, (_event, changed) => {
    if (changed === null || changed === name) schedule();
  });
  // Comments keep idle connections open through proxies that drop silent streams.
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();

  return {
    ...running,
    clientCount: () => clients.size,
    close: async () => {
      clearTimeout(timer);
      clearInterval(heartbeat);
      watcher.close();
      for (const client of clients) client.end();
      clients.clear();
      await running.close();
    },
  };
}
