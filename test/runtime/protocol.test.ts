import { describe, expect, it } from 'vitest';
import { isNewer, type CellEvent } from '../../src/runtime/protocol.ts';

const pending = (generation: number, partial?: string): CellEvent => ({
  cell: 'c',
  status: 'pending',
  run: { generation, runs: 1 },
  ...(partial === undefined ? {} : { partial: [{ type: 'text', text: partial }] }),
});
const fulfilled = (generation: number): CellEvent => ({ cell: 'c', status: 'fulfilled', run: { generation, runs: 1 }, outputs: [], durationMs: 1 });

describe('isNewer', () => {
  it('takes a partial of the same run, and a newer run over an older one', () => {
    expect(isNewer(pending(3), pending(3, 'a'))).toBe(true);
    expect(isNewer(pending(3, 'a'), pending(3, 'b'))).toBe(true);
    expect(isNewer(pending(3, 'b'), fulfilled(3))).toBe(true);
    expect(isNewer(fulfilled(3), pending(4))).toBe(true);
  });

  it("drops an older run's partial, and a partial after its own run settled", () => {
    expect(isNewer(pending(4), pending(3, 'old'))).toBe(false);
    expect(isNewer(fulfilled(4), pending(3, 'old'))).toBe(false);
    expect(isNewer(fulfilled(3), pending(3, 'late'))).toBe(false);
  });
});
