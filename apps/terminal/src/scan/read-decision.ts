/**
 * Every read — camera, scanner gun or typed — is classified on the terminal BEFORE anything is
 * sent (`classifyScannedText`): a collection code (收款码) or any other QR never reaches the
 * platform; the cashier is told what it is and the scan screen stays open.
 */
import { classifyScannedText, type WalletChannel } from '@scanpay/paycode';
import { TEXT, type Text } from '../i18n.tsx';

export type ReadSource = 'camera' | 'wedge' | 'manual';

export type ReadDecision =
  | { kind: 'pay'; code: string; channel: WalletChannel; source: ReadSource }
  | { kind: 'reject'; reason: 'collection_code' | 'not_payment_code' | 'unknown_format'; message: Text; remedy: Text; source: ReadSource }
  | { kind: 'ignore' };

const COLLECTION_REMEDY: Text = {
  zh: '请顾客在支付宝首页点「付钱」或「付款码」，出示付款码再扫',
  en: 'Ask the customer to open “Pay” (付款码) in the wallet app and show that code',
};

export function decideRead(raw: string, source: ReadSource): ReadDecision {
  const c = classifyScannedText(raw);
  switch (c.kind) {
    case 'payment_code':
      return { kind: 'pay', code: c.code, channel: c.channel, source };
    case 'collection_code':
      return { kind: 'reject', reason: 'collection_code', message: TEXT.collectionCode, remedy: COLLECTION_REMEDY, source };
    case 'not_payment_code':
      return { kind: 'reject', reason: 'not_payment_code', message: TEXT.notPaymentCode, remedy: TEXT.notPaymentCodeRemedy, source };
    case 'unknown_format':
      return { kind: 'reject', reason: 'unknown_format', message: TEXT.unknownFormat, remedy: TEXT.unknownFormatRemedy, source };
    case 'empty':
      return { kind: 'ignore' };
  }
}

/**
 * The payment code in a scanner-gun burst: the fast run itself, or — when a stall split the burst —
 * the longest tail of everything typed that is a payment code. `keys` is how many keys it took,
 * so a screen can take exactly those back. Null when the burst holds no payment code.
 */
export function paymentCodeInBurst(burst: { text: string; full: string }): { text: string; keys: number } | null {
  if (decideRead(burst.text, 'wedge').kind === 'pay') return { text: burst.text, keys: burst.text.length };
  for (let n = burst.full.length; n > burst.text.length; n--) {
    const tail = burst.full.slice(-n);
    if (decideRead(tail, 'wedge').kind === 'pay') return { text: tail, keys: n };
  }
  return null;
}
