/**
 * The dependency graph of a notebook: which cell defines each name, which
 * cells feed a cell, and which cells a change reaches. Pure and immutable —
 * the scheduler rebuilds it whenever the set of cells changes.
 */

/** The part of a cell the graph needs. */
export interface GraphCell {
  id: string;
  inputs: readonly string[];
  outputs: readonly string[];
}

export class CellGraph<C extends GraphCell = GraphCell> {
  /** Cells by id, in document order. */
  readonly cells: ReadonlyMap<string, C>;
  /** The cell that defines each name (the first one, in document order; duplicates are compile errors). */
  private readonly definer = new Map<string, string>();
  private readonly readers = new Map<string, Set<string>>();

  constructor(cells: readonly C[]) {
    this.cells = new Map(cells.map((cell) => [cell.id, cell]));
    for (const cell of cells) {
      for (const name of cell.outputs) if (!this.definer.has(name)) this.definer.set(name, cell.id);
    }
    for (const cell of cells) {
      for (const up of this.upstream(cell.id)) {
        let set = this.readers.get(up);
        if (!set) this.readers.set(up, (set = new Set()));
        set.add(cell.id);
      }
    }
  }

  /** The id of the cell defining `name`, if any. */
  definerOf(name: string): string | undefined {
    return this.definer.get(name);
  }

  /** Ids of the cells whose outputs `id` reads (direct inputs only), without duplicates and never itself. */
  upstream(id: string): string[] {
    let ups = this.upstreamCache.get(id);
    if (!ups) {
      const cell = this.cells.get(id);
      const set = new Set<string>();
      for (const name of cell?.inputs ?? []) {
        const up = this.definer.get(name);
        if (up !== undefined && up !== id) set.add(up);
      }
      ups = [...set];
      if (cell) this.upstreamCache.set(id, ups);
    }
    return [...ups];
  }

  private readonly upstreamCache = new Map<string, string[]>();

  /** Ids of the cells that read an output of `id` directly. */
  downstream(id: string): string[] {
    return [...(this.readers.get(id) ?? [])];
  }

  /** `ids` plus every cell reachable downstream of them. */
  closure(ids: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const stack = [...ids].filter((id) => this.cells.has(id));
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...this.downstream(id));
    }
    return seen;
  }

  /**
   * Cell ids in an order where every cell comes after the cells it reads.
   * Cells on a cycle (which the compiler already reports) are appended in
   * document order so nothing is lost.
   */
  topologicalOrder(): string[] {
    this.order ??= this.computeOrder();
    return this.order;
  }

  private order: string[] | undefined;

  private computeOrder(): string[] {
    const order: string[] = [];
    const indegree = new Map<string, number>();
    for (const id of this.cells.keys()) indegree.set(id, this.upstream(id).length);
    const ready = [...this.cells.keys()].filter((id) => indegree.get(id) === 0);
    while (ready.length > 0) {
      const id = ready.shift()!;
      order.push(id);
      for (const down of this.downstream(id)) {
        const left = indegree.get(down)! - 1;
        indegree.set(down, left);
        if (left === 0) ready.push(down);
      }
    }
    if (order.length < this.cells.size) {
      const placed = new Set(order);
      for (const id of this.cells.keys()) if (!placed.has(id)) order.push(id);
    }
    return order;
  }
}
