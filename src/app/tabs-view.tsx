import { Index, createSignal, createUniqueId } from 'solid-js';
import type { LayoutNode } from '../notebook/types.ts';
import { LayoutView } from './layout-view.tsx';

/**
 * `::: tabs`: ARIA tabs. Arrow keys, Home and End move between tabs
 * (automatic activation); every panel stays mounted so inputs keep their state.
 */
export function TabsView(props: { children: LayoutNode[] }) {
  const id = createUniqueId();
  const [selected, setSelected] = createSignal(0);
  const tabs = () =>
    props.children.map((child, i) =>
      child.type === 'tab' ? { title: child.title, nodes: child.children } : { title: `Tab ${i + 1}`, nodes: [child] },
    );
  const buttons: HTMLButtonElement[] = [];
  const onKey = (event: KeyboardEvent) => {
    const count = tabs().length;
    const moves: Record<string, number> = {
      ArrowRight: (selected() + 1) % count,
      ArrowLeft: (selected() - 1 + count) % count,
      Home: 0,
      End: count - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    setSelected(next);
    buttons[next]?.focus();
  };
  return (
    <div class="layout-tabs">
      <div class="tab-list" role="tablist" onKeyDown={onKey}>
        {/* By position: the layout is derived anew as the notebook changes, and tab buttons made anew
            for it would drop the focus under the reader's arrow keys. */}
        <Index each={tabs()}>
          {(tab, i) => (
            <button
              ref={(el) => (buttons[i] = el)}
              type="button"
              role="tab"
              id={`${id}-tab-${i}`}
              aria-controls={`${id}-panel-${i}`}
              aria-selected={selected() === i}
              tabindex={selected() === i ? 0 : -1}
              class="tab"
              onClick={() => setSelected(i)}
            >
              {tab().title}
            </button>
          )}
        </Index>
      </div>
      <Index each={tabs()}>
        {(tab, i) => (
          <div
            role="tabpanel"
            id={`${id}-panel-${i}`}
            aria-labelledby={`${id}-tab-${i}`}
            hidden={selected() !== i}
            class="tab-panel"
          >
            <LayoutView nodes={tab().nodes} />
          </div>
        )}
      </Index>
    </div>
  );
}
