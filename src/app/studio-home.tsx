import { For, Show, createResource } from 'solid-js';
import type { AppConfig, ExampleEntry } from '../client/app-config.ts';
import { recentNotebooks, type RecentNotebook } from '../store/recent.ts';
import { DropOverlay } from './drop-overlay.tsx';
import { formatRoute } from './hash-route.ts';
import { loadExamples } from './open-requests.ts';
import { BrookMark } from './notebook-header.tsx';

async function examplesAt(url: string | undefined): Promise<ExampleEntry[]> {
  if (!url) return [];
  return loadExamples(new URL(url, location.href.split('#')[0]));
}

/** The studio's front page: new notebook, open a file, examples, recent notebooks. */
export function StudioHome(props: { config: AppConfig; onOpenFile: (file: File) => void; openError?: string }) {
  const [examples] = createResource(() => props.config.examples, examplesAt);
  const [recent] = createResource(() => recentNotebooks());
  let picker!: HTMLInputElement;
  document.title = 'Brook';
  return (
    <div class="studio">
      <header class="studio-header">
        <div class="brand">
          <BrookMark />
          <span class="brand-name">Brook</span>
        </div>
        <span class="studio-tagline">Studio</span>
      </header>
      <main class="studio-main">
        <section class="hero">
          <h1>Notebooks that become data apps</h1>
          <p class="hero-text">
            Write Markdown, SQL and JavaScript. Brook runs it in your browser with DuckDB, keeps your inputs, and publishes
            to any static host.
          </p>
          <div class="hero-actions">
            <a class="button button-primary button-large" href={formatRoute({ kind: 'new' })}>
              New notebook
            </a>
            <button type="button" class="button button-large" onClick={() => picker.click()}>
              Open file…
            </button>
            <input
              ref={picker}
              type="file"
              accept=".md,.markdown,.ipynb"
              class="sr-only"
              tabindex="-1"
              aria-label="Open a notebook file"
              onChange={(event) => {
                const file = event.currentTarget.files?.[0];
                if (file) props.onOpenFile(file);
                event.currentTarget.value = '';
              }}
            />
            <span class="hero-hint">or drop a .md or .ipynb file anywhere</span>
          </div>
          <Show when={props.openError}>
            <p class="inline-error" role="alert">{props.openError}</p>
          </Show>
        </section>

        <Show when={(recent() ?? []).length > 0}>
          <section class="home-section" aria-labelledby="recent-title">
            <h2 id="recent-title">Recent</h2>
            <ul class="recent-list">
              <For each={recent()}>{(entry) => <RecentRow entry={entry} />}</For>
            </ul>
          </section>
        </Show>

        <section class="home-section" aria-labelledby="examples-title">
          <h2 id="examples-title">Examples</h2>
          <Show
            when={!examples.error}
            fallback={<p class="muted">The examples could not be loaded ({String((examples.error as Error)?.message ?? examples.error)}).</p>}
          >
            <div class="example-grid" aria-busy={examples.loading}>
              <Show when={!examples.loading} fallback={<For each={[1, 2, 3]}>{() => <div class="example-card skeleton-card" />}</For>}>
                <For each={examples()} fallback={<p class="muted">No examples are installed.</p>}>
                  {(example) => (
                    <a class="example-card" href={formatRoute({ kind: 'example', path: example.path })}>
                      <span class="example-title">{example.title}</span>
                      <span class="example-description">{example.description}</span>
                      <span class="example-open" aria-hidden="true">Open →</span>
                    </a>
                  )}
                </For>
              </Show>
            </div>
          </Show>
        </section>
      </main>
      <DropOverlay label="Drop a notebook to open it" onFiles={(files) => files[0] && props.onOpenFile(files[0])} />
    </div>
  );
}

function RecentRow(props: { entry: RecentNotebook }) {
  const when = () => new Date(props.entry.openedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const kind = () => ({ example: 'Example', new: 'Draft', file: 'File' })[props.entry.origin.kind] ?? props.entry.origin.kind;
  return (
    <li>
      <a class="recent-row" href={formatRoute({ kind: 'recent', id: props.entry.id })}>
        <span class="recent-title">{props.entry.title}</span>
        <span class="recent-kind">{kind()}</span>
        <span class="recent-when">{when()}</span>
      </a>
    </li>
  );
}
