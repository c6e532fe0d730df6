import { Index, Match, Switch } from 'solid-js';
import type { LayoutNode } from '../notebook/types.ts';
import { CellView } from './cell-view.tsx';
import { TabsView } from './tabs-view.tsx';

/**
 * The app-mode body: cells arranged by the notebook's `:::` containers.
 * `Index` keys by position, so an edit that renumbers cells updates cells in
 * place instead of re-creating them. Sidebar cells are filtered out by the caller.
 */
export function LayoutView(props: { nodes: LayoutNode[] }) {
  return (
    <Index each={props.nodes}>
      {(node) => (
        <Switch>
          <Match when={node().type === 'cell' && (node() as Extract<LayoutNode, { type: 'cell' }>)}>
            {(cell) => <CellView cellId={cell().cellId} />}
          </Match>
          <Match when={node().type === 'columns' && (node() as Extract<LayoutNode, { type: 'columns' }>)}>
            {(columns) => (
              <div class="layout-columns" style={{ '--count': columns().children.length }}>
                <Index each={columns().children}>
                  {(child) => (
                    <div class="layout-column">
                      <LayoutView nodes={[child()]} />
                    </div>
                  )}
                </Index>
              </div>
            )}
          </Match>
          <Match when={node().type === 'tabs' && (node() as Extract<LayoutNode, { type: 'tabs' }>)}>
            {(tabs) => <TabsView children={tabs().children} />}
          </Match>
          <Match when={node().type === 'tab' && (node() as Extract<LayoutNode, { type: 'tab' }>)}>
            {/* A tab outside `::: tabs` is shown as a plain group. */}
            {(tab) => <LayoutView nodes={tab().children} />}
          </Match>
          <Match when={node().type === 'expander' && (node() as Extract<LayoutNode, { type: 'expander' }>)}>
            {(expander) => (
              <details class="layout-expander">
                <summary>{expander().title}</summary>
                <div class="layout-expander-body">
                  <LayoutView nodes={expander().children} />
                </div>
              </details>
            )}
          </Match>
        </Switch>
      )}
    </Index>
  );
}

/** The layout without sidebar cells (those render in the sidebar). */
export function withoutCells(nodes: LayoutNode[], drop: Set<string>): LayoutNode[] {
  const kept: LayoutNode[] = [];
  for (const node of nodes) {
    if (node.type === 'cell') {
      if (!drop.has(node.cellId)) kept.push(node);
    } else {
      kept.push({ ...node, children: withoutCells(node.children, drop) });
    }
  }
  return kept;
}
