export { activate, ApiError, NetworkError, TerminalClient } from './client.ts';
export type { ActivationResult, ClientOptions, TerminalCredentials } from './client.ts';
export {
  memoryPendingStore,
  newIdempotencyKey,
  pay,
  payByQr,
  PaymentStillPending,
  PendingPaymentExists,
  resumePending,
  retryDelay,
  stopPayment,
} from './pay-flow.ts';
export type { PayOptions, PayProgress, PendingPayment, PendingPaymentStore, StopOptions } from './pay-flow.ts';
export { exportPrivateJwk, exportPublicJwk, generateDeviceKey, importPrivateJwk, newNonce, signRequest } from './signing.ts';
export { selfCheck, skipReasons } from './self-check.ts';
export type { SelfCheckOptions, SelfCheckReport, SkippedCheck } from './self-check.ts';
export { diagnoseFailure, evidenceOfError, evidenceOfPayment } from './diagnose.ts';
export type { DiagnoseFailureInput, DiagnoseFailureResult } from './diagnose.ts';
export { cameraCheckFromTestPattern, DEGRADED_SHARPNESS } from './camera-check.ts';
export type { TestPatternResult } from './camera-check.ts';
export { ScanSession } from './scan-session.ts';
export type { FrameDefects } from './scan-session.ts';
