import {
  COLLECTION_CODE_PATTERNS,
  DEFAULT_PAYMENT_CODE_RULES,
  type PaymentCodeRule,
  type WalletChannel,
} from './rules.ts';

/** What a scanned or typed string is, before anything is sent anywhere. */
export type Classification =
  | { kind: 'payment_code'; channel: WalletChannel; code: string }
  | { kind: 'collection_code'; wallet: WalletChannel | 'unknown' }
  | { kind: 'not_payment_code'; reason: 'text' | 'merchant_qr' }
  | { kind: 'unknown_format'; reason: 'unknown_prefix' | 'bad_length' | 'too_long' }
  | { kind: 'empty' };

/** Longer than any wallet's code by far; anything beyond is refused without further work. */
const MAX_INPUT_LENGTH = 512;
const MAX_CODE_DIGITS = 32;

/**
 * Normalises what a scanner or a cashier produced: scanners append CR/LF/TAB, wallets show the
 * digits in groups of four, and a Chinese input method types full-width digits.
 */
export function normalizeScannedText(raw: string): string {
  const trimmed = raw.slice(0, MAX_INPUT_LENGTH + 1).normalize('NFKC').trim();
  // Whitespace inside is removed only when what remains is digits: a URL or text keeps its shape.
  const compact = trimmed.replace(/[\s\u200b-\u200d\ufeff]+/g, '');
  return /^[0-9]+$/.test(compact) ? compact : trimmed;
}

export function classifyScannedText(
  raw: string,
  rules: readonly PaymentCodeRule[] = DEFAULT_PAYMENT_CODE_RULES,
): Classification {
  const text = normalizeScannedText(raw);
  if (text.length === 0) return { kind: 'empty' };
  if (text.length > MAX_INPUT_LENGTH) return { kind: 'unknown_format', reason: 'too_long' };

  if (text.includes('://')) {
    const match = COLLECTION_CODE_PATTERNS.find((p) => p.pattern.test(text));
    return { kind: 'collection_code', wallet: match?.wallet ?? 'unknown' };
  }
  // EMVCo merchant-presented QR payloads start with the payload-format indicator "000201".
  if (text.startsWith('000201') && !/^[0-9]+$/.test(text)) return { kind: 'not_payment_code', reason: 'merchant_qr' };
  if (!/^[0-9]+$/.test(text)) return { kind: 'not_payment_code', reason: 'text' };
  if (text.length > MAX_CODE_DIGITS) return { kind: 'unknown_format', reason: 'too_long' };

  const byPrefix = rules.filter((r) => r.prefixes.some((p) => text.startsWith(p)));
  if (byPrefix.length === 0) return { kind: 'unknown_format', reason: 'unknown_prefix' };
  const rule = byPrefix.find((r) => text.length >= r.minLength && text.length <= r.maxLength);
  if (!rule) return { kind: 'unknown_format', reason: 'bad_length' };
  return { kind: 'payment_code', channel: rule.channel, code: text };
}

/** For logs: a payment code is shown only by its first digits and its length. */
export function maskPaymentCode(code: string): string {
  return `${code.slice(0, 4)}…(${code.length})`;
}
