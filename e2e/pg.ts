import { createScratchDatabase } from '@scanpay/cli/harness';

// Scratch databases on the test server come from the CLI's harness (one implementation).
export { createScratchDatabase as openFreshServerDatabaseUrl };

/**
 * The stores a cross-process test runs on: embedded PGlite always, and a fresh database on the
 * PostgreSQL server when TEST_DATABASE_URL is set (CI sets it). `url()` is undefined for PGlite.
 */
export const STORES: { name: string; url(): Promise<string | undefined> }[] = [
  { name: 'embedded PGlite', url: async () => undefined },
  ...(process.env.TEST_DATABASE_URL
    ? [{ name: 'PostgreSQL server', url: () => createScratchDatabase(process.env.TEST_DATABASE_URL as string) }]
    : []),
];
