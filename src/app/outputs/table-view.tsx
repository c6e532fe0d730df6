import { For, Show, createEffect, createMemo, createSignal, on, onCleanup, onMount } from 'solid-js';
import type { SortSpec, TableOutput } from '../../runtime/protocol.ts';
import { useNotebook } from '../notebook-context.ts';
import {
  BLOCK_SIZE,
  blockInHead,
  blocksFor,
  columnWidths,
  nextSort,
  sortKey,
  visibleRange,
} from '../table-window.ts';
import { formatCell, formatNumber, isNumericType } from '../value-format.ts';

const ROW_HEIGHT = 30;
const MAX_BODY_HEIGHT = 420;

type Row = Record<string, unknown>;

/** Row selection for `table(data, {select})`: which rows are chosen, and how a person changes that. */
export interface RowSelection {
  label: string;
  multiple: boolean;
  disabled: boolean;
  isSelected: (row: Row) => boolean;
  toggle: (row: Row) => void;
}

/**
 * A query result or array of objects: sortable, scrollable, virtualized.
 * Only the rows on screen exist in the DOM; rows arrive in blocks of
 * `BLOCK_SIZE` from `session.rows`, and `head` paints the first screen with no
 * round trip. Cells are text, never markup.
 */
export function TableView(props: { table: TableOutput; selection?: RowSelection }) {
  const { session } = useNotebook();
  let scroller!: HTMLDivElement;
  const [scrollTop, setScrollTop] = createSignal(0);
  const [viewport, setViewport] = createSignal(MAX_BODY_HEIGHT);
  const [sort, setSort] = createSignal<SortSpec>();
  const [loaded, setLoaded] = createSignal(0);
  const [failure, setFailure] = createSignal<string>();
  const blocks = new Map<string, Row[]>();
  const inflight = new Set<string>();

  const columns = () => props.table.columns;
  const rowCount = () => props.table.rowCount;
  const widths = createMemo(() => columnWidths(columns(), props.table.head));
  const gutter = createMemo(() => Math.max(3, String(rowCount()).length) + 2 + (props.selection ? 3 : 0));
  const template = () => `${gutter()}ch ${widths().map((w) => `minmax(${w}ch, 1fr)`).join(' ')}`;
  const minWidth = () => gutter() + widths().reduce((sum, w) => sum + w, 0);
  const range = createMemo(() => visibleRange(scrollTop(), viewport(), rowCount(), ROW_HEIGHT));

  // A new result (the cell re-ran) invalidates every fetched block.
  createEffect(on(() => props.table, () => {
    blocks.clear();
    inflight.clear();
    setFailure(undefined);
    setLoaded((n) => n + 1);
  }, { defer: true }));

  createEffect(() => {
    const { first, end } = range();
    const currentSort = sort();
    const key = sortKey(currentSort);
    const table = props.table;
    for (const block of blocksFor(first, end)) {
      const id = `${key}|${block}`;
      if (blocks.has(id) || inflight.has(id)) continue;
      if (!currentSort && blockInHead(block, table.rowCount, table.head.length)) continue;
      inflight.add(id);
      session
        .rows(table.source, block * BLOCK_SIZE, BLOCK_SIZE, currentSort)
        .then((rows) => {
          if (table !== props.table) return;
          blocks.set(id, rows);
          setLoaded((n) => n + 1);
        })
        .catch((error: unknown) => setFailure(error instanceof Error ? error.message : String(error)))
        .finally(() => inflight.delete(id));
    }
  });

  const rowAt = (index: number): Row | undefined => {
    loaded();
    const currentSort = sort();
    const block = Math.floor(index / BLOCK_SIZE);
    const rows = blocks.get(`${sortKey(currentSort)}|${block}`);
    if (rows) return rows[index - block * BLOCK_SIZE];
    return currentSort ? undefined : props.table.head[index];
  };

  const indices = createMemo(() => {
    const { first, end } = range();
    return Array.from({ length: end - first }, (_, i) => first + i);
  });

  onMount(() => {
    const observer = new ResizeObserver(() => setViewport(Math.max(ROW_HEIGHT, scroller.clientHeight - headerHeight())));
    observer.observe(scroller);
    onCleanup(() => observer.disconnect());
  });
  const headerHeight = () => scroller.querySelector<HTMLElement>('.table-head')?.offsetHeight ?? 44;

  const toggleSort = (column: string) => {
    setSort((current) => nextSort(current, column));
  };
  const ariaSort = (column: string) => {
    const current = sort();
    if (current?.column !== column) return 'none';
    return current.direction === 'asc' ? 'ascending' : 'descending';
  };

  return (
    <div class="table-output">
      <div
        ref={scroller}
        class="table-scroll"
        role="table"
        aria-rowcount={rowCount() + 1}
        aria-colcount={columns().length}
        tabindex="0"
        style={{ 'max-height': `${MAX_BODY_HEIGHT + 46}px` }}
        onScroll={() => setScrollTop(scroller.scrollTop)}
      >
        <div class="table-grid" style={{ '--cols': template(), 'min-width': `${minWidth()}ch` }}>
          <div class="table-head" role="row" aria-rowindex={1}>
            <div class="table-gutter table-th" aria-hidden="true" />
            <For each={columns()}>
              {(column) => (
                <div
                  class={`table-th ${isNumericType(column.type) ? 'is-numeric' : ''}`}
                  role="columnheader"
                  aria-sort={ariaSort(column.name)}
                  tabindex="0"
                  title={`Sort by ${column.name}`}
                  onClick={() => toggleSort(column.name)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      toggleSort(column.name);
                    }
                  }}
                >
                  <span class="table-th-name">
                    {column.name}
                    <span class="sort-mark" aria-hidden="true">
                      {ariaSort(column.name) === 'ascending' ? '↑' : ariaSort(column.name) === 'descending' ? '↓' : ''}
                    </span>
                  </span>
                  <span class="table-th-type">{column.type}</span>
                </div>
              )}
            </For>
          </div>
          <div class="table-body" role="rowgroup" style={{ height: `${range().height}px` }}>
            <For each={indices()}>
              {(index) => (
                <div
                  class="table-row"
                  classList={{ 'is-selected': !!props.selection && !!rowAt(index) && props.selection.isSelected(rowAt(index)!) }}
                  role="row"
                  aria-rowindex={index + 2}
                  aria-selected={props.selection ? !!rowAt(index) && props.selection.isSelected(rowAt(index)!) : undefined}
                  style={{ transform: `translateY(${range().top + (index - range().first) * ROW_HEIGHT}px)` }}
                >
                  <Show when={props.selection} fallback={<div class="table-gutter table-td" aria-hidden="true">{index + 1}</div>}>
                    {(selection) => (
                      <label class="table-gutter table-td">
                        <input
                          type="checkbox"
                          class="table-select"
                          aria-label={`Select row ${index + 1} of ${selection().label}`}
                          checked={!!rowAt(index) && selection().isSelected(rowAt(index)!)}
                          disabled={selection().disabled || !rowAt(index)}
                          onChange={(event) => {
                            const row = rowAt(index);
                            if (row) selection().toggle(row);
                            else event.currentTarget.checked = false;
                          }}
                        />
                        <span aria-hidden="true">{index + 1}</span>
                      </label>
                    )}
                  </Show>
                  <Show
                    when={rowAt(index)}
                    fallback={<For each={columns()}>{() => <div class="table-td is-loading" role="cell"><span /></div>}</For>}
                  >
                    {(row) => (
                      <For each={columns()}>
                        {(column) => {
                          const cell = () => formatCell(row()[column.name], column.type);
                          return (
                            <div class={`table-td is-${cell().kind}`} role="cell">
                              {cell().text}
                            </div>
                          );
                        }}
                      </For>
                    )}
                  </Show>
                </div>
              )}
            </For>
          </div>
        </div>
      </div>
      <div class="table-foot">
        <span>
          {formatNumber(rowCount())} {rowCount() === 1 ? 'row' : 'rows'} · {columns().length}{' '}
          {columns().length === 1 ? 'column' : 'columns'}
        </span>
        <Show when={sort()}>
          {(current) => (
            <span>
              sorted by {current().column} {current().direction === 'asc' ? 'ascending' : 'descending'}
            </span>
          )}
        </Show>
        <Show when={failure()}>
          <span class="table-failure" role="alert">Could not load rows: {failure()}</span>
        </Show>
      </div>
    </div>
  );
}
