import { For, Show, createEffect, createSignal, onCleanup, type JSX } from 'solid-js';

/** One entry of a {@link MenuButton}. */
export interface MenuEntry {
  label: string;
  onSelect: () => void;
  danger?: boolean;
  /** Set for an on/off entry (`menuitemcheckbox`): whether it is on. */
  checked?: boolean;
}

let menuCount = 0;

/**
 * A button that opens a menu, per the WAI-ARIA menu button pattern: Enter,
 * Space or ↓ opens it on its first entry (↑ on its last); ↑/↓ move between
 * entries (wrapping), Home/End jump; Escape closes it and puts focus back on
 * the button; Tab, a click outside or focus leaving it close it too.
 */
export function MenuButton(props: { label: string; items: MenuEntry[]; icon?: JSX.Element; class?: string }) {
  const id = `menu-${++menuCount}`;
  const [open, setOpen] = createSignal(false);
  let root!: HTMLDivElement;
  let button!: HTMLButtonElement;
  let menu!: HTMLDivElement;

  const entries = () => [...menu.querySelectorAll<HTMLElement>('[role^="menuitem"]')];
  const focusAt = (index: number) => {
    const list = entries();
    if (list.length > 0) list[(index + list.length) % list.length]!.focus();
  };
  const show = (at: 'first' | 'last') => {
    setOpen(true);
    keepOnScreen();
    focusAt(at === 'first' ? 0 : -1);
  };
  // The menu hangs from the button's right edge; near the left edge of a phone it is shifted back on screen.
  const keepOnScreen = () => {
    menu.style.transform = '';
    const { left, right } = menu.getBoundingClientRect();
    const margin = 8;
    const shift = left < margin ? margin - left : right > innerWidth - margin ? innerWidth - margin - right : 0;
    if (shift !== 0) menu.style.transform = `translateX(${Math.round(shift)}px)`;
  };
  const close = (refocus: boolean) => {
    if (!open()) return;
    setOpen(false);
    if (refocus) button.focus();
  };

  // A press anywhere outside closes it (focus stays where the press put it).
  createEffect(() => {
    if (!open()) return;
    const outside = (event: Event) => {
      if (!root.contains(event.target as Node)) close(false);
    };
    document.addEventListener('pointerdown', outside, true);
    onCleanup(() => document.removeEventListener('pointerdown', outside, true));
  });

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      show(event.key === 'ArrowDown' ? 'first' : 'last');
    }
  };
  const onMenuKey = (event: KeyboardEvent) => {
    const list = entries();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, () => void> = {
      ArrowDown: () => focusAt(at + 1),
      ArrowUp: () => focusAt(at - 1),
      Home: () => focusAt(0),
      End: () => focusAt(-1),
      Escape: () => close(true),
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      event.stopPropagation();
      move();
    } else if (event.key === 'Tab') {
      close(false);
    }
  };
  const select = (entry: MenuEntry) => {
    // Closed first, so a confirm() the entry opens does not sit under an open menu.
    close(true);
    entry.onSelect();
  };

  return (
    <div
      ref={root}
      class={`menu ${props.class ?? ''}`}
      onFocusOut={(event) => {
        if (!root.contains(event.relatedTarget as Node | null) && event.relatedTarget !== null) close(false);
      }}
    >
      <button
        ref={button}
        type="button"
        class="icon-button menu-button"
        aria-label={props.label}
        title={props.label}
        aria-haspopup="menu"
        aria-expanded={open()}
        aria-controls={id}
        onClick={() => (open() ? close(true) : show('first'))}
        onKeyDown={onButtonKey}
      >
        {props.icon ?? <MoreIcon />}
      </button>
      <div ref={menu} id={id} class="menu-items" role="menu" aria-label={props.label} hidden={!open()} onKeyDown={onMenuKey}>
        <For each={props.items}>
          {(entry) => (
            <button
              type="button"
              role={entry.checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
              aria-checked={entry.checked === undefined ? undefined : entry.checked}
              tabindex="-1"
              class={entry.danger ? 'danger' : undefined}
              onClick={() => select(entry)}
            >
              <Show when={entry.checked !== undefined}>
                <span class="menu-check" aria-hidden="true">{entry.checked ? '✓' : ''}</span>
              </Show>
              {entry.label}
            </button>
          )}
        </For>
      </div>
    </div>
  );
}

/** Three dots: "more actions". */
export function MoreIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <circle cx="3" cy="8" r="1.4" fill="currentColor" />
      <circle cx="8" cy="8" r="1.4" fill="currentColor" />
      <circle cx="13" cy="8" r="1.4" fill="currentColor" />
    </svg>
  );
}
