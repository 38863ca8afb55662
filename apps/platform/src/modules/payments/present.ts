import type { Payment, PaymentStatus } from '@scanpay/contracts';
import { catalogue, isErrorCode, type Text } from '@scanpay/errors';
import { formatYuan } from '@scanpay/money';
import type { PaymentRow } from './store.ts';
import { PENDING_STATES } from './transitions.ts';

/** The one sentence a cashier sees for each state, Chinese first (UX.md §3). */
const DISPLAY: Record<PaymentStatus, Text> = {
  processing: { zh: '支付结果确认中，请勿重复收款', en: 'Confirming the result — do not charge again' },
  waiting_buyer: {
    zh: '等待用户确认支付，请提醒顾客在手机上输入支付密码',
    en: 'Waiting for the customer to confirm — ask them to enter their password on the phone',
  },
  succeeded: { zh: '支付成功', en: 'Payment successful' },
  failed: { zh: '支付失败', en: 'Payment failed' },
  cancelled: { zh: '本次收款已撤销，顾客不会被扣款', en: 'The payment was cancelled; the customer was not charged' },
  reversed: { zh: '已撤单，款项将原路退回顾客', en: 'Cancelled; the money is being returned to the customer' },
  partially_refunded: { zh: '已部分退款', en: 'Partly refunded' },
  refunded: { zh: '已全额退款', en: 'Fully refunded' },
};

/** A QR order waits for the scan, not for a password. */
const QR_WAITING: Text = { zh: '请顾客打开支付宝扫码付款', en: 'Ask the customer to scan the QR code with Alipay and pay' };

/** A refusal recorded on a payment or refund, in the catalogue's words (zh and en). */
export function presentFailure(
  row: {
    failure_code: string | null;
    failure_cause: string | null;
    failure_action: string | null;
    channel_raw_code: string | null;
    channel_raw_sub_code: string | null;
  },
  defaultAction: string,
): Payment['failure'] {
  if (!row.failure_code || !isErrorCode(row.failure_code)) return null;
  const def = catalogue[row.failure_code];
  return {
    code: row.failure_code,
    cause: row.failure_cause ?? def.cause,
    action: row.failure_action ?? defaultAction,
    message: def.message,
    remedy: def.remedy,
    channelCode: row.channel_raw_code,
    channelSubCode: row.channel_raw_sub_code,
  };
}

export function presentPayment(row: PaymentRow, merchantName: string): Payment {
  const failure = row.status === 'failed' ? presentFailure(row, 'rescan') : null;
  const pending = PENDING_STATES.has(row.status);
  // A decided order's QR is never handed out again: nobody should be shown a code to scan.
  const showQr = row.kind === 'qr' && pending && row.qr_code !== null;
  const display = failure ? failure.message : row.kind === 'qr' && row.status === 'waiting_buyer' ? QR_WAITING : DISPLAY[row.status];
  return {
    id: row.id,
    outTradeNo: row.out_trade_no,
    status: row.status,
    pending,
    amount: formatYuan(row.amount_fen),
    amountFen: row.amount_fen,
    refundedAmount: formatYuan(row.refunded_fen),
    currency: 'CNY',
    channel: row.channel,
    tradeNo: row.channel_trade_no,
    subject: row.subject,
    merchant: { id: row.merchant_id, name: merchantName },
    storeId: row.store_id,
    terminalId: row.terminal_id,
    operatorId: row.operator_id,
    buyerLogonId: row.buyer_logon_id,
    paycode: row.paycode_masked,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at ? row.decided_at.toISOString() : null,
    display,
    failure,
    kind: row.kind,
    qrCode: showQr ? row.qr_code : null,
    qrExpiresAt: showQr && row.qr_expires_at ? row.qr_expires_at.toISOString() : null,
  };
}
