import type { Channel, ChannelDecline, RefundQueryResult, RefundRequest, RefundResult } from '@scanpay/channels';
import type { Queryable } from '../../db/index.ts';
import { applyOutcome } from './apply-outcome.ts';
import { sendOnce } from './channel-call.ts';
import type { PaymentsDeps } from './deps.ts';
import { completeIdempotencyKey } from './idempotency.ts';
import {
  findRefund,
  finishRefundJob,
  lockRefund,
  markRefundFailed,
  markRefundSucceeded,
  type RefundRow,
  scheduleRefundJob,
} from './refunds-store.ts';
import { insertPaymentEvent, lockPayment } from './store.ts';

export type RefundSource = 'refund' | 'query' | 'resend';

export const DEFAULT_REFUND_QUERY_DELAY_MS = 10_000;

export function refundQueryDelay(deps: PaymentsDeps): number {
  return deps.timings.refundQueryDelayMs ?? DEFAULT_REFUND_QUERY_DELAY_MS;
}

/** Calls the channel's refund once. A refusal at the channel's edge means nothing was sent. */
export function callRefund(channel: Channel, req: RefundRequest): Promise<RefundResult> {
  return sendOnce(() => channel.refund(req));
}

export async function callRefundQuery(channel: Channel, req: RefundRequest): Promise<RefundQueryResult> {
  try {
    return await channel.refundQuery(req);
  } catch (err) {
    return { kind: 'unknown', reason: 'network', detail: `channel adapter threw: ${(err as Error).message}` };
  }
}

/**
 * Stores what a refund call answered: refunded → succeeded (ledger, payment state); a definite
 * refusal → failed; accepted-without-money-moved or unknown → the refund job asks the channel
 * after `retryInMs`. Completes the request's idempotency key in the same transaction.
 */
export async function persistRefundAnswer(
  deps: PaymentsDeps,
  refund: RefundRow,
  answer: RefundResult,
  p: { source: RefundSource; retryInMs: number; idempotency?: { terminalId: string; key: string } },
): Promise<RefundRow> {
  return deps.db.transaction(async (tx) => {
    const now = deps.now();
    let row: RefundRow | undefined;
    if (answer.kind === 'refunded') row = await settleRefund(tx, refund, { kind: 'succeeded' }, p.source, now);
    else if (answer.kind === 'declined') row = await settleRefund(tx, refund, { kind: 'failed', decline: answer.decline }, p.source, now);
    else {
      await insertPaymentEvent(tx, {
        paymentId: refund.payment_id,
        type: 'refund.unconfirmed',
        data: {
          refundId: refund.id,
          source: p.source,
          kind: answer.kind,
          detail: answer.detail,
          ...(answer.kind === 'unknown' ? { reason: answer.reason } : {}),
        },
      });
      await scheduleRefundJob(tx, refund.id, new Date(now.getTime() + p.retryInMs), `${p.source}: ${answer.kind}`);
      row = await findRefund(tx, refund.id);
    }
    if (!row) throw new Error(`refund ${refund.id} vanished`);
    if (p.idempotency) {
      await completeIdempotencyKey(tx, p.idempotency.terminalId, p.idempotency.key, {
        status: 200,
        body: { id: row.id, status: row.status },
      });
    }
    return row;
  });
}

/**
 * Decides a processing refund, at most once: under the payment's row lock (then the refund's),
 * a success raises `refunded_fen`, moves the payment through `refund.partial`/`refund.full` and
 * posts journal `refund:<id>` (via applyOutcome); a refusal releases the reserved amount.
 */
export async function settleRefund(
  tx: Queryable,
  refund: RefundRow,
  outcome: { kind: 'succeeded' } | { kind: 'failed'; decline: ChannelDecline },
  source: RefundSource,
  now: Date,
): Promise<RefundRow> {
  const payment = await lockPayment(tx, refund.payment_id);
  const current = await lockRefund(tx, refund.id);
  if (!payment || !current) throw new Error(`refund ${refund.id} or its payment vanished`);
  if (current.status !== 'processing') return current;
  if (outcome.kind === 'succeeded') {
    const paid = payment.paid_amount_fen ?? payment.amount_fen;
    const event = payment.refunded_fen + current.amount_fen >= paid ? 'refund.full' : 'refund.partial';
    const applied = await applyOutcome(tx, payment.id, { event, refundId: current.id, amountFen: current.amount_fen }, 'refund');
    if (applied.kind !== 'applied') {
      // Cannot happen while refunds are reserved under this lock; refuse loudly rather than lose the money trail.
      throw new Error(`refund ${current.id}: payment ${payment.id} (${payment.status}) refused ${event}`);
    }
    await markRefundSucceeded(tx, current.id, now);
    await finishRefundJob(tx, current.id, `${source}: refunded`);
  } else {
    const d = outcome.decline;
    await markRefundFailed(tx, current.id, {
      code: d.code,
      cause: d.cause,
      action: d.action,
      rawCode: d.rawCode,
      ...(d.rawSubCode ? { rawSubCode: d.rawSubCode } : {}),
      ...(d.rawMessage ? { rawMessage: d.rawMessage } : {}),
      at: now,
    });
    await insertPaymentEvent(tx, {
      paymentId: payment.id,
      type: 'refund.failed',
      from: payment.status,
      data: { refundId: current.id, source, code: d.code, rawCode: d.rawCode, rawSubCode: d.rawSubCode },
    });
    await finishRefundJob(tx, current.id, `${source}: declined ${d.code}`);
  }
  return (await findRefund(tx, current.id)) as RefundRow;
}
