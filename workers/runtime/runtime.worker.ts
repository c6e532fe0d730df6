/**
 * The runtime worker's entry: exposes `RuntimeApi` over Comlink. All logic is
 * in `CellRuntime` (Node-tested); this file only connects the ports and locks
 * the scope down before any notebook code runs.
 */
import * as Comlink from 'comlink';
import type { RuntimeApi } from '../../src/runtime/messages.ts';
import { dataOverPort } from './data-client.ts';
import { hostOverPort } from './host-port.ts';
import { lockDown } from './isolation.ts';
import { PageModules } from './page-modules.ts';
import type { PlotBuiltin } from './plot-loader.ts';
import { CellRuntime } from './runtime.ts';

let runtime: CellRuntime | undefined;
let pageModules: PageModules | undefined;

/**
 * `Plot` comes from the page (page-modules.ts), so the worker's own file stays
 * without it: nothing here may import `plot.ts`, or the bundler would inline it.
 */
function plotLoader(modules: PageModules): () => Promise<PlotBuiltin> {
  return async () => (await modules.load('plot')) as PlotBuiltin;
}

function ready(): CellRuntime {
  if (!runtime) throw new Error('RuntimeApi.init must be called before anything else.');
  return runtime;
}

const api: RuntimeApi = {
  async init(init, dataPort, hostPort) {
    // Everything the runtime itself needs (ports, Comlink) is captured before lockDown removes APIs.
    // The data port speaks only query/cancelBefore (no generic RPC a captured port could drive).
    const data = dataOverPort(dataPort);
    const host = hostOverPort(hostPort);
    const modules = new PageModules((name) => host.module(name));
    pageModules = modules;
    lockDown({ blockNetwork: init.blockNetwork ?? false });
    runtime = new CellRuntime({ init, host, data, loadPlot: plotLoader(modules) });
  },
  async load(cells, skip) {
    ready().load(cells, skip);
  },
  setInput(key, value) {
    return ready().setInput(key, value);
  },
  tablesChanged(names) {
    ready().tablesChanged(names);
  },
  mergeState(set, removed) {
    ready().mergeState(set, removed);
  },
  setWidths(widths) {
    ready().setWidths(widths);
  },
  async rows(handle, offset, limit, sort) {
    return ready().rows(handle, offset, limit, sort);
  },
  ping() {
    return Date.now();
  },
  async provideModule(name, source, failure) {
    await pageModules?.provide(name, source, failure);
  },
};

Comlink.expose(api);
