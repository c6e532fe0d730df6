/**
 * The runtime worker's entry: exposes `RuntimeApi` over Comlink. All logic is
 * in `CellRuntime` (Node-tested); this file only connects the ports, locks the
 * scope down before any notebook code runs, and keeps host calls from
 * throwing into the runtime.
 */
import * as Comlink from 'comlink';
import type { DataApi, RuntimeApi, RuntimeHost } from '../../src/runtime/messages.ts';
import { lockDown } from './isolation.ts';
import { CellRuntime } from './runtime.ts';

let runtime: CellRuntime | undefined;

function ready(): CellRuntime {
  if (!runtime) throw new Error('RuntimeApi.init must be called before anything else.');
  return runtime;
}

/** Host calls cross to the page; a failure there (page gone, uncloneable value) must not break a run. */
function guarded(host: RuntimeHost): RuntimeHost {
  const report = (what: string) => (error: unknown) => console.warn(`brook runtime: host.${what} failed`, error);
  const call = (what: string, f: () => unknown) => {
    try {
      void Promise.resolve(f()).catch(report(what));
    } catch (error) {
      report(what)(error);
    }
  };
  return {
    event: (event) => {
      const fallback = (error: unknown) => {
        report('event')(error);
        if (event.status === 'pending') return;
        // The outputs could not cross (e.g. not cloneable): say so in the cell instead of leaving it pending.
        const message = `The cell's output could not be sent to the page: ${error instanceof Error ? error.message : String(error)}`;
        void Promise.resolve(host.event({ ...event, status: 'rejected', outputs: [], error: { name: 'DataCloneError', message } })).catch(report('event'));
      };
      try {
        void Promise.resolve(host.event(event)).catch(fallback);
      } catch (error) {
        fallback(error);
      }
    },
    running: (cellId) => call('running', () => host.running(cellId)),
    stateChanged: (state) => call('stateChanged', () => host.stateChanged(state)),
  };
}

const api: RuntimeApi = {
  async init(init, dataPort, host) {
    // Everything the runtime itself needs (ports, Comlink) is captured before lockDown removes APIs.
    const data = Comlink.wrap<DataApi>(dataPort);
    lockDown({ blockNetwork: init.blockNetwork ?? false });
    runtime = new CellRuntime({ init, host: guarded(host), data });
  },
  async load(cells, skip) {
    ready().load(cells, skip);
  },
  setInput(key, value) {
    ready().setInput(key, value);
  },
  tablesChanged(names) {
    ready().tablesChanged(names);
  },
  async rows(handle, offset, limit, sort) {
    return ready().rows(handle, offset, limit, sort);
  },
  ping() {
    return Date.now();
  },
};

Comlink.expose(api);
