/**
 * The page's `RuntimeHost`, as the runtime worker sees it: each call becomes
 * a `HostMessage`, posted one-way over a port in arrays. A control change
 * used to cost the page a message and a reply per event; batched, a run's
 * events travel together and the page renders them once.
 */
import type { HostMessage, PageModuleName, RuntimeHost } from '../../src/runtime/messages.ts';

/** The part of a `MessagePort` used here. */
export interface HostPort {
  postMessage(message: HostMessage[]): void;
}

/**
 * Events and state wait for the end of the current microtask turn. A
 * `running` call is posted at once, with everything queued before it: the
 * cell's code may block the worker right after, and the page must still learn
 * which cell that is (the watchdog names it) and get the outputs already done.
 */
export function hostOverPort(port: HostPort): RuntimeHost & { module(name: PageModuleName): void } {
  // Captured now: notebook code shares this global and may replace these later.
  const post = port.postMessage.bind(port);
  const defer = queueMicrotask.bind(globalThis);
  let queue: HostMessage[] = [];
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    try {
      post(batch);
    } catch {
      // Something in the batch cannot be cloned: send the rest, and say so in place of what failed.
      for (const message of batch) postAlone(message);
    }
  };

  const postAlone = (message: HostMessage): void => {
    try {
      post([message]);
    } catch (error) {
      const event = message.type === 'event' ? message.event : undefined;
      if (!event || event.status === 'pending') {
        console.warn(`brook runtime: could not send ${message.type} to the page`, error);
        return;
      }
      const why = `The cell's output could not be sent to the page: ${error instanceof Error ? error.message : String(error)}`;
      post([{ type: 'event', event: { ...event, status: 'rejected', outputs: [], error: { name: 'DataCloneError', message: why } } }]);
    }
  };

  const enqueue = (message: HostMessage): void => {
    queue.push(message);
    if (scheduled) return;
    scheduled = true;
    defer(flush);
  };

  return {
    event: (event) => enqueue({ type: 'event', event }),
    stateChanged: (state) => enqueue({ type: 'state', state }),
    toast: (toast) => enqueue({ type: 'toast', toast }),
    module: (name) => enqueue({ type: 'module', name }),
    running: (cell) => {
      queue.push({ type: 'running', cell });
      flush();
    },
  };
}
