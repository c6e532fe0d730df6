import { autocompletion, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { javascript } from '@codemirror/lang-javascript';
import { markdown } from '@codemirror/lang-markdown';
import { sql } from '@codemirror/lang-sql';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { createEffect, on, onCleanup, onMount } from 'solid-js';
import type { CellKind } from '../notebook/types.ts';

/** Keystrokes are gathered this long before the cell is re-run. */
const EDIT_DEBOUNCE_MS = 400;

export interface CellEditorProps {
  source: string;
  kind: CellKind;
  /** File line of the cell's first source line, so gutter numbers match the notebook file. */
  firstLine: number;
  dark: boolean;
  readOnly?: boolean;
  /** Accessible name of the editor (e.g. "Cell 3, SQL"). */
  label: string;
  onChange?: (source: string) => void;
}

function languageFor(kind: CellKind): Extension {
  switch (kind) {
    case 'js':
      return javascript();
    case 'ts':
      return javascript({ typescript: true });
    case 'sql':
      return sql();
    case 'md':
      return markdown();
    default:
      return [];
  }
}

const lightTheme = EditorView.theme({
  '&': { backgroundColor: 'transparent' },
  '.cm-gutters': { backgroundColor: 'transparent', border: 'none', color: 'var(--text-faint)' },
  '.cm-activeLineGutter': { backgroundColor: 'transparent', color: 'var(--text-muted)' },
  '.cm-activeLine': { backgroundColor: 'var(--editor-active-line)' },
});

// Earlier extensions take precedence: the page's surface colour must win over One Dark's.
const darkTheme: Extension = [
  EditorView.theme(
    {
      '&': { backgroundColor: 'transparent' },
      '.cm-gutters': { backgroundColor: 'transparent', border: 'none' },
      '.cm-activeLineGutter': { backgroundColor: 'transparent' },
      '.cm-activeLine': { backgroundColor: 'var(--editor-active-line)' },
    },
    { dark: true },
  ),
  oneDark,
];

/**
 * A CodeMirror 6 editor for one cell. Edits are debounced into `onChange`;
 * a new `source` from the session replaces the text only when the person has
 * no edit waiting, so a round trip never eats keystrokes.
 */
export function CellEditor(props: CellEditorProps) {
  let host!: HTMLDivElement;
  let view: EditorView | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let applyingExternal = false;
  const language = new Compartment();
  const gutter = new Compartment();
  const theme = new Compartment();

  const numbers = (firstLine: number) => lineNumbers({ formatNumber: (n) => String(n + firstLine - 1) });
  const flush = () => {
    if (timer === undefined || !view) return;
    clearTimeout(timer);
    timer = undefined;
    props.onChange?.(view.state.doc.toString());
  };

  onMount(() => {
    view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: props.source,
        extensions: [
          gutter.of(numbers(props.firstLine)),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          autocompletion({ activateOnTyping: false }),
          keymap.of(closeBracketsKeymap),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          language.of(languageFor(props.kind)),
          theme.of(props.dark ? darkTheme : lightTheme),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': props.label }),
          props.readOnly ? [EditorState.readOnly.of(true), EditorView.editable.of(false)] : [],
          EditorView.updateListener.of((update) => {
            if (!update.docChanged || applyingExternal || props.readOnly) return;
            clearTimeout(timer);
            timer = setTimeout(flush, EDIT_DEBOUNCE_MS);
          }),
          EditorView.domEventHandlers({ blur: () => flush() }),
        ],
      }),
    });
  });

  createEffect(on(() => props.source, (source) => {
    if (!view || timer !== undefined) return;
    const current = view.state.doc.toString();
    if (current === source) return;
    applyingExternal = true;
    view.dispatch({ changes: { from: 0, to: current.length, insert: source } });
    applyingExternal = false;
  }, { defer: true }));
  createEffect(on(() => props.kind, (kind) => view?.dispatch({ effects: language.reconfigure(languageFor(kind)) }), { defer: true }));
  createEffect(on(() => props.firstLine, (line) => view?.dispatch({ effects: gutter.reconfigure(numbers(line)) }), { defer: true }));
  createEffect(on(() => props.dark, (dark) => view?.dispatch({ effects: theme.reconfigure(dark ? darkTheme : lightTheme) }), { defer: true }));

  onCleanup(() => {
    flush();
    view?.destroy();
  });

  return <div class={`cell-editor ${props.readOnly ? 'is-readonly' : ''}`} ref={host} />;
}
