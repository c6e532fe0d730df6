/**
 * Checks over the whole set of cells: a name defined by two cells, a name
 * no cell defines, and cycles. Each problem is an error on the cells
 * involved, at the place of the definition or reference; the other cells
 * are untouched and still run.
 */
import type { Diagnostic, Span } from '../notebook/types.ts';
import type { CellAnalysis } from './types.ts';
import { PAGE_ONLY_HINT, PAGE_ONLY_NAMES } from './globals.ts';
import type { CompiledCell, CompiledNotebook, Dependency } from './types.ts';

/** Every edge "cell `to` reads `name`, which cell `from` defines", in document order. */
export function dependencies(cells: readonly CompiledCell[]): Dependency[] {
  const definers = new Map<string, string[]>();
  for (const cell of cells) {
    for (const name of cell.outputs) definers.set(name, [...(definers.get(name) ?? []), cell.id]);
  }
  const edges: Dependency[] = [];
  for (const cell of cells) {
    for (const name of cell.inputs) for (const from of definers.get(name) ?? []) edges.push({ from, to: cell.id, name });
  }
  return edges;
}

/** Strongly connected components (Tarjan), each in discovery order. */
function stronglyConnected(count: number, successors: readonly number[][]): number[][] {
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let next = 0;
  const connect = (v: number): void => {
    index[v] = low[v] = next++;
    stack.push(v);
    onStack[v] = true;
    for (const w of successors[v]) {
      if (index[w] < 0) {
        connect(w);
        low[v] = Math.min(low[v], low[w]);
      } else if (onStack[w]) {
        low[v] = Math.min(low[v], index[w]);
      }
    }
    if (low[v] === index[v]) {
      const component: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack[w] = false;
        component.push(w);
      } while (w !== v);
      components.push(component);
    }
  };
  for (let v = 0; v < count; v++) if (index[v] < 0) connect(v);
  return components;
}

/** A shortest path `start → … → start` through `successors` inside `members`. */
function cycleFrom(start: number, successors: readonly number[][], members: ReadonlySet<number>): number[] {
  const previous = new Map<number, number>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of successors[v]) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(previous.get(path[0])!);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

function lineOf(span: Span): number {
  return span.start.line;
}

/**
 * Runs the notebook-wide checks over analyzed cells (see `analyzeCell`) and
 * returns the compiled cells, with graph errors added to the cells involved
 * (whose bodies are then empty), plus every diagnostic in cell order.
 */
export function checkGraph(analyses: readonly CellAnalysis[]): CompiledNotebook {
  const extra: Diagnostic[][] = analyses.map(() => []);
  const error = (i: number, code: string, message: string, span: Span): void => {
    extra[i].push({ severity: 'error', code, message, span, cellId: analyses[i].compiled.id });
  };

  const definers = new Map<string, number[]>();
  analyses.forEach((analysis, i) => {
    for (const name of analysis.compiled.outputs) definers.set(name, [...(definers.get(name) ?? []), i]);
  });

  for (const [name, cells] of definers) {
    if (cells.length < 2) continue;
    for (const i of cells) {
      const here = analyses[i].definitions.find((d) => d.name === name);
      const span = here?.span ?? { start: analyses[i].compiled.span.start, end: analyses[i].compiled.span.start };
      const others = cells
        .filter((j) => j !== i)
        .map((j) => lineOf(analyses[j].definitions.find((d) => d.name === name)?.span ?? analyses[j].compiled.span));
      error(i, 'duplicate-name', `\`${name}\` is defined in more than one cell (also on line ${others.join(', ')})`, span);
    }
  }

  analyses.forEach((analysis, i) => {
    const reported = new Set<string>();
    for (const reference of analysis.references) {
      if (definers.has(reference.name) || reported.has(reference.name)) continue;
      reported.add(reference.name);
      const hint = PAGE_ONLY_NAMES.has(reference.name) ? ` (${PAGE_ONLY_HINT})` : '';
      error(i, 'undefined-name', `\`${reference.name}\` is not defined${hint}`, reference.span);
    }
  });

  // Edges run from a cell to the cells it reads from.
  const reads = analyses.map((analysis) => {
    const targets = new Set<number>();
    for (const name of analysis.compiled.inputs) for (const j of definers.get(name) ?? []) targets.add(j);
    return [...targets].sort((a, b) => a - b);
  });
  for (const component of stronglyConnected(analyses.length, reads)) {
    const members = new Set(component);
    const selfLoop = component.length === 1 && reads[component[0]].includes(component[0]);
    if (component.length < 2 && !selfLoop) continue;
    for (const i of [...component].sort((a, b) => a - b)) {
      const path = cycleFrom(i, reads, members);
      // readNames[k]: a name cell path[k] reads from cell path[k + 1].
      const readNames = path.slice(0, -1).map((from, k) => {
        const defined = analyses[path[k + 1]].compiled.outputs;
        return analyses[from].compiled.inputs.find((name) => defined.includes(name)) ?? '?';
      });
      const chain = [readNames[readNames.length - 1], ...readNames];
      const steps = chain.slice(0, -1).map((name, k) => `\`${name}\` needs \`${chain[k + 1]}\``);
      const via = analyses[i].references.find((r) => r.name === readNames[0]);
      const span = via?.span ?? { start: analyses[i].compiled.span.start, end: analyses[i].compiled.span.start };
      error(i, 'cycle', `circular definition: ${steps.join(', ')}`, span);
    }
  }

  const cells = analyses.map((analysis, i) => {
    if (extra[i].length === 0) return analysis.compiled;
    const errors = [...analysis.compiled.errors, ...extra[i]].sort((a, b) => a.span.start.offset - b.span.start.offset);
    return { ...analysis.compiled, errors, body: '' };
  });
  const diagnostics = analyses.flatMap((analysis, i) =>
    [...analysis.diagnostics, ...extra[i]].sort((a, b) => a.span.start.offset - b.span.start.offset),
  );
  return { cells, diagnostics };
}
