import { createEffect, createSignal, onCleanup, type Accessor } from 'solid-js';

/** How long a cell must be running before it says so: fast runs never flicker. */
export const PENDING_DELAY_MS = 300;

/** True once `pending()` has stayed true for `PENDING_DELAY_MS`. */
export function createDelayedPending(pending: Accessor<boolean>): Accessor<boolean> {
  const [shown, setShown] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(() => {
    clearTimeout(timer);
    if (pending()) timer = setTimeout(() => setShown(true), PENDING_DELAY_MS);
    else setShown(false);
  });
  onCleanup(() => clearTimeout(timer));
  return shown;
}
