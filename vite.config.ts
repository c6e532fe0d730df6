import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// The app is one static bundle. `base: './'` keeps every URL relative so a build
// works under any sub-path of any static host (no COOP/COEP needed).
export default defineConfig({
  base: './',
  plugins: [solid()],
  // Workers are single files: the runtime worker runs in an opaque origin (src/client/workers.ts),
  // from where the app's other chunks could not be imported (cross-origin modules need CORS).
  // Rolldown warns when a plugin takes a large share of the build. Here that is always
  // vite:worker-import-meta-url, because the runtime and data workers are bundled inside its
  // transform: expected, not actionable, and noise on every `npm start` (docs/decisions.md).
  worker: { format: 'es', rolldownOptions: { output: { codeSplitting: false }, checks: { bundlerTimings: false } } },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  build: {
    outDir: 'dist/app',
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    assetsInlineLimit: 0,
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
