import type { Refund, RefundStatus } from '@scanpay/contracts';
import type { Text } from '@scanpay/errors';
import { formatYuan } from '@scanpay/money';
import { presentFailure } from './present.ts';
import type { RefundRow } from './refunds-store.ts';

/** What the cashier sees for each refund state, Chinese first (UX.md §3). */
const DISPLAY: Record<RefundStatus, Text> = {
  processing: { zh: '退款处理中，请稍后查看结果，不要重复退款', en: 'Refund in progress — check the result later; do not refund again' },
  succeeded: { zh: '退款成功，款项将原路退回顾客', en: 'Refunded; the money goes back to the customer’s account' },
  failed: { zh: '退款失败', en: 'The refund failed' },
};

export function presentRefund(row: RefundRow): Refund {
  const failure = row.status === 'failed' ? presentFailure(row, 'stop') : null;
  return {
    id: row.id,
    paymentId: row.payment_id,
    outRequestNo: row.out_request_no,
    status: row.status,
    pending: row.status === 'processing',
    amount: formatYuan(row.amount_fen),
    amountFen: row.amount_fen,
    reason: row.reason,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at ? row.decided_at.toISOString() : null,
    display: failure ? failure.message : DISPLAY[row.status],
    failure,
  };
}
