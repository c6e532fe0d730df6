import { For, Show, createEffect, createMemo, createSignal, on } from 'solid-js';
import { isBindableName } from '../notebook/identifier.ts';
import { useNotebook } from './notebook-context.ts';

interface TableRow {
  key: number;
  name: string;
  path: string;
}

let rowKeys = 0;

const rowsOf = (data: Record<string, string>): TableRow[] => Object.entries(data).map(([name, path]) => ({ key: ++rowKeys, name, path }));

/** Why a table row cannot be written yet, or `undefined` when it can (a row left wholly empty is skipped). */
function rowProblem(row: TableRow, rows: TableRow[]): string | undefined {
  const name = row.name.trim();
  const path = row.path.trim();
  if (name === '' && path === '') return undefined;
  if (!isBindableName(name)) return `Table name "${name}" must be letters, digits and _ (not starting with a digit, not a reserved word).`;
  if (rows.filter((other) => other.name.trim() === name).length > 1) return `Two tables are named ${name}.`;
  if (path === '') return `Table ${name} needs a path or an https URL.`;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path) && !/^https:\/\//i.test(path)) return `Table ${name}: only relative paths and https URLs can be loaded.`;
  return undefined;
}

/**
 * The notebook's front matter as a form, at the top of notebook mode: title,
 * layout and the `data` tables. Each change is written into the notebook
 * text (other keys and comments are kept), so it saves, shares and — under
 * `brook dev` — reaches the file like any other edit.
 */
export function FrontMatterForm() {
  const { session, snapshot } = useNotebook();
  const frontMatter = () => snapshot().notebook.frontMatter;
  // Memos: every edit anywhere makes a new front matter object, and a binding to it would write the same
  // title back into the field, over what the reader is typing there and has not committed yet.
  const title = createMemo(() => frontMatter().title ?? '');
  const wide = createMemo(() => frontMatter().layout === 'wide');
  const [rows, setRows] = createSignal<TableRow[]>(rowsOf(frontMatter().data));
  const [problem, setProblem] = createSignal<string>();
  // The text changed elsewhere (an edit of the source, the file on disk): show its tables.
  createEffect(
    on(
      () => JSON.stringify(frontMatter().data),
      (data) => {
        const shown = Object.fromEntries(rows().filter((r) => r.name.trim() && r.path.trim()).map((r) => [r.name.trim(), r.path.trim()]));
        if (JSON.stringify(shown) !== data) setRows(rowsOf(frontMatter().data));
      },
      { defer: true },
    ),
  );
  const apply = (patch: Parameters<typeof session.editFrontMatter>[0]) => setProblem(session.editFrontMatter(patch));
  const commitTables = () => {
    const current = rows();
    const first = current.map((row) => rowProblem(row, current)).find((p) => p !== undefined);
    if (first) return setProblem(first);
    const data = Object.fromEntries(current.filter((r) => r.name.trim() !== '').map((r) => [r.name.trim(), r.path.trim()]));
    apply({ data });
  };
  const update = (key: number, field: 'name' | 'path', value: string) =>
    setRows((list) => list.map((row) => (row.key === key ? { ...row, [field]: value } : row)));

  return (
    <details class="front-matter-form">
      <summary>
        <span class="front-matter-summary-title">Notebook settings</span>
        <span class="front-matter-summary-hint">front matter: title, layout, data</span>
      </summary>
      <div class="front-matter-fields">
        <label class="front-matter-field">
          <span>Title</span>
          <input
            type="text"
            value={title()}
            placeholder="Untitled"
            onChange={(event) => apply({ title: event.currentTarget.value })}
          />
        </label>
        <fieldset class="front-matter-field front-matter-layout">
          <legend>Layout</legend>
          <label>
            <input type="radio" name="front-matter-layout" checked={!wide()} onChange={() => apply({ layout: 'centered' })} />
            Centered
          </label>
          <label>
            <input type="radio" name="front-matter-layout" checked={wide()} onChange={() => apply({ layout: 'wide' })} />
            Wide
          </label>
        </fieldset>
        <fieldset class="front-matter-field front-matter-data">
          <legend>Data tables</legend>
          <For each={rows()}>
            {(row) => (
              <div class="front-matter-table">
                <input
                  type="text"
                  class="front-matter-table-name"
                  value={row.name}
                  placeholder="table"
                  spellcheck={false}
                  aria-label="Table name"
                  onInput={(event) => update(row.key, 'name', event.currentTarget.value)}
                  onChange={commitTables}
                />
                <input
                  type="text"
                  class="front-matter-table-path"
                  value={row.path}
                  placeholder="data/file.csv or https://…"
                  spellcheck={false}
                  aria-label={`Path or URL of ${row.name || 'the table'}`}
                  onInput={(event) => update(row.key, 'path', event.currentTarget.value)}
                  onChange={commitTables}
                />
                <button
                  type="button"
                  class="icon-button danger"
                  aria-label={`Remove table ${row.name}`}
                  onClick={() => {
                    setRows((list) => list.filter((other) => other.key !== row.key));
                    commitTables();
                  }}
                >
                  ✕
                </button>
              </div>
            )}
          </For>
          <button type="button" class="button" onClick={() => setRows((list) => [...list, { key: ++rowKeys, name: '', path: '' }])}>
            Add table
          </button>
          <p class="front-matter-hint">
            A path is relative to the notebook file; an https URL is read from the web. Files dropped on the page stay in this browser:
            name them here (and put them next to the notebook, or at a URL) to make them part of the notebook.
          </p>
        </fieldset>
        <Show when={problem()}>
          <p class="front-matter-problem" role="alert">
            {problem()}
          </p>
        </Show>
      </div>
    </details>
  );
}
