/**
 * Which built data file the page may key by the build's fingerprint before
 * its bytes arrive: only the file the built text named, for that table.
 */
import { describe, expect, it } from 'vitest';
import { builtFingerprint, SNAPSHOT_VERSION, type BuildSnapshot } from '../../src/client/build-snapshot.ts';

const snapshot: BuildSnapshot = { version: SNAPSHOT_VERSION, basis: 'b', data: { orders: 'sha256:orders' }, cells: {}, results: [] };
const builtPaths = { orders: 'data/orders.csv', regions: 'data/regions.csv' };

describe('builtFingerprint', () => {
  it("gives the build's fingerprint for the file the built text named", () => {
    expect(builtFingerprint(snapshot, builtPaths, 'orders', 'data/orders.csv')).toBe('sha256:orders');
  });

  it('gives none when an edit points the table at another file, for a table the build did not read, or without a snapshot', () => {
    expect(builtFingerprint(snapshot, builtPaths, 'orders', 'data/other.csv')).toBeUndefined();
    expect(builtFingerprint(snapshot, builtPaths, 'regions', 'data/regions.csv')).toBeUndefined();
    expect(builtFingerprint(snapshot, { ...builtPaths, constructor: 'x' }, 'constructor', 'x')).toBeUndefined();
    expect(builtFingerprint(undefined, builtPaths, 'orders', 'data/orders.csv')).toBeUndefined();
  });
});
