import { createSignal, onCleanup, type Accessor } from 'solid-js';

/** Follows the OS colour scheme (`prefers-color-scheme: dark`) live. */
export function createPrefersDark(): Accessor<boolean> {
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  const [dark, setDark] = createSignal(query.matches);
  const onChange = (event: MediaQueryListEvent) => setDark(event.matches);
  query.addEventListener('change', onChange);
  onCleanup(() => query.removeEventListener('change', onChange));
  return dark;
}
