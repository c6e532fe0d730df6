import { describe, expect, it } from 'vitest';
import { injectAppConfig, injectEngineBoot } from '../../src/cli/app-page.ts';
import { BOOTED_DATA_WORKER, START_DUCKDB_MESSAGE } from '../../src/data/api.ts';

const PAGE = '<!doctype html><html><head><title>Brook</title></head><body></body></html>';

describe('injectAppConfig', () => {
  it('writes the config, the title and a preload of the notebook (fetch mode, anonymous)', () => {
    const page = injectAppConfig(PAGE, { mode: 'app', notebook: 'notebook.md' }, 'Sales <2024>');
    expect(page).toContain('<script type="application/json" id="brook-config">{"mode":"app","notebook":"notebook.md"}</script>');
    expect(page).toContain('<link rel="preload" href="notebook.md" as="fetch" crossorigin="anonymous" data-brook-notebook>');
    expect(page).toContain('<title>Sales &lt;2024&gt;</title>');
  });

  it('replaces an earlier config and preload instead of adding a second', () => {
    const once = injectAppConfig(PAGE, { mode: 'app', notebook: 'a.md' });
    const twice = injectAppConfig(once, { mode: 'app', notebook: 'b.md' });
    expect(twice.match(/brook-config/g)).toHaveLength(1);
    expect(twice.match(/data-brook-notebook/g)).toHaveLength(1);
    expect(twice).toContain('href="b.md"');
  });

  it('preloads nothing for the studio, and escapes the notebook path', () => {
    expect(injectAppConfig(PAGE, { mode: 'studio' })).not.toContain('preload');
    expect(injectAppConfig(PAGE, { mode: 'app', notebook: 'a"b.md' })).toContain('href="a&quot;b.md"');
  });
});

describe('injectEngineBoot', () => {
  const assets = { dataWorker: '../assets/data.worker-a1.js', duckdbWorker: '../assets/duckdb-browser-eh.worker-b2.js', duckdbWasm: '../assets/duckdb-eh-c3.wasm' };
  const head = '<!doctype html><html><head><meta charset="utf-8"><title>Brook</title></head><body></body></html>';

  it('starts the data worker and DuckDB first thing in <head>, and leaves the worker for the app', () => {
    const page = injectEngineBoot(head, assets);
    const script = /<meta charset="utf-8">\n<script data-brook-engine>(.*?)<\/script><title>/.exec(page)?.[1];
    expect(script).toBeDefined();
    // The script runs as written: a fake page sees the worker started and the message the app's own start would post.
    const started: { url: string; options: unknown; messages: unknown[] }[] = [];
    class FakeWorker {
      messages: unknown[] = [];
      constructor(url: string, options: unknown) { started.push({ url, options, messages: this.messages }); }
      postMessage(message: unknown) { this.messages.push(message); }
    }
    const window: Record<string, unknown> = {};
    new Function('Worker', 'document', 'window', script!)(FakeWorker, { baseURI: 'https://host.test/site/page/' }, window);
    expect(started).toEqual([{
      url: 'https://host.test/site/assets/data.worker-a1.js',
      options: { type: 'module', name: 'brook-data' },
      messages: [{ type: START_DUCKDB_MESSAGE, duckdb: { wasm: 'https://host.test/site/assets/duckdb-eh-c3.wasm', worker: 'https://host.test/site/assets/duckdb-browser-eh.worker-b2.js' } }],
    }]);
    expect(window[BOOTED_DATA_WORKER]).toBeInstanceOf(FakeWorker);
  });

  it('replaces an earlier boot script and the preloads older builds wrote; writes none without the assets', () => {
    const older = head.replace('<title>', '<link rel="preload" href="../assets/duckdb-eh-old.wasm" as="fetch" crossorigin="anonymous" data-brook-engine>\n<title>');
    const twice = injectEngineBoot(injectEngineBoot(older, assets), assets);
    expect(twice.match(/data-brook-engine/g)).toHaveLength(1);
    expect(twice).not.toContain('duckdb-eh-old.wasm');
    expect(injectEngineBoot(twice, undefined)).not.toContain('data-brook-engine');
  });

  it('touches nothing in <body>: the static view is the notebook\'s own output', () => {
    const body = '<div id="root"><p title="<script data-brook-engine>">kept</p><pre>text</pre></div><script type="module" src="./app.js"></script>';
    const page = injectEngineBoot(head.replace('<body></body>', `<body>${body}</body>`), assets);
    expect(page).toContain(body);
  });
});
