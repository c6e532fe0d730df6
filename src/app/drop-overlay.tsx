import { Show, createSignal, onCleanup, onMount } from 'solid-js';
import { formatList } from '../data/file-format.ts';

/**
 * Drag and drop anywhere on the page: shows an overlay while files are
 * dragged over the window and hands dropped files to `onFiles`.
 */
export function DropOverlay(props: { label: string; onFiles: (files: File[]) => void }) {
  const [active, setActive] = createSignal(false);
  // dragenter/dragleave fire for every child element; count them to know when the drag left the window.
  let depth = 0;
  const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
  const onEnter = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth++;
    setActive(true);
  };
  const onOver = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };
  const onLeave = () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) setActive(false);
  };
  const onDrop = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    setActive(false);
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length) props.onFiles(files);
  };
  onMount(() => {
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
  });
  onCleanup(() => {
    window.removeEventListener('dragenter', onEnter);
    window.removeEventListener('dragover', onOver);
    window.removeEventListener('dragleave', onLeave);
    window.removeEventListener('drop', onDrop);
  });
  return (
    <Show when={active()}>
      <div class="drop-overlay" aria-hidden="true">
        <div class="drop-card">
          <svg viewBox="0 0 24 24" width="40" height="40" aria-hidden="true">
            <path d="M12 16V4m0 0l-4.5 4.5M12 4l4.5 4.5M4 15v4h16v-4" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
          <div class="drop-title">{props.label}</div>
          <div class="drop-hint">{formatList()} files become tables</div>
        </div>
      </div>
    </Show>
  );
}
