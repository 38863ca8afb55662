import { defineConfig } from 'vitest/config';

// One root config for every workspace: unit tests sit beside the code (`*.test.ts`),
// service tests under `apps/*/test`, cross-process and browser tests under `e2e/`.
export default defineConfig({
  test: {
    include: ['packages/**/*.test.ts', 'apps/**/*.test.ts', 'simulators/**/*.test.ts', 'e2e/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores on the CI machine: keep parallel forks modest so PGlite and Chromium fit.
    pool: 'forks',
    maxWorkers: 2,
  },
});
