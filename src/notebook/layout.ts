/**
 * The layout tree: `:::` container lines group the cells between them.
 *
 *     ::: columns            each direct child is one column
 *     ::: tabs               children are `::: tab Title` containers
 *     ::: tab Title          one tab (only meaningful inside `tabs`)
 *     ::: expander Title     a collapsible section, closed by default
 *     :::                    closes the innermost open container
 *
 * Containers nest. Mistakes never lose content: a stray `:::` is ignored, an
 * unclosed container runs to the end of the file, a `tab` outside `tabs` is
 * still a tab node, and an unknown container keeps its cells in its parent —
 * each with a diagnostic.
 */
import type { LineIndex } from './position.ts';
import type { Diagnostic, LayoutNode } from './types.ts';

/** One thing in document order that the layout arranges. */
export type LayoutItem = { type: 'cell'; cellId: string; line: number } | { type: 'marker'; line: number; argument: string };

type ContainerNode = Exclude<LayoutNode, { type: 'cell' }>;

interface Frame {
  /** `null` for an unknown container: its children go to the parent when it closes. */
  node: ContainerNode | null;
  children: LayoutNode[];
  line: number;
}

/** Builds the layout tree from cells and container lines in document order. */
export function buildLayout(items: readonly LayoutItem[], index: LineIndex, diagnostics: Diagnostic[]): LayoutNode[] {
  const root: LayoutNode[] = [];
  const stack: Frame[] = [];
  const lineSpan = (line: number) => index.span(index.lineStart(line), index.lineEnd(line));
  const report = (severity: 'error' | 'warning', code: string, message: string, line: number) =>
    diagnostics.push({ severity, code, message, span: lineSpan(line) });

  const currentChildren = () => (stack.length > 0 ? stack[stack.length - 1].children : root);
  const addChild = (node: LayoutNode, line: number) => {
    const parent = stack[stack.length - 1];
    if (parent?.node?.type === 'tabs' && node.type !== 'tab') {
      diagnostics.push({
        severity: 'warning',
        code: 'content-outside-tab',
        message: 'Content directly inside `::: tabs` belongs in a `::: tab Title` container.',
        span: lineSpan(line),
        ...(node.type === 'cell' ? { cellId: node.cellId } : {}),
      });
    }
    currentChildren().push(node);
  };

  const close = (frame: Frame, endOffset: number) => {
    if (frame.node === null) {
      for (const child of frame.children) currentChildren().push(child);
      return;
    }
    frame.node.children = frame.children;
    frame.node.span = index.span(index.lineStart(frame.line), endOffset);
    addChild(frame.node, frame.line);
  };

  for (const item of items) {
    if (item.type === 'cell') {
      addChild({ type: 'cell', cellId: item.cellId }, item.line);
      continue;
    }
    if (item.argument === '') {
      const frame = stack.pop();
      if (frame) close(frame, index.lineEnd(item.line));
      else report('error', 'stray-container-close', 'This `:::` does not close any open container; it is ignored.', item.line);
      continue;
    }
    const [, word, rest] = /^(\S+)\s*(.*)$/.exec(item.argument) ?? ['', '', ''];
    const kind = word.toLowerCase();
    const title = rest.trim();
    const placeholder = index.span(0, 0);
    let node: ContainerNode | null = null;
    if (kind === 'columns' || kind === 'tabs') {
      if (title !== '') report('warning', 'container-argument', `\`::: ${kind}\` takes no title; "${title}" is ignored.`, item.line);
      node = { type: kind, children: [], span: placeholder };
    } else if (kind === 'tab' || kind === 'expander') {
      if (kind === 'tab' && stack[stack.length - 1]?.node?.type !== 'tabs') {
        report('error', 'tab-outside-tabs', '`::: tab` must be directly inside `::: tabs`; it is shown as a lone tab.', item.line);
      }
      if (title === '') report('warning', 'missing-title', `\`::: ${kind}\` needs a title, e.g. \`::: ${kind} Details\`.`, item.line);
      node = { type: kind, title: title || (kind === 'tab' ? 'Tab' : 'Details'), children: [], span: placeholder };
    } else {
      report('error', 'unknown-container', `Unknown container \`::: ${word}\` (expected columns, tabs, tab or expander); its cells are shown without it.`, item.line);
    }
    stack.push({ node, children: [], line: item.line });
  }

  while (stack.length > 0) {
    const frame = stack.pop()!;
    const name = frame.node ? frame.node.type : 'container';
    report('error', 'unclosed-container', `\`::: ${name}\` opened here is never closed with \`:::\`; it runs to the end of the file.`, frame.line);
    close(frame, index.text.length);
  }
  return root;
}
