import { Index, Show } from 'solid-js';
import { AddCellBar } from './add-cell-bar.tsx';
import { CellView } from './cell-view.tsx';
import { FrontMatterForm } from './front-matter-form.tsx';
import { useNotebook } from './notebook-context.ts';

/** The notebook-mode body: the front-matter form, then every cell in file order, each with an editor, and add-cell pickers between them. */
export function NotebookCells() {
  const { snapshot } = useNotebook();
  const ids = () => snapshot().notebook.cells.map((cell) => cell.id);
  return (
    <div class="notebook-cells">
      <FrontMatterForm />
      <AddCellBar afterId={null} />
      <Index each={ids()}>
        {(id) => (
          <>
            <CellView cellId={id()} />
            <AddCellBar afterId={id()} />
          </>
        )}
      </Index>
      <Show when={ids().length === 0}>
        <div class="empty-notebook">
          <p>This notebook is empty. Add a cell to begin.</p>
          <AddCellBar afterId={null} persistent />
        </div>
      </Show>
    </div>
  );
}
