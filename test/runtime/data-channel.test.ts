import { describe, expect, it } from 'vitest';
import { parseDataChannelRequest } from '../../src/runtime/data-channel.ts';

describe('parseDataChannelRequest', () => {
  it('accepts a query and a cancel, keeping only their fields', () => {
    expect(parseDataChannelRequest({ kind: 'brook:query', id: 3, request: { sql: 'SELECT 1', params: [1], generation: 7, extra: 1 }, more: 2 })).toEqual({
      kind: 'brook:query',
      id: 3,
      request: { sql: 'SELECT 1', params: [1], generation: 7 },
    });
    expect(parseDataChannelRequest({ kind: 'brook:cancelBefore', generation: 4 })).toEqual({ kind: 'brook:cancelBefore', generation: 4 });
    // The brush hint: parameter indexes, kept when they are that; left out otherwise (the query still runs).
    const hinted = (prepare: unknown) => parseDataChannelRequest({ kind: 'brook:query', id: 1, request: { sql: 'SELECT ?, ?', params: [1, 2], prepare } });
    expect(hinted([0, 1])).toMatchObject({ request: { prepare: [0, 1] } });
    for (const bad of [[2], [-1], ['0'], [0.5], 'x', [0, 1, 1]]) expect(hinted(bad)).not.toHaveProperty('request.prepare');
  });

  it.each([
    // The forged Comlink call of issue 16.
    [{ id: 'x', type: 'APPLY', path: ['ingestUrl'], argumentList: [{ type: 'RAW', value: { url: 'http://evil/x.csv', table: 't' } }] }],
    [{ type: 'GET', path: ['dropTable'] }],
    [{ kind: 'brook:ingestUrl', id: 1, request: { url: 'http://evil/x.csv' } }],
    [{ kind: 'brook:query', id: 'one', request: { sql: 'SELECT 1', params: [] } }],
    [{ kind: 'brook:query', id: 1, request: { sql: 42, params: [] } }],
    [{ kind: 'brook:query', id: 1, request: { sql: 'SELECT 1' } }],
    [{ kind: 'brook:query', id: 1, request: { sql: 'x'.repeat((1 << 20) + 1), params: [] } }],
    [{ kind: 'brook:cancelBefore', generation: 'now' }],
    [null],
    ['brook:query'],
  ])('ignores %j', (message) => {
    expect(parseDataChannelRequest(message)).toBeNull();
  });
});
