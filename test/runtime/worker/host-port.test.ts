import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostMessage } from '../../../src/runtime/messages.ts';
import type { CellEvent } from '../../../src/runtime/protocol.ts';
import { hostOverPort } from '../../../workers/runtime/host-port.ts';

const run = { generation: 1, runs: 1 };
const pending = (cell: string): CellEvent => ({ cell, status: 'pending', run });
const fulfilled = (cell: string, text: unknown): CellEvent =>
  ({ cell, status: 'fulfilled', run, outputs: [{ type: 'text', text: text as string }], durationMs: 1 });

const open: MessagePort[] = [];
afterEach(() => {
  for (const port of open.splice(0)) port.close();
});

/** A real port pair: posts are structured-cloned like between a worker and the page. */
function channel() {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const batches: HostMessage[][] = [];
  let posts = 0;
  port2.on('message', (batch: HostMessage[]) => batches.push(batch));
  const host = hostOverPort({
    postMessage(message) {
      posts++;
      port1.postMessage(message);
    },
  });
  const delivered = () => new Promise((resolve) => setTimeout(resolve, 20)).then(() => batches);
  return { host, delivered, posts: () => posts };
}

describe('hostOverPort', () => {
  it("posts one turn's events as one batch, in call order", async () => {
    const { host, delivered, posts } = channel();
    host.event(pending('c1'));
    host.event(fulfilled('c1', 'a'));
    host.stateChanged({ n: 1 });
    expect(posts()).toBe(0);
    await Promise.resolve();
    expect(posts()).toBe(1);
    expect(await delivered()).toEqual([[
      { type: 'event', event: pending('c1') },
      { type: 'event', event: fulfilled('c1', 'a') },
      { type: 'state', state: { n: 1 } },
    ]]);
  });

  it('posts `running` at once, with what was queued before it (the cell may block right after)', async () => {
    const { host, delivered, posts } = channel();
    host.event(fulfilled('c1', 'done'));
    host.running('c2');
    expect(posts()).toBe(1);
    host.event(pending('c3'));
    expect(await delivered()).toEqual([
      [{ type: 'event', event: fulfilled('c1', 'done') }, { type: 'running', cell: 'c2' }],
      [{ type: 'event', event: pending('c3') }],
    ]);
  });

  it('an output that cannot be cloned rejects its cell with DataCloneError; the rest of the batch arrives', async () => {
    const { host, delivered } = channel();
    host.event(fulfilled('c1', 'fine'));
    host.event(fulfilled('c2', () => 'a function'));
    host.event(pending('c3'));
    const messages = (await delivered()).flat();
    expect(messages.map((m) => m.type === 'event' && `${m.event.cell}:${m.event.status}`)).toEqual(['c1:fulfilled', 'c2:rejected', 'c3:pending']);
    expect(messages[1]).toMatchObject({ event: { outputs: [], error: { name: 'DataCloneError', message: expect.stringContaining('could not be sent') } } });
  });
});
