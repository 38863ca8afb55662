export { startSystem } from './commands/start.ts';
export type { StartedSystem } from './commands/start.ts';
export { payCommand } from './commands/pay.ts';
