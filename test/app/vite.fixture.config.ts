import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// Dev-only server for the UI fixture page (test/app/fixture/index.html); the production build never sees it.
export default defineConfig({
  root: 'test/app/fixture',
  plugins: [solid()],
  server: { fs: { allow: ['../../..'] } },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
});
