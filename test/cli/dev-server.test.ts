/**
 * `brook dev`'s server over real HTTP: the page carries the dev config, the
 * notebook is served live, and saves (in place and by rename) arrive as
 * Server-Sent Events with the new text, once per change. Edits from the page
 * are written back only with the page's token and only over the text they
 * started from; otherwise the answer is a conflict with the file's text.
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, sseMessage, type DevServer } from '../../src/cli/dev-server.ts';
import { readAppConfig } from '../../src/client/app-config.ts';

let work: string;
let server: DevServer;
let notebook: string;

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'brook-dev-'));
  mkdirSync(join(work, 'app'));
  writeFileSync(join(work, 'app', 'index.html'), '<!doctype html><html><head><title>Brook</title></head><body></body></html>');
  writeFileSync(join(work, 'app', 'main.js'), '//');
  mkdirSync(join(work, 'nb', 'data'), { recursive: true });
  writeFileSync(join(work, 'nb', 'data', 'x.csv'), 'a\n1\n');
  notebook = join(work, 'nb', 'live.md');
  writeFileSync(notebook, '# One\n');
  server = await startDevServer({ notebook, appDir: join(work, 'app'), debounceMs: 30 });
});

afterEach(() => server.close());

/** Reads SSE `message` events from a stream until `count` arrived or the time is up. */
async function readEvents(response: Response, count: number, timeoutMs = 5000): Promise<string[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: string[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (events.length < count && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
    if (!chunk || chunk.done) break;
    buffer += chunk.value;
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
      if (data.length) events.push(data.join('\n'));
    }
  }
  await reader.cancel();
  return events;
}

describe('sseMessage', () => {
  it('keeps every line, blank lines and the final newline', () => {
    expect(sseMessage('a\n\nb\n')).toBe('data: a\ndata: \ndata: b\ndata: \n\n');
    expect(sseMessage('x\r\ny')).toBe('data: x\ndata: y\n\n');
  });
});

describe('brook dev server', () => {
  it('serves the page with the dev config, the live notebook and its data', async () => {
    const html = await (await fetch(server.url)).text();
    const { document } = parseHTML(html);
    expect(readAppConfig(document as unknown as Document)).toEqual({
      mode: 'app',
      notebook: 'notebook.md',
      dev: { events: '__brook/events', save: '__brook/save', token: expect.stringMatching(/^[0-9a-f]{48}$/), file: 'live.md' },
    });
    expect(await (await fetch(server.url + 'notebook.md')).text()).toBe('# One\n');
    writeFileSync(notebook, '# Two\n');
    expect(await (await fetch(server.url + 'notebook.md')).text()).toBe('# Two\n');
    expect(await (await fetch(server.url + 'data/x.csv')).text()).toBe('a\n1\n');
    expect((await fetch(server.url + 'main.js')).status).toBe(200);
  });

  it('pushes the new text when the file is saved in place', async () => {
    const response = await fetch(server.url + '__brook/events');
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await expect.poll(() => server.clientCount()).toBe(1);
    const events = readEvents(response, 1);
    writeFileSync(notebook, '# Saved\n\n```js\nconst x = 1\n```\n');
    expect(await events).toEqual(['# Saved\n\n```js\nconst x = 1\n```\n']);
  });

  it('pushes the new text when an editor replaces the file by rename', async () => {
    const response = await fetch(server.url + '__brook/events');
    await expect.poll(() => server.clientCount()).toBe(1);
    const events = readEvents(response, 2, 3000);
    const temp = join(work, 'nb', '.live.md.swp');
    writeFileSync(temp, '# Renamed\n');
    renameSync(temp, notebook);
    // Only one event: a burst of file events is debounced, and unchanged text is not sent.
    expect(await events).toEqual(['# Renamed\n']);
  });

  it('sends nothing for changes to other files', async () => {
    const response = await fetch(server.url + '__brook/events');
    await expect.poll(() => server.clientCount()).toBe(1);
    const events = readEvents(response, 1, 600);
    writeFileSync(join(work, 'nb', 'other.md'), '# other\n');
    expect(await events).toEqual([]);
  });
});

describe('brook dev server: writing the page\'s edits back', () => {
  const tokenOf = async () => {
    const { document } = parseHTML(await (await fetch(server.url)).text());
    return readAppConfig(document as unknown as Document).dev!.token!;
  };
  const put = (body: unknown, token: string | undefined) =>
    fetch(server.url + '__brook/save', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...(token === undefined ? {} : { 'x-brook-dev-token': token }) },
      body: JSON.stringify(body),
    });

  it('writes the text when the file still holds its base, and does not echo it back to the pages', async () => {
    const saved: string[] = [];
    await server.close();
    server = await startDevServer({ notebook, appDir: join(work, 'app'), debounceMs: 30, onSave: (text) => saved.push(text) });
    const events = await fetch(server.url + '__brook/events');
    await expect.poll(() => server.clientCount()).toBe(1);
    const pushed = readEvents(events, 1, 1500);
    const response = await put({ base: '# One\n', text: '# One\n\nEdited in the page.\n' }, await tokenOf());
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(readFileSync(notebook, 'utf8')).toBe('# One\n\nEdited in the page.\n');
    expect(saved).toEqual(['# One\n\nEdited in the page.\n']);
    expect(await pushed).toEqual([]);
  });

  it('answers a conflict with the file\'s text when the file changed since the edit started', async () => {
    writeFileSync(notebook, '# Changed on disk\n');
    const response = await put({ base: '# One\n', text: '# Mine\n' }, await tokenOf());
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ ok: false, conflict: '# Changed on disk\n' });
    expect(readFileSync(notebook, 'utf8')).toBe('# Changed on disk\n');
  });

  it('keeps the file\'s CRLF line ends and BOM', async () => {
    writeFileSync(notebook, '\uFEFF# One\r\n\r\nText\r\n');
    const response = await put({ base: '# One\n\nText\n', text: '# One\n\nMore text\n' }, await tokenOf());
    expect(response.status).toBe(200);
    expect(readFileSync(notebook, 'utf8')).toBe('\uFEFF# One\r\n\r\nMore text\r\n');
  });

  it('refuses a write without the page\'s token, or with another method', async () => {
    for (const token of [undefined, 'f'.repeat(48)]) {
      const response = await put({ base: '# One\n', text: '# Overwritten\n' }, token);
      expect(response.status).toBe(403);
    }
    expect((await fetch(server.url + '__brook/save', { method: 'POST', body: '{}' })).status).toBe(405);
    expect((await put({ text: 'no base' }, await tokenOf())).status).toBe(400);
    expect(readFileSync(notebook, 'utf8')).toBe('# One\n');
  });

  it('does not offer writing for an .ipynb (it is converted on every read)', async () => {
    await server.close();
    const ipynb = join(work, 'nb', 'book.ipynb');
    writeFileSync(ipynb, JSON.stringify({ cells: [{ cell_type: 'markdown', source: ['# Book'], metadata: {} }], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    server = await startDevServer({ notebook: ipynb, appDir: join(work, 'app'), debounceMs: 30 });
    const { document } = parseHTML(await (await fetch(server.url)).text());
    expect(readAppConfig(document as unknown as Document).dev).toEqual({ events: '__brook/events', file: 'book.ipynb' });
    expect((await put({ base: '', text: '# x\n' }, 'x')).status).toBe(403);
  });
});
