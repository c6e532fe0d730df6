/**
 * `brook build` against a tiny stand-in app bundle (a real Vite build takes
 * tens of seconds, too slow for a unit test; the browser tests build the real
 * one): files present, config and title injected, data copied and the front
 * matter rewritten, no absolute URLs, and a missing data file reported at its line.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { build, siteName } from '../../src/cli/build.ts';
import { CliError } from '../../src/cli/cli-error.ts';
import { readAppConfig } from '../../src/client/app-config.ts';
import { parseHTML } from 'linkedom';
import { parseNotebook } from '../../src/notebook/parse.ts';

let work: string;
let appDir: string;

function fakeApp(dir: string, html = '<!doctype html><html><head><meta charset="utf-8"><title>Brook</title><script type="module" src="./assets/index-abc.js"></script></head><body><div id="root"></div></body></html>'): void {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), html);
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log("app")');
  writeFileSync(join(dir, 'assets', 'style-abc.css'), 'body{background:url(./bg.png)}');
}

const NOTEBOOK = `---
title: Weather & <friends>
layout: wide
data:
  weather: data/seattle-weather.csv
  remote: https://example.org/x.parquet
  other: ../shared/seattle-weather.csv
---

# Hello

\`\`\`sql
SELECT count(*) FROM weather
\`\`\`
`;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'brook-build-'));
  appDir = join(work, 'app');
  fakeApp(appDir);
  mkdirSync(join(work, 'nb', 'data'), { recursive: true });
  mkdirSync(join(work, 'shared'), { recursive: true });
  cpSync('node_modules/vega-datasets/data/seattle-weather.csv', join(work, 'nb', 'data', 'seattle-weather.csv'));
  writeFileSync(join(work, 'shared', 'seattle-weather.csv'), 'a,b\n1,2\n');
  writeFileSync(join(work, 'nb', 'weather.md'), NOTEBOOK);
});

describe('brook build of one notebook', () => {
  it('writes the app, the notebook, its data and the config', async () => {
    const out = join(work, 'out');
    const result = await build({ input: join(work, 'nb', 'weather.md'), out, appDir });
    expect(result.out).toBe(out);
    for (const file of ['index.html', 'assets/index-abc.js', 'assets/style-abc.css', 'notebook.md', 'data/seattle-weather.csv', 'data/other-seattle-weather.csv']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    expect(readFileSync(join(out, 'data/seattle-weather.csv'))).toEqual(readFileSync('node_modules/vega-datasets/data/seattle-weather.csv'));
    expect(readFileSync(join(out, 'data/other-seattle-weather.csv'), 'utf8')).toBe('a,b\n1,2\n');

    const { document } = parseHTML(readFileSync(join(out, 'index.html'), 'utf8'));
    expect(readAppConfig(document as unknown as Document)).toEqual({ mode: 'app', notebook: 'notebook.md', id: 'weather' });
    expect(document.title).toBe('Weather & <friends>');
    expect(document.querySelectorAll('#brook-config')).toHaveLength(1);
  });

  it('rewrites the front matter to the copied paths and leaves URLs and the body alone', async () => {
    const out = join(work, 'out');
    await build({ input: join(work, 'nb', 'weather.md'), out, appDir });
    const written = readFileSync(join(out, 'notebook.md'), 'utf8');
    const notebook = parseNotebook(written, 'notebook.md');
    expect(notebook.diagnostics).toEqual([]);
    expect(notebook.frontMatter.data).toEqual({
      weather: 'data/seattle-weather.csv',
      remote: 'https://example.org/x.parquet',
      other: 'data/other-seattle-weather.csv',
    });
    expect(notebook.frontMatter.layout).toBe('wide');
    expect(written.slice(written.indexOf('# Hello'))).toBe(NOTEBOOK.slice(NOTEBOOK.indexOf('# Hello')));
  });

  it('writes no absolute URL into the page', async () => {
    const out = join(work, 'out');
    await build({ input: join(work, 'nb', 'weather.md'), out, appDir });
    expect(readFileSync(join(out, 'index.html'), 'utf8')).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('refuses a bundle that loads assets from another host', async () => {
    const bad = join(work, 'bad-app');
    fakeApp(bad, '<html><head><script src="https://cdn.example.com/x.js"></script></head></html>');
    await expect(build({ input: join(work, 'nb', 'weather.md'), out: join(work, 'out'), appDir: bad })).rejects.toThrow(/cdn\.example\.com/);
  });

  it('reports a missing data file at its front matter line and column, and writes nothing', async () => {
    writeFileSync(join(work, 'nb', 'broken.md'), '---\ntitle: Broken\ndata:\n  ok: data/seattle-weather.csv\n  sales:   data/nope.csv\n---\n# x\n');
    const out = join(work, 'out-broken');
    const error = await build({ input: join(work, 'nb', 'broken.md'), out, appDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(`${join(work, 'nb', 'broken.md')}:5:12: data file not found: data/nope.csv`);
    expect(existsSync(out)).toBe(false);
  });

  it('uses --title over the front matter title and escapes it', async () => {
    const out = join(work, 'out');
    await build({ input: join(work, 'nb', 'weather.md'), out, appDir, title: '</title><script>x</script>' });
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>');
  });

  it('replaces a previous build but never a directory that is not one', async () => {
    const out = join(work, 'out');
    await build({ input: join(work, 'nb', 'weather.md'), out, appDir });
    writeFileSync(join(out, 'stale.txt'), 'old');
    await build({ input: join(work, 'nb', 'weather.md'), out, appDir });
    expect(existsSync(join(out, 'stale.txt'))).toBe(false);

    const precious = join(work, 'precious');
    mkdirSync(precious);
    writeFileSync(join(precious, 'thesis.tex'), '...');
    await expect(build({ input: join(work, 'nb', 'weather.md'), out: precious, appDir })).rejects.toThrow(/not a Brook build/);
    expect(existsSync(join(precious, 'thesis.tex'))).toBe(true);
  });

  it('converts an .ipynb and says which cells it skipped', async () => {
    const ipynb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { language: 'python', name: 'python3' } },
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# From Jupyter\n'] },
        { cell_type: 'code', metadata: {}, source: ['print(1)\n'], outputs: [], execution_count: null },
      ],
    };
    writeFileSync(join(work, 'nb', 'jup.ipynb'), JSON.stringify(ipynb));
    const out = join(work, 'out-ipynb');
    const result = await build({ input: join(work, 'nb', 'jup.ipynb'), out, appDir });
    expect(readFileSync(join(out, 'notebook.md'), 'utf8')).toContain('# From Jupyter');
    expect(result.notebooks[0].warnings.join('\n')).toMatch(/skipped 1 cell.*cell 2 \(python\)/);
  });
});

describe('brook build of a directory', () => {
  it('builds one app per notebook and a listing with relative links', async () => {
    writeFileSync(join(work, 'nb', 'Second One.md'), '# Second\n');
    const out = join(work, 'site');
    const result = await build({ input: join(work, 'nb'), out, appDir, title: 'My <apps>' });
    expect(result.notebooks.map((n) => n.out)).toEqual([join(out, 'second-one'), join(out, 'weather')]);
    expect(existsSync(join(out, 'weather', 'data', 'seattle-weather.csv'))).toBe(true);
    expect(existsSync(join(out, 'second-one', 'notebook.md'))).toBe(true);
    const { document } = parseHTML(readFileSync(join(out, 'index.html'), 'utf8'));
    const links = [...document.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.textContent]);
    expect(links).toEqual([
      ['second-one/', 'Second One'],
      ['weather/', 'Weather & <friends>'],
    ]);
    expect(document.title).toBe('My <apps>');
  });

  it('writes the app bundle once for the whole site: every page loads the same ../assets/', async () => {
    writeFileSync(join(work, 'nb', 'Second One.md'), '# Second\n');
    const out = join(work, 'site');
    await build({ input: join(work, 'nb'), out, appDir, snapshot: false });
    expect(existsSync(join(out, 'assets', 'index-abc.js'))).toBe(true);
    for (const page of ['weather', 'second-one']) {
      expect(existsSync(join(out, page, 'assets')), `${page}/assets`).toBe(false);
      const html = readFileSync(join(out, page, 'index.html'), 'utf8');
      expect(html).toContain('src="../assets/index-abc.js"');
      expect(html).not.toMatch(/["']\.\/assets\//);
    }
  });

  it('lists the pages in front-matter order on every page, in its config and in its HTML, and warns of an order that is not a number', async () => {
    writeFileSync(join(work, 'nb', 'intro.md'), '---\ntitle: Start here\norder: 1\n---\n# Intro\n');
    writeFileSync(join(work, 'nb', 'zebra.md'), '---\norder: 0.5\n---\n# Zebra\n');
    writeFileSync(join(work, 'nb', 'odd.md'), '---\norder: soon\n---\n# Odd\n');
    const out = join(work, 'site');
    const result = await build({ input: join(work, 'nb'), out, appDir, title: 'Field notes', snapshot: false });
    // Ordered pages first (0.5, 1), then the rest by name.
    const order = ['zebra', 'intro', 'odd', 'weather'];
    expect(result.notebooks.map((n) => n.out)).toEqual(order.map((name) => join(out, name)));
    expect(result.notebooks[2].warnings.join('\n')).toMatch(/odd\.md: front matter `order` must be a number .*"soon"/);
    for (const name of order) {
      const { document } = parseHTML(readFileSync(join(out, name, 'index.html'), 'utf8'));
      const site = readAppConfig(document as unknown as Document).site!;
      expect(site.title).toBe('Field notes');
      expect(site.home).toBe('../');
      expect(site.pages.map((p) => [p.href, p.title, p.current])).toEqual([
        ['../zebra/', 'zebra', name === 'zebra'],
        ['../intro/', 'Start here', name === 'intro'],
        ['../odd/', 'odd', name === 'odd'],
        ['../weather/', 'Weather & <friends>', name === 'weather'],
      ]);
      // Readers without JavaScript get the same bar, escaped.
      const links = [...document.querySelectorAll('#root .site-nav-pages a')];
      expect(links.map((a) => a.textContent)).toEqual(['zebra', 'Start here', 'odd', 'Weather & <friends>']);
      expect(document.querySelector('#root [aria-current="page"]')?.getAttribute('href')).toBe(`../${name}/`);
    }
    const { document } = parseHTML(readFileSync(join(out, 'index.html'), 'utf8'));
    expect([...document.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(order.map((name) => `${name}/`));
  });

  it('names build folders safely', () => {
    expect(siteName('/x/Sales 2024 (final).md')).toBe('sales-2024-final');
    expect(siteName('Café.ipynb')).toBe('cafe');
    expect(siteName('!!!.md')).toBe('notebook');
  });

  it('rejects an input that is not a notebook', async () => {
    writeFileSync(join(work, 'notes.txt'), 'x');
    await expect(build({ input: join(work, 'notes.txt'), appDir })).rejects.toThrow(/expected a \.md or \.ipynb/);
    await expect(build({ input: join(work, 'missing.md'), appDir })).rejects.toThrow(/no such notebook/);
  });
});
