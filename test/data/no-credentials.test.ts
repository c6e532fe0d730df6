import { describe, expect, it } from 'vitest';
import { installWithoutCredentials } from '../../src/data/no-credentials.ts';

/** A worker-like scope whose network APIs record what they were asked. */
function fakeScope() {
  const sent: RequestCredentials[] = [];
  const streams: (EventSourceInit | undefined)[] = [];
  class FakeXhr {
    private credentials = false;
    get withCredentials(): boolean { return this.credentials; }
    set withCredentials(value: boolean) { this.credentials = value; }
  }
  // The real accessor lives on the prototype (WebIDL), like the fake's.
  class FakeEventSource {
    constructor(readonly url: string, init?: EventSourceInit) { streams.push(init); }
  }
  const scope = {
    Request,
    XMLHttpRequest: FakeXhr,
    EventSource: FakeEventSource,
    fetch: (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(input instanceof Request ? input.credentials : init?.credentials ?? 'same-origin');
      return Promise.resolve(new Response('ok'));
    },
  };
  return { scope, sent, streams };
}

describe('installWithoutCredentials', () => {
  it('makes every fetch omit credentials, whatever it asks for', async () => {
    const { scope, sent } = fakeScope();
    installWithoutCredentials(scope);
    await scope.fetch('https://site.test/a');
    await scope.fetch('https://site.test/b', { credentials: 'include' });
    await scope.fetch(new Request('https://site.test/c', { credentials: 'include' }));
    expect(sent).toEqual(['omit', 'omit', 'omit']);
  });

  it('pins XMLHttpRequest.withCredentials to false and cannot be undone', () => {
    const { scope } = fakeScope();
    installWithoutCredentials(scope);
    const xhr = new scope.XMLHttpRequest();
    xhr.withCredentials = true;
    expect(xhr.withCredentials).toBe(false);
    expect(() => Object.defineProperty(scope.XMLHttpRequest.prototype, 'withCredentials', { value: true })).toThrow();
  });

  it('drops withCredentials from EventSource', () => {
    const { scope, streams } = fakeScope();
    installWithoutCredentials(scope);
    const stream = new (scope.EventSource as unknown as new (url: string, init?: EventSourceInit) => { url: string })('https://site.test/s', { withCredentials: true });
    expect(stream.url).toBe('https://site.test/s');
    expect(streams).toEqual([undefined]);
  });

  it('is idempotent', async () => {
    const { scope, sent } = fakeScope();
    installWithoutCredentials(scope);
    const once = scope.fetch;
    installWithoutCredentials(scope);
    expect(scope.fetch).toBe(once);
    await scope.fetch('https://site.test/a', { credentials: 'include' });
    expect(sent).toEqual(['omit']);
  });
});
