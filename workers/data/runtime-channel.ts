/**
 * The data worker's side of a runtime worker's port: answers the two
 * requests of `src/runtime/data-channel.ts` (query, cancelBefore) and
 * ignores everything else. No generic RPC: a forged message from notebook
 * code cannot reach `ingestUrl`, `dropTable` or any other method.
 */
import { parseDataChannelRequest, type DataChannelReply } from '../../src/runtime/data-channel.ts';
import type { DataApi } from '../../src/data/api.ts';

/** Serves `port` (from `{ type: 'brook:connect', port }`) with only `query` and `cancelBefore` of `api`. */
export function serveRuntimePort(port: MessagePort, api: Pick<DataApi, 'query' | 'cancelBefore'>): void {
  port.addEventListener('message', (event: MessageEvent) => {
    const message = parseDataChannelRequest(event.data);
    if (!message) return;
    if (message.kind === 'brook:cancelBefore') {
      api.cancelBefore(message.generation);
      return;
    }
    void api.query(message.request).then(
      (result) => {
        const reply: DataChannelReply = { kind: 'brook:queryResult', id: message.id, result };
        // Results are transferred, not copied: they can be many megabytes.
        port.postMessage(reply, result.ok ? [result.value.ipc.buffer as ArrayBuffer] : []);
      },
      (error: unknown) => {
        const reply: DataChannelReply = {
          kind: 'brook:queryResult',
          id: message.id,
          result: { ok: false, error: { name: 'DataEngineError', message: String((error as Error)?.message ?? error) } },
        };
        port.postMessage(reply);
      },
    );
  });
  port.start();
}
