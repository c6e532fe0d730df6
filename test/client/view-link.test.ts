/**
 * View links (`?year=2014&kind=rain`): names, spellings, and what a link can
 * and cannot do. The runtime half runs the real `CellRuntime` with real
 * widget builders; a link is hostile input, so most cases are attacks.
 */
import { describe, expect, it } from 'vitest';
import { ViewLink, widgetsOnScreen } from '../../src/client/view-link.ts';
import type { CellEvent, WidgetSpec } from '../../src/runtime/protocol.ts';
import { decodeViewValue, encodeViewValue, parseViewQuery, slug, viewParamNames } from '../../src/runtime/view-params.ts';
import { compiled, harness } from '../runtime/worker/harness.ts';

describe('names and spellings', () => {
  it('names a widget by its label, or its explicit key, readable in a URL', () => {
    expect(slug('Min. price ($)')).toBe('min-price');
    expect(slug('Année  de  départ')).toBe('annee-de-depart');
    expect(slug('年份')).toBe('年份');
    expect(viewParamNames({ key: 'year:Year', label: 'Year' }, 'year')).toEqual({ primary: 'year', qualified: 'year.year' });
    expect(viewParamNames({ key: 'sales:Kind of weather', label: 'Kind of weather' }, 'sales')).toEqual({ primary: 'kind-of-weather', qualified: 'sales.kind-of-weather' });
    expect(viewParamNames({ key: 'Region filter', label: 'Region' }, 'js-3')).toEqual({ primary: 'region-filter', qualified: 'js-3.region-filter' });
    expect(viewParamNames({ key: 'c:★', label: '★' }, 'c')).toEqual({ primary: 'c', qualified: 'c.c' });
  });

  it('spells values as text, lists as repeated parameters, an empty list as one empty value', () => {
    expect(encodeViewValue(2014)).toEqual(['2014']);
    expect(encodeViewValue('rain')).toEqual(['rain']);
    expect(encodeViewValue(true)).toEqual(['true']);
    expect(encodeViewValue([10, 50])).toEqual(['10', '50']);
    expect(encodeViewValue([])).toEqual(['']);
    expect(encodeViewValue({ a: 1 })).toBeNull();
    expect(encodeViewValue(null)).toBeNull();
    expect(encodeViewValue(Number.NaN)).toBeNull();
  });

  it('reads text back in the shape of the widget value, matching choices by their spelling', () => {
    expect(decodeViewValue(['2014'], 2020)).toEqual({ value: 2014 });
    expect(decodeViewValue(['1e3'], 0)).toEqual({ value: 1000 });
    expect(decodeViewValue(['2014abc'], 2020)).toBeUndefined();
    expect(decodeViewValue(['Infinity'], 2020)).toBeUndefined();
    expect(decodeViewValue(['0x10'], 2020)).toBeUndefined();
    expect(decodeViewValue(['true'], false)).toEqual({ value: true });
    expect(decodeViewValue(['yes'], false)).toBeUndefined();
    expect(decodeViewValue(['5'], 1, [1, 5, 10])).toEqual({ value: 5 });
    expect(decodeViewValue(['7'], 1, [1, 5, 10])).toBeUndefined();
    expect(decodeViewValue(['a', 'c'], [], ['a', 'b', 'c'])).toEqual({ value: ['a', 'c'] });
    expect(decodeViewValue([''], ['a'], ['a', 'b'])).toEqual({ value: [] });
    expect(decodeViewValue(['10', '50'], [0, 100])).toEqual({ value: [10, 50] });
    expect(decodeViewValue(['a', 'b'], 'x')).toBeUndefined();
    expect(decodeViewValue(['x'.repeat(10_001)], '')).toBeUndefined();
  });

  it('reads at most 100 parameter names from a URL', () => {
    const many = Array.from({ length: 500 }, (_, i) => `p${i}=${i}`).join('&');
    const params = parseViewQuery(`?${many}&a=1&a=2`);
    expect(params.size).toBe(100);
    expect(parseViewQuery('?a=1&a=2&b=%3Cscript%3E')).toEqual(new Map([['a', ['1', '2']], ['b', ['<script>']]]));
  });
});

const widgetEvent = (cell: string, widgets: WidgetSpec[], generation = 1): CellEvent => ({
  cell, status: 'fulfilled', run: { generation, runs: 1 }, durationMs: 1, outputs: widgets.map((widget) => ({ type: 'widget', widget })),
});
const slider = (key: string, label: string, value: unknown): WidgetSpec => ({ kind: 'slider', key, label, value, options: { min: 2000, max: 2030 } });

describe('ViewLink on the page', () => {
  it('judges each named widget once: a value it shows was taken, anything else refused with a notice', () => {
    const link = new ViewLink('?year=2014&kind=snow&go=true');
    const taken = link.judge(widgetEvent('c1', [slider('year:Year', 'Year', 2014)]), 'year');
    expect(taken).toEqual({ taken: [{ key: 'year:Year', value: 2014 }], notices: [] });
    expect(link.judge(widgetEvent('c1', [slider('year:Year', 'Year', 2014)]), 'year')).toEqual({ taken: [], notices: [] });
    const select: WidgetSpec = { kind: 'select', key: 'kind:Kind', label: 'Kind', value: 'rain', options: { options: ['rain', 'sun'] } };
    const refused = link.judge(widgetEvent('c2', [select]), 'kind');
    expect(refused.taken).toEqual([]);
    expect(refused.notices).toEqual(['The link sets “Kind” to “snow”, but it is not a value this input takes; it shows its own value instead.']);
    const button: WidgetSpec = { kind: 'button', key: 'go:Go', label: 'Go', value: false, options: {} };
    expect(link.judge(widgetEvent('c3', [button]), 'go').notices[0]).toMatch(/a link cannot set a button/);
  });

  it('ignores pending and restored events, and widgets the link does not name', () => {
    const link = new ViewLink('?year=2014');
    expect(link.judge(widgetEvent('c1', [slider('year:Year', 'Year', 2020)], -1), 'year')).toEqual({ taken: [], notices: [] });
    expect(link.judge({ cell: 'c1', status: 'pending', run: { generation: 1, runs: 1 } }, 'year')).toEqual({ taken: [], notices: [] });
    expect(link.judge(widgetEvent('c2', [slider('other:Other', 'Other', 2020)]), 'other')).toEqual({ taken: [], notices: [] });
  });

  it('writes the inputs the reader set under their names, qualifies duplicates, keeps other parameters', () => {
    const link = new ViewLink('');
    const cells: Record<string, CellEvent> = {
      c1: widgetEvent('c1', [slider('year:Year', 'Year', 2014), { kind: 'range', key: 'year:Price', label: 'Price', value: [10, 50], options: {} }]),
      c2: widgetEvent('c2', [slider('sales:Region', 'Region', 1)]),
      c3: widgetEvent('c3', [slider('costs:Region', 'Region', 2)]),
      c4: widgetEvent('c4', [{ kind: 'button', key: 'go:Go', label: 'Go', value: false, options: {} }]),
    };
    const shown = widgetsOnScreen(cells, new Map([['c1', 'year'], ['c2', 'sales'], ['c3', 'costs'], ['c4', 'go']]));
    const inputs = { 'year:Year': 2014, 'year:Price': [10, 50], 'sales:Region': 1, 'costs:Region': 2, 'go:Go': true };
    expect(link.query('?utm_source=mail&year=1999', inputs, shown)).toBe('?utm_source=mail&year=2014&price=10&price=50&sales.region=1&costs.region=2');
    // A value the reader did not set stays out of the link: the link then shows that widget's default.
    expect(link.query('?year=2014&price=10&price=50', { 'year:Year': 2014 }, shown)).toBe('?year=2014');
    expect(link.query('?year=2014', {}, shown)).toBe('');
  });

  it('carries a submitted form field by field, and judges fields like widgets', () => {
    const form: WidgetSpec = {
      kind: 'form', key: 'f:Filters', label: 'Filters', value: { min: 5 }, options: {},
      fields: [{ kind: 'number', key: 'f:Min', label: 'Min', value: 5, options: { name: 'min' } }],
    };
    const shown = widgetsOnScreen({ c1: widgetEvent('c1', [form]) }, new Map([['c1', 'f']]));
    expect(new ViewLink('').query('', { 'f:Filters': { min: 5 } }, shown)).toBe('?min=5');
    expect(new ViewLink('?min=5').judge(widgetEvent('c1', [form]), 'f').taken).toEqual([{ key: 'f:Min', value: 5 }]);
  });
});

describe('the runtime takes a link value only as the widget would take a saved one', () => {
  const cells = () => [
    compiled('c1', [
      'const year = slider("Year", {min: 2000, max: 2030, value: 2020});',
      'const kind = select("Kind", ["rain", "sun"]);',
      'const name = text("Name");',
      'const on = checkbox("Show");',
      'const price = range("Price", {min: 0, max: 100});',
      'const go = button("Go");',
      'const f = form("Filters", {min: number("Min", {value: 1})});',
      'return {year, kind, name, on, price, go, f};',
    ].join('\n'), { key: 'c', outputs: ['year', 'kind', 'name', 'on', 'price', 'go', 'f'] }),
  ];
  const values = async (linked: Record<string, string[]>, inputs: Record<string, unknown> = {}) => {
    const h = harness({ linked, inputs });
    h.runtime.load(cells());
    await h.runtime.idle();
    return Object.fromEntries(h.widgets('c1').map((w) => [w.label, w.value]));
  };

  it('good values are taken, over saved ones', async () => {
    expect(await values({ year: ['2014'], kind: ['sun'], name: ['Ann'], show: ['true'], price: ['10', '50'] }, { 'c:Year': 2001 })).toMatchObject({
      Year: 2014, Kind: 'sun', Name: 'Ann', Show: true, Price: [10, 50],
    });
    expect(await values({ 'c.year': ['2015'], year: ['2014'] })).toMatchObject({ Year: 2015 });
  });

  it('hostile values are refused: out of range, not a choice, wrong shape, code, prototype names, actions', async () => {
    const defaults = await values({});
    const hostile = await values({
      year: ['99999'],
      kind: ['<img src=x onerror=alert(1)>'],
      show: ['1'],
      price: ['50', '10'],
      go: ['true'],
      filters: ['{"min":5}'],
      min: ['-1e400'],
      '__proto__': ['x'],
      constructor: ['y'],
    });
    expect(hostile).toEqual({ ...defaults, Filters: defaults.Filters });
    expect(hostile.Year).toBe(2020);
    expect(hostile.Kind).toBe('rain');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a form\'s field is filled in by its own name, checked by the field', async () => {
    expect((await values({ min: ['5'] })).Filters).toEqual({ min: 5 });
    expect((await values({ min: ['five'] })).Filters).toEqual({ min: 1 });
  });

  it('text is only ever text: markup and SQL in a link are a string value, nothing more', async () => {
    const evil = "<script>alert(1)</script>'; DROP TABLE t; --";
    expect((await values({ name: [evil] })).Name).toBe(evil);
  });

  it('a link applies once: a later re-run keeps the reader\'s own change', async () => {
    const h = harness({ linked: { year: ['2014'] } });
    h.runtime.load(cells());
    await h.runtime.idle();
    h.runtime.setInput('c:Year', 2021);
    await h.runtime.idle();
    h.runtime.load(cells().map((c) => ({ ...c, body: `${c.body}\n` })));
    await h.runtime.idle();
    expect(h.widgets('c1')[0]).toMatchObject({ label: 'Year', value: 2021 });
  });
});

describe('ViewLink keeps a named widget\'s parameter until it is judged', () => {
  it('a widget shown before its live run leaves the link\'s parameter alone', () => {
    const link = new ViewLink('?year=2014');
    const shown = widgetsOnScreen({ c1: widgetEvent('c1', [slider('year:Year', 'Year', 2020)], -1) }, new Map([['c1', 'year']]));
    expect(link.query('?year=2014', {}, shown)).toBe('?year=2014');
    link.judge(widgetEvent('c1', [slider('year:Year', 'Year', 2014)]), 'year');
    expect(link.query('?year=2014', { 'year:Year': 2014 }, shown)).toBe('?year=2014');
    expect(link.query('?year=2014', { 'year:Year': 2015 }, shown)).toBe('?year=2015');
  });
});

describe('ViewLink and saved outputs', () => {
  it('outputs that show a named widget at another value are another view; at the same value, or unnamed, they are not', () => {
    const keys = new Map([['c1', 'year']]);
    const saved = (value: number) => ({ c1: widgetEvent('c1', [slider('year:Year', 'Year', value)], -1) });
    expect(new ViewLink('?year=2014').contradicts(saved(2020), keys)).toBe(true);
    expect(new ViewLink('?year=2014').contradicts(saved(2014), keys)).toBe(false);
    expect(new ViewLink('?utm_source=mail').contradicts(saved(2020), keys)).toBe(false);
    expect(new ViewLink('').contradicts(saved(2020), keys)).toBe(false);
  });
});
