import { Match, Show, Switch, type Accessor } from 'solid-js';
import type { DevSyncState } from '../client/dev-sync.ts';

/** What the page shows of `brook dev`'s write-back (src/client/dev-sync.ts). */
export interface DevFile {
  /** The notebook file's name. */
  name: string;
  state: Accessor<DevSyncState>;
  keepMine(): void;
  takeFile(): void;
  retry(): void;
}

/** The header's word on the file: saved to it, or saving. Problems are the banner's. */
export function DevFileChip(props: { file: DevFile }) {
  return (
    <Show when={props.file.state().kind === 'saved' || props.file.state().kind === 'saving'}>
      <span class="file-status" role="status" title="brook dev writes your edits in this page to the notebook file">
        {props.file.state().kind === 'saving' ? `Saving to ${props.file.name}…` : `Saved to ${props.file.name}`}
      </span>
    </Show>
  );
}

/**
 * Under the header when the page's edits and the file disagree: the file
 * changed on disk while this page had edits of its own (keep mine / take the
 * file), or writing failed (retry). Nothing is dropped until the person chooses.
 */
export function DevFileBanner(props: { file: DevFile }) {
  return (
    <Switch>
      <Match when={props.file.state().kind === 'conflict'}>
        <div class="file-banner" role="alert">
          <p>
            <strong>{props.file.name} changed on disk</strong> while this page had edits that are not in it. Which version do you
            want?
          </p>
          <div class="file-banner-actions">
            <button type="button" class="button button-primary" onClick={() => props.file.keepMine()}>
              Keep mine (write this page's version to {props.file.name})
            </button>
            <button type="button" class="button" onClick={() => props.file.takeFile()}>
              Take the file (discard this page's edits)
            </button>
          </div>
        </div>
      </Match>
      <Match when={props.file.state().kind === 'failed' && (props.file.state() as Extract<DevSyncState, { kind: 'failed' }>)}>
        {(failed) => (
          <div class="file-banner" role="alert">
            <p>
              <strong>Your edits are not in {props.file.name} yet.</strong> {failed().message}
            </p>
            <div class="file-banner-actions">
              <button type="button" class="button" onClick={() => props.file.retry()}>
                Try again
              </button>
            </div>
          </div>
        )}
      </Match>
    </Switch>
  );
}
