import type { EngineSpec } from '../notebook/types.ts';

/**
 * Asks the reader for an engine's password, in the card of a cell the
 * engine refused. The password goes to the data worker only (never the
 * notebook's code), is sent only to the engine's own address, and is kept
 * in this browser for this notebook — for a shared link's notebook, only
 * while the page is open.
 */
export function EnginePasswordForm(props: { engine: string; spec: EngineSpec; shared: boolean; onSubmit: (password: string) => void }) {
  let input!: HTMLInputElement;
  const host = () => {
    try {
      return new URL(props.spec.url).host;
    } catch {
      return props.spec.url;
    }
  };
  return (
    <form
      class="engine-password"
      onSubmit={(event) => {
        event.preventDefault();
        if (input.value === '') return input.focus();
        props.onSubmit(input.value);
        input.value = '';
      }}
    >
      <label class="engine-password-label">
        <span>
          Password{props.spec.user ? <> of <code>{props.spec.user}</code></> : null} for <code>{props.engine}</code>
        </span>
        <input ref={input} type="password" autocomplete="off" spellcheck={false} aria-describedby={`engine-password-note-${props.engine}`} />
      </label>
      <button type="submit" class="button button-primary">Connect</button>
      <p class="engine-password-note" id={`engine-password-note-${props.engine}`}>
        Sent only to {host()}. {props.shared ? 'Kept while this page is open.' : 'Kept in this browser for this notebook.'} Never part of links or saved outputs.
      </p>
    </form>
  );
}
