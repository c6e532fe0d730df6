import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from '../../src/app/hash-route.ts';

describe('parseRoute', () => {
  it('reads every studio route', () => {
    expect(parseRoute('')).toEqual({ kind: 'home' });
    expect(parseRoute('#/')).toEqual({ kind: 'home' });
    expect(parseRoute('#/example/sales/explorer.md')).toEqual({ kind: 'example', path: 'sales/explorer.md' });
    expect(parseRoute('#/new')).toEqual({ kind: 'new' });
    expect(parseRoute('#/new/abc-1')).toEqual({ kind: 'new', id: 'abc-1' });
    expect(parseRoute('#/s/eJxLz0ktBAAB%2Fw')).toEqual({ kind: 'shared', data: 'eJxLz0ktBAAB%2Fw' });
    expect(parseRoute('#/recent/n%201')).toEqual({ kind: 'recent', id: 'n 1' });
  });

  it('sends unknown or incomplete hashes home', () => {
    expect(parseRoute('#/nope')).toEqual({ kind: 'home' });
    expect(parseRoute('#/example/')).toEqual({ kind: 'home' });
    expect(parseRoute('#/s/')).toEqual({ kind: 'home' });
  });

  it('survives malformed percent escapes', () => {
    expect(parseRoute('#/recent/%E0%A4%A')).toEqual({ kind: 'recent', id: '%E0%A4%A' });
  });

  it('round-trips through formatRoute', () => {
    const routes: Route[] = [
      { kind: 'home' },
      { kind: 'example', path: 'data/my notebook #1.md' },
      { kind: 'new', id: 'x/y' },
      { kind: 'new' },
      { kind: 'shared', data: 'abc_-123' },
      { kind: 'recent', id: 'sales?explorer' },
    ];
    for (const route of routes) expect(parseRoute(formatRoute(route))).toEqual(route);
  });
});
