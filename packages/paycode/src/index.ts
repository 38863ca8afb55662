export { classifyScannedText, maskPaymentCode, normalizeScannedText } from './classify.ts';
export type { Classification } from './classify.ts';
export { COLLECTION_CODE_PATTERNS, DEFAULT_PAYMENT_CODE_RULES } from './rules.ts';
export type { PaymentCodeRule, WalletChannel } from './rules.ts';
