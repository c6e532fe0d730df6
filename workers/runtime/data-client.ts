/**
 * The runtime worker's client of its data-worker port (the two requests of
 * `src/runtime/data-channel.ts`). The port's methods are bound here, before
 * lockdown and before any notebook code runs, and the port itself is never
 * handed to anything else.
 */
import { isDataChannelReply, type DataChannelRequest } from '../../src/runtime/data-channel.ts';
import type { DataApi, QueryResponse, Result } from '../../src/data/api.ts';

/** `query` and `cancelBefore` over `port`. */
export function dataOverPort(port: MessagePort): Pick<DataApi, 'query' | 'cancelBefore'> {
  const post = port.postMessage.bind(port) as (message: DataChannelRequest) => void;
  const pending = new Map<number, (result: Result<QueryResponse>) => void>();
  let nextId = 0;
  port.addEventListener('message', (event: MessageEvent) => {
    const reply: unknown = event.data;
    if (!isDataChannelReply(reply)) return;
    const resolve = pending.get(reply.id);
    pending.delete(reply.id);
    resolve?.(reply.result);
  });
  port.start();
  return {
    query(request) {
      const id = ++nextId;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        const { sql, params, generation, engine, as, placeholders, prepare } = request;
        post({
          kind: 'brook:query',
          id,
          request: engine === undefined ? { sql, params, generation, ...(prepare ? { prepare } : {}) } : { sql, params, generation, engine, as, placeholders },
        });
      });
    },
    cancelBefore(generation) {
      post({ kind: 'brook:cancelBefore', generation });
    },
  };
}
