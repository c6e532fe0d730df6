import { For, Show, createEffect, createMemo, createSignal, createUniqueId } from 'solid-js';
import { choiceIndex, choicesOf } from '../widget-options.ts';
import type { ControlProps } from './control-props.ts';
import { createLocalValue } from './local-value.ts';
import './multi-select.css';

/** Options drawn in the list at once; typing narrows a longer list (thousands of options stay fast). */
const SHOWN_OPTIONS = 200;

/**
 * `select(label, options, {multiple: true})`: a searchable combobox with
 * chips (the WAI-ARIA combobox pattern with a multi-selectable listbox).
 * Typing filters the options; a click, a tap or Enter adds or removes one
 * (no Ctrl); a chip's ✕ or Backspace in the empty field removes one; "Select
 * all" and "None" set the whole choice. The value is the chosen options in
 * the options' order, `[]` for none, which the control states as "None
 * selected".
 */
export function MultiSelect(props: ControlProps) {
  const id = createUniqueId();
  const choices = () => choicesOf(props.spec);
  const [value, setValue] = createLocalValue(() => props.spec.value);
  /** Indexes of the chosen options (values the options no longer hold are dropped). */
  const chosen = createMemo(() => {
    const current = value();
    const list = choices();
    const picked = new Set<number>();
    if (Array.isArray(current)) for (const v of current) {
      const at = choiceIndex(list, v);
      if (at >= 0) picked.add(at);
    }
    return picked;
  });
  const [query, setQuery] = createSignal('');
  const [open, setOpen] = createSignal(false);
  const [active, setActive] = createSignal(0);
  /** Indexes of the options matching the typed text, in option order. */
  const matching = createMemo(() => {
    const text = query().trim().toLowerCase();
    const all = choices().map((_, i) => i);
    return text ? all.filter((i) => choices()[i]!.label.toLowerCase().includes(text)) : all;
  });
  const shown = () => matching().slice(0, SHOWN_OPTIONS);
  const optionId = (index: number) => `${id}-option-${index}`;
  let input!: HTMLInputElement;
  let list: HTMLUListElement | undefined;

  const commit = (indexes: Set<number>) => {
    const next = choices().flatMap((choice, i) => (indexes.has(i) ? [choice.value] : []));
    setValue(next);
    props.onValue(next);
  };
  const toggle = (index: number) => {
    const next = new Set(chosen());
    if (next.has(index)) next.delete(index);
    else next.add(index);
    commit(next);
  };
  /** A pick from the list: toggles it and, as Streamlit's multiselect does, clears the search for the next one. */
  const pick = (index: number) => {
    toggle(index);
    if (query() === '') return;
    setQuery('');
    setActive(Math.max(0, shown().indexOf(index)));
  };
  const moveActive = (step: number) => {
    const count = shown().length;
    if (count === 0) return;
    setActive((at) => (Math.min(Math.max(at, 0), count - 1) + step + count) % count);
  };
  // Keep the active option in range and in view as the list narrows or the keys move it.
  createEffect(() => {
    const count = shown().length;
    if (active() >= count) setActive(Math.max(0, count - 1));
  });
  createEffect(() => {
    if (!open()) return;
    const index = shown()[active()];
    if (index !== undefined) list?.querySelector(`#${CSS.escape(optionId(index))}`)?.scrollIntoView({ block: 'nearest' });
  });

  const keydown = (event: KeyboardEvent) => {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        event.preventDefault();
        if (!open()) {
          setOpen(true);
          if (event.altKey) return;
          setActive(event.key === 'ArrowDown' ? 0 : shown().length - 1);
          return;
        }
        moveActive(event.key === 'ArrowDown' ? 1 : -1);
        return;
      }
      case 'Enter': {
        const index = shown()[active()];
        if (!open() || index === undefined) return;
        event.preventDefault();
        pick(index);
        return;
      }
      case 'Escape':
        if (open()) {
          event.preventDefault();
          setOpen(false);
        } else if (query()) {
          event.preventDefault();
          setQuery('');
        }
        return;
      case 'Backspace': {
        if (input.value !== '' || chosen().size === 0) return;
        const last = Math.max(...chosen());
        toggle(last);
        return;
      }
      case 'Tab':
        setOpen(false);
        return;
    }
  };

  const status = () => {
    const count = chosen().size;
    if (count === 0) return 'None selected';
    return count === choices().length ? `All ${count} selected` : `${count} of ${choices().length} selected`;
  };
  const activeId = () => {
    const index = shown()[active()];
    return open() && index !== undefined ? optionId(index) : undefined;
  };

  return (
    <div
      class="control control-select control-multi-select"
      classList={{ 'is-open': open() }}
      onFocusOut={(event) => {
        // Close when focus leaves the whole control (not when it moves between its parts).
        const next = event.relatedTarget as Node | null;
        if (!next || !event.currentTarget.contains(next)) setOpen(false);
      }}
    >
      <div class="control-label-row">
        <label class="control-label" for={`${id}-input`}>{props.spec.label}</label>
        <span class="multi-select-actions">
          <output class="multi-select-status" id={`${id}-status`} aria-live="polite" classList={{ 'is-empty': chosen().size === 0 }}>
            {status()}
          </output>
          <button
            type="button"
            class="multi-select-action"
            aria-label={`Select all ${props.spec.label}`}
            disabled={props.disabled || chosen().size === choices().length}
            onClick={() => commit(new Set(choices().map((_, i) => i)))}
          >
            Select all
          </button>
          <button
            type="button"
            class="multi-select-action"
            aria-label={`Select none of ${props.spec.label}`}
            disabled={props.disabled || chosen().size === 0}
            onClick={() => commit(new Set())}
          >
            None
          </button>
        </span>
      </div>
      <div class="multi-select-box" onClick={(event) => {
        if (event.target === event.currentTarget) input.focus();
      }}>
        <ul class="multi-select-chips" aria-label={`${props.spec.label}: selected`}>
          <For each={[...chosen()].sort((a, b) => a - b)}>
            {(index) => (
              <li class="multi-select-chip">
                <span class="multi-select-chip-text">{choices()[index]?.label}</span>
                <button
                  type="button"
                  class="multi-select-chip-remove"
                  // Out of the Tab order: the keyboard removes through the list (Enter) or Backspace.
                  tabIndex={-1}
                  aria-label={`Remove ${choices()[index]?.label}`}
                  title={`Remove ${choices()[index]?.label}`}
                  disabled={props.disabled}
                  onClick={() => {
                    toggle(index);
                    input.focus();
                  }}
                >
                  ✕
                </button>
              </li>
            )}
          </For>
        </ul>
        <input
          ref={input}
          id={`${id}-input`}
          class="multi-select-input"
          type="text"
          role="combobox"
          autocomplete="off"
          spellcheck={false}
          aria-autocomplete="list"
          aria-expanded={open()}
          aria-controls={`${id}-list`}
          aria-activedescendant={activeId()}
          aria-describedby={`${id}-status`}
          placeholder={chosen().size === 0 ? 'None selected · type to search' : 'Type to search'}
          value={query()}
          disabled={props.disabled}
          onInput={(event) => {
            setQuery(event.currentTarget.value);
            setActive(0);
            setOpen(true);
          }}
          onClick={() => setOpen(true)}
          onKeyDown={keydown}
        />
      </div>
      <div class="multi-select-popup" hidden={!open()}>
        <ul
          ref={list}
          id={`${id}-list`}
          class="multi-select-list"
          role="listbox"
          aria-multiselectable="true"
          aria-label={props.spec.label}
        >
          <For each={shown()}>
            {(index, at) => (
              <li
                id={optionId(index)}
                role="option"
                class="multi-select-option"
                classList={{ 'is-active': at() === active() }}
                aria-selected={chosen().has(index)}
                // Keep focus in the field, so picking several is click, click, click.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => {
                  setActive(at());
                  pick(index);
                }}
              >
                <span class="multi-select-check" aria-hidden="true" />
                <span>{choices()[index]?.label}</span>
              </li>
            )}
          </For>
        </ul>
        <Show when={matching().length === 0}>
          <p class="multi-select-note">No option matches “{query()}”.</p>
        </Show>
        <Show when={matching().length > SHOWN_OPTIONS}>
          <p class="multi-select-note">{matching().length - SHOWN_OPTIONS} more: type to narrow.</p>
        </Show>
      </div>
    </div>
  );
}
