import { describe, expect, it } from 'vitest';
import { CellGraph } from '../../src/runtime/graph.ts';

const g = new CellGraph([
  { id: 'd', inputs: ['b', 'c'], outputs: ['d'] },
  { id: 'b', inputs: ['a'], outputs: ['b'] },
  { id: 'c', inputs: ['a', 'Math'], outputs: ['c', 'c2'] },
  { id: 'a', inputs: [], outputs: ['a'] },
  { id: 'x', inputs: ['c2'], outputs: [] },
]);

describe('CellGraph', () => {
  it('finds the cell defining each name', () => {
    expect(g.definerOf('c2')).toBe('c');
    expect(g.definerOf('Math')).toBeUndefined();
  });

  it('lists direct upstream and downstream cells', () => {
    expect(g.upstream('d').sort()).toEqual(['b', 'c']);
    expect(g.downstream('a').sort()).toEqual(['b', 'c']);
    expect(g.downstream('c').sort()).toEqual(['d', 'x']);
  });

  it('computes the downstream closure', () => {
    expect([...g.closure(['b'])].sort()).toEqual(['b', 'd']);
    expect([...g.closure(['a'])].sort()).toEqual(['a', 'b', 'c', 'd', 'x']);
    expect([...g.closure(['nope'])]).toEqual([]);
  });

  it('orders cells after the cells they read', () => {
    const order = g.topologicalOrder();
    const at = (id: string) => order.indexOf(id);
    expect(order).toHaveLength(5);
    expect(at('a')).toBeLessThan(at('b'));
    expect(at('b')).toBeLessThan(at('d'));
    expect(at('c')).toBeLessThan(at('d'));
    expect(at('c')).toBeLessThan(at('x'));
  });

  it('keeps cells on a cycle in the order', () => {
    const cyclic = new CellGraph([
      { id: 'p', inputs: ['q'], outputs: ['p'] },
      { id: 'q', inputs: ['p'], outputs: ['q'] },
      { id: 'r', inputs: [], outputs: ['r'] },
    ]);
    expect(cyclic.topologicalOrder()).toEqual(['r', 'p', 'q']);
  });
});
