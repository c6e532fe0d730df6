/**
 * `brook dev`: serves the app with one live notebook and pushes the file's new
 * text to open pages over Server-Sent Events whenever it is saved. The page
 * hands the text to `session.replaceSource`, so inputs keep their values.
 *
 * Edits made in the page come back with `PUT __brook/save` and are written to
 * the file — only when the file still holds the text the edit started from
 * (`base`); otherwise the answer is a conflict carrying the file's text, and
 * the page asks the person which to keep (src/client/dev-sync.ts). The request
 * must carry the token written into this server's page: another site open in
 * the same browser cannot write the file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, extname, resolve } from 'node:path';
import type { AppConfig } from '../client/app-config.ts';
import { DEV_TOKEN_HEADER, type DevSaveAnswer } from '../client/dev-sync.ts';
import { normalizeSource } from '../notebook/position.ts';
import { injectAppConfig } from './app-page.ts';
import { CliError } from './cli-error.ts';
import { createStaticServer, type RequestLogEntry, type RunningServer } from './static-server.ts';

/** Where the page listens for changes, relative to the page (also written into its config). */
export const DEV_EVENTS_PATH = '__brook/events';

/** Where the page writes its edits back (`PUT`, JSON `{base, text}`, with the token in `DEV_TOKEN_HEADER`). */
export const DEV_SAVE_PATH = '__brook/save';


/** The largest notebook text accepted from the page. */
const MAX_SAVE_BYTES = 16 * 1024 * 1024;



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
  /** Called after the page's edits were written to the file. */
  onSave?: (text: string) => void;
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

/** The request body as text, refused past `limit` bytes. */
function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`the notebook is larger than ${limit / 1024 / 1024} MB`));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Writes the page's text over the notebook file, keeping the file's line
 * endings (CRLF stays CRLF) and BOM. Written beside it and renamed over it,
 * so an editor or the watcher never reads a half-written file.
 */
function writeNotebook(file: string, text: string): void {
  const raw = readFileSync(file, 'utf8');
  const crlf = raw.includes('\r\n');
  const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
  const temporary = `${file}.brook-save-${process.pid}`;
  writeFileSync(temporary, bom + (crlf ? text.replace(/\n/g, '\r\n') : text));
  renameSync(temporary, file);
}

/** Starts the dev server; see {@link DevServerOptions}. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const file = resolve(options.notebook);
  if (!existsSync(file)) throw new CliError(`notebook not found: ${options.notebook}`);
  const notebookDir = dirname(file);
  const clients = new Set<ServerResponse>();
  let lastSent = await readLiveNotebook(file);
  // An .ipynb is converted to Markdown on every read: the page's Markdown cannot be written back into it.
  const writable = extname(file).toLowerCase() !== '.ipynb';
  const token = randomBytes(24).toString('hex');

  const config: AppConfig = {
    mode: 'app',
    notebook: 'notebook.md',
    dev: writable ? { events: DEV_EVENTS_PATH, save: DEV_SAVE_PATH, token, file: basename(file) } : { events: DEV_EVENTS_PATH, file: basename(file) },
  };
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
      async (request, response, path) => {
        if (path !== DEV_SAVE_PATH) return false;
        const answer = (status: number, body: DevSaveAnswer): void => {
          response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
          response.end(JSON.stringify(body));
        };
        if (request.method !== 'PUT') {
          response.writeHead(405, { Allow: 'PUT', 'Content-Type': 'text/plain; charset=utf-8' });
          response.end('Method not allowed\n');
          return true;
        }
        if (!writable || request.headers[DEV_TOKEN_HEADER] !== token) {
          answer(403, { ok: false, message: writable ? 'This page may not write the notebook (reload it from brook dev).' : 'An .ipynb notebook is not written back; download the .md instead.' });
          return true;
        }
        let edit: { base?: unknown; text?: unknown };
        try {
          edit = JSON.parse(await readBody(request, MAX_SAVE_BYTES)) as typeof edit;
        } catch (error) {
          answer(400, { ok: false, message: `Not saved: ${(error as Error).message}` });
          return true;
        }
        if (typeof edit.base !== 'string' || typeof edit.text !== 'string') {
          answer(400, { ok: false, message: 'Not saved: expected {base, text}.' });
          return true;
        }
        try {
          const current = await readLiveNotebook(file);
          if (current !== normalizeSource(edit.base)) {
            answer(409, { ok: false, conflict: current });
            return true;
          }
          const text = normalizeSource(edit.text);
          // Marked as sent first: the watcher's event for this write must not echo it back to the pages.
          lastSent = text;
          writeNotebook(file, text);
          options.onSave?.(text);
          answer(200, { ok: true });
        } catch (error) {
          answer(500, { ok: false, message: `Not saved: cannot write ${file}: ${(error as Error).message}` });
        }
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
