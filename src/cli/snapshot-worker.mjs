// The worker thread `brook build` runs a notebook in (see snapshot-run.ts). Plain JavaScript
// because a worker thread does not inherit the TypeScript loader: it registers tsx itself.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runSnapshot } = await import('./snapshot-run.ts');
await runSnapshot(workerData, (message) => parentPort.postMessage(message));
