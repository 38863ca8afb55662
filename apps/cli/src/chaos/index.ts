export { CHAOS_DEFAULTS, compareWithBook, runChaos } from './run.ts';
export type { ChaosOptions, ChaosReport } from './run.ts';
export { checkAgainstBook, isClean } from './check.ts';
export type { ChaosVerdict, PlatformPayment, SimTrade, TerminalView } from './check.ts';
