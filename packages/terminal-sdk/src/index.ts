export { activate, ApiError, NetworkError, TerminalClient } from './client.ts';
export type { ActivationResult, ClientOptions, TerminalCredentials } from './client.ts';
export {
  memoryPendingStore,
  newIdempotencyKey,
  pay,
  PaymentStillPending,
  PendingPaymentExists,
  resumePending,
  retryDelay,
} from './pay-flow.ts';
export type { PayOptions, PayProgress, PendingPayment, PendingPaymentStore } from './pay-flow.ts';
export { exportPrivateJwk, exportPublicJwk, generateDeviceKey, importPrivateJwk, newNonce, signRequest } from './signing.ts';
