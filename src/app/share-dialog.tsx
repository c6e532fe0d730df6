import { Show, createSignal, onMount } from 'solid-js';
import { formatNumber } from './value-format.ts';

/**
 * The share link in a selectable field, copied to the clipboard on open.
 * Warns when the link is too long for chat tools to carry intact.
 */
export function ShareDialog(props: { share: { url: string; bytes: number; tooLong: boolean; view?: boolean }; onClose: () => void }) {
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
