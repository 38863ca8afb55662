/**
 * Which wallet issued a customer-presented payment code, by prefix and length. Kept as data so the
 * platform can ship new rules without a release: wallets have changed their formats before
 * (Alipay went from 28-prefixed 16–18 digits to 25–30 with 16–24). Protocol brief §6.
 */
export type WalletChannel = 'alipay' | 'wechat' | 'unionpay';

export interface PaymentCodeRule {
  channel: WalletChannel;
  prefixes: string[];
  minLength: number;
  maxLength: number;
}

export const DEFAULT_PAYMENT_CODE_RULES: readonly PaymentCodeRule[] = [
  { channel: 'alipay', prefixes: ['25', '26', '27', '28', '29', '30'], minLength: 16, maxLength: 24 },
  { channel: 'wechat', prefixes: ['10', '11', '12', '13', '14', '15'], minLength: 18, maxLength: 18 },
  { channel: 'unionpay', prefixes: ['62'], minLength: 19, maxLength: 19 },
];

/**
 * Merchant-presented (receive) codes that a cashier sometimes scans by mistake. Matched
 * case-insensitively: Alipay prints `HTTPS://QR.ALIPAY.COM/…` in capitals for a denser QR.
 */
export const COLLECTION_CODE_PATTERNS: readonly { wallet: WalletChannel; pattern: RegExp }[] = [
  { wallet: 'alipay', pattern: /^https?:\/\/qr\.alipay\.com\//i },
  { wallet: 'alipay', pattern: /^alipays?:\/\//i },
  { wallet: 'alipay', pattern: /^alipayqr:\/\//i },
  { wallet: 'wechat', pattern: /^wxp:\/\//i },
  { wallet: 'wechat', pattern: /^weixin:\/\/wxpay\//i },
  { wallet: 'unionpay', pattern: /^https?:\/\/qr\.95516\.com\//i },
];
