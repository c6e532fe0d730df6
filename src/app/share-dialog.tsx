import { For, Show, createSignal, onMount } from 'solid-js';
import type { ShareLink } from '../client/session-types.ts';
import { formatNumber } from './value-format.ts';

/**
 * The share link in a selectable field, copied to the clipboard on open.
 * Warns when the link is too long for chat tools to carry intact, and when
 * files dropped in this browser will not travel with it (and how to include them).
 */
export function ShareDialog(props: { share: ShareLink; onClose: () => void }) {
  let dialog!: HTMLDialogElement;
  let field!: HTMLInputElement;
  const [copied, setCopied] = createSignal(false);
  const copy = async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(props.share.url);
      setCopied(true);
    } catch {
      // Clipboard permission denied: the text stays selected for Ctrl+C.
      setCopied(false);
    }
  };
  onMount(() => {
    dialog.showModal();
    field.select();
    void copy();
  });
  return (
    <dialog ref={dialog} class="dialog share-dialog" aria-labelledby="share-title" onClose={props.onClose}>
      <h2 id="share-title">{props.share.view ? 'Share this view' : 'Share this app'}</h2>
      <p class="dialog-text">
        {props.share.view
          ? 'The link opens this app with the inputs as they are now (they are in its address, which follows every change). It carries no code, so nobody is asked to trust it.'
          : 'The link carries the notebook and the current input values. Anyone who opens it runs the app in their own browser.'}
      </p>
      <div class="share-row">
        <input ref={field} class="share-url" type="text" readOnly value={props.share.url} aria-label="Share link" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="button button-primary" onClick={() => void copy()}>
          {copied() ? 'Copied' : 'Copy'}
        </button>
      </div>
      <Show when={props.share.leftOut.length > 0}>
        <div class="share-warning share-left-out" role="alert">
          <p>
            {props.share.leftOut.length === 1 ? 'This file was' : 'These files were'} dropped in this browser and{' '}
            <strong>will not travel with the link</strong>; cells that read {props.share.leftOut.length === 1 ? 'its table' : 'their tables'} will wait for
            data on the other side:
          </p>
          <ul>
            <For each={props.share.leftOut}>
              {(left) => (
                <li>
                  <code>{left.file}</code> (table <code>{left.table}</code>)
                </li>
              )}
            </For>
          </ul>
          <p>
            To include data, put the file at an https URL (or next to the notebook when you deploy it with <code>brook build</code>)
            and name it under <code>data:</code> in the front matter (Notebook mode → Notebook settings → Data tables). Or send the
            file along: the person who opens the link can drop it on the page.
          </p>
        </div>
      </Show>
      <Show when={props.share.tooLong}>
        <p class="share-warning" role="alert">
          This link is {formatNumber(props.share.bytes)} bytes long. Some chat and mail tools cut long links; download the
          .md file to share the notebook instead.
        </p>
      </Show>
      <div class="dialog-actions">
        <button type="button" class="button" onClick={() => dialog.close()}>
          Done
        </button>
      </div>
    </dialog>
  );
}
