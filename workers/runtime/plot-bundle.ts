/**
 * Entry of the `Plot` bundle a built app's page hands the runtime
 * (page-modules.ts). Vite builds it like a worker, and a worker bundle keeps
 * no exports, so it hands `Plot` to the loader that is importing it instead.
 */
import { handOver } from './page-modules.ts';
import { Plot } from './plot.ts';

handOver('plot', Plot);
