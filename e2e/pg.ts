// Scratch databases on the test server come from the CLI's harness (one implementation).
export { createScratchDatabase as openFreshServerDatabaseUrl } from '@scanpay/cli/harness';
