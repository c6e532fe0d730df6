import type { EngineAddress } from '../notebook/types.ts';
import { For, Show, onMount } from 'solid-js';
import { formatNumber } from './value-format.ts';
import { timeoutText } from '../client/cell-timeout.ts';
import { engineDifferences, summarizeShared } from './shared-summary.ts';

/** What the person chose for a shared notebook. */
export interface TrustChoice {
  blockNetwork: boolean;
}

/**
 * Shown before a notebook from someone else's link runs: what it is, where
 * its code runs and what it cannot reach, and a choice to run it with or
 * without network access. Nothing of the notebook runs until a choice is made.
 */
export function TrustPrompt(props: {
  source: string;
  inputs?: Record<string, unknown>;
  /** A built app's own engines (its config): a link naming other ones says so. Absent in the studio. */
  builtEngines?: Record<string, EngineAddress>;
  onChoose: (choice: TrustChoice) => void;
}) {
  const summary = summarizeShared(props.source);
  const differences = props.builtEngines ? engineDifferences(summary.engines, props.builtEngines) : [];
  // The card takes focus (not a button) so Enter never runs it unread and a screen reader reads it first.
  let card!: HTMLElement;
  onMount(() => card.focus());
  const plural = (n: number, word: string) => `${formatNumber(n)} ${word}${n === 1 ? '' : 's'}`;
  return (
    <div class="trust-page">
      <section ref={card} tabindex="-1" class="trust-card" role="dialog" aria-modal="true" aria-labelledby="trust-title" aria-describedby="trust-what trust-where">
        <div class="trust-kicker">Shared link</div>
        <h1 id="trust-title">Run this shared notebook?</h1>
        <dl class="trust-facts" id="trust-what">
          <div>
            <dt>Notebook</dt>
            <dd class="trust-name">{summary.title ?? 'Untitled notebook'}</dd>
          </div>
          <div>
            <dt>Cells</dt>
            <dd>
              {plural(summary.cells, 'cell')}, {formatNumber(summary.codeCells)} with code
            </dd>
          </div>
          <div>
            <dt>Tables it reads</dt>
            <dd>
              <Show when={summary.tables.length > 0} fallback={<span class="trust-none">none</span>}>
                <For each={summary.tables}>{(name) => <code class="trust-table">{name}</code>}</For>
              </Show>
            </dd>
          </div>
          <Show when={Object.keys(props.inputs ?? {}).length > 0}>
            <div>
              <dt>Input values</dt>
              <dd>{plural(Object.keys(props.inputs ?? {}).length, 'input')} set by the link</dd>
            </div>
          </Show>
          <div>
            <dt>Time limit</dt>
            <dd>a cell that keeps the page's runtime busy for {timeoutText(summary.timeoutMs)} is stopped</dd>
          </div>
          <Show when={summary.engines.length > 0}>
            <div>
              <dt>Queries engines</dt>
              <dd class="trust-engines">
                <For each={summary.engines}>
                  {(engine) => (
                    <span class="trust-engine">
                      <code class="trust-table">{engine.name}</code> at <code>{engine.url}</code>
                      {engine.user ? <> as <code>{engine.user}</code></> : null}
                    </span>
                  )}
                </For>
              </dd>
            </div>
          </Show>
          <Show when={differences.length > 0}>
            <div class="trust-differs" role="note">
              <dt>Not this app's engines</dt>
              <dd>
                <For each={differences}>{(line) => <span class="trust-engine">{line}</span>}</For>
              </dd>
            </div>
          </Show>
          <Show when={summary.remoteData.length > 0}>
            <div>
              <dt>Loads from the web</dt>
              <dd>
                <For each={summary.remoteData}>{(url) => <code class="trust-table">{url}</code>}</For>
              </dd>
            </div>
          </Show>
        </dl>
        <p class="trust-where" id="trust-where">
          Someone else wrote this notebook. Its code runs in your browser, in an isolated worker: it cannot read
          this site's pages, cookies or the saved data of your other notebooks. With network access it can
          load data from the web (and send what it computes there); without it, it cannot make any request.
          {summary.engines.length > 0
            ? ' Its SQL on an engine runs there, as the user shown, only with network access; a password you type goes only to that engine.'
            : ''}
        </p>
        <details class="trust-source">
          <summary>Show the notebook source</summary>
          <pre>{props.source}</pre>
        </details>
        <div class="trust-actions">
          <button type="button" class="button" onClick={() => props.onChoose({ blockNetwork: true })}>
            Run without network access
          </button>
          <button type="button" class="button button-primary" onClick={() => props.onChoose({ blockNetwork: false })}>
            Run
          </button>
        </div>
      </section>
    </div>
  );
}
