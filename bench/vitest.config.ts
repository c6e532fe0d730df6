import { defineConfig } from 'vitest/config';

// The bench's own unit tests (pure parts: statistics, figures, notebook SQL,
// asset sizes). Run with `npx vitest run --config bench/vitest.config.ts`.
export default defineConfig({
  test: {
    include: ['bench/test/**/*.test.ts'],
    environment: 'node',
  },
});
