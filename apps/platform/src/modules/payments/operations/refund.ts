import type { CreateRefundRequest, Refund } from '@scanpay/contracts';
import { AppError } from '@scanpay/errors';
import { formatYuan, parseYuan } from '@scanpay/money';
import { sha256Hex } from '../../../lib/hash.ts';
import { newId, ulid } from '../../../lib/ids.ts';
import { findMerchant, type MerchantRow } from '../../merchants/store.ts';
import { checkSupervisorPin } from '../../security/supervisor-pin.ts';
import type { TerminalRow } from '../../terminals/store.ts';
import type { PaymentsDeps } from '../deps.ts';
import { checkIdempotencyKey, insertIdempotencyKey, isUniqueViolation } from '../idempotency.ts';
import { callRefund, persistRefundAnswer, refundQueryDelay } from '../refund-outcome.ts';
import { presentRefund } from '../refund-present.ts';
import { findRefund, insertRefund, insertRefundJob, type RefundRow, reservedRefundFen } from '../refunds-store.ts';
import { findPayment, insertPaymentEvent, lockPayment, type PaymentRow } from '../store.ts';
import { merchantContext } from './pay-by-code.ts';

const REASON = /^[^\u0000-\u001f\u007f]{1,256}$/;
// `refunded` passes here and then fails the amount check, so the answer says "0.00 left to refund".
const REFUNDABLE_STATES: ReadonlySet<PaymentRow['status']> = new Set(['succeeded', 'partially_refunded', 'refunded']);

/** Our refund request number at the channel: letters and digits, unique for life. */
export function newOutRequestNo(): string {
  return `RF${ulid()}`;
}

export interface CreateRefundInput {
  terminal: TerminalRow;
  idempotencyKey: string;
  paymentId: string;
  body: CreateRefundRequest;
}

/**
 * Refund all or part of a payment. Stages: validate → supervisor PIN → persist the intent (the
 * refundable amount checked and reserved under the payment's row lock, with the idempotency key
 * and a refund job, one transaction) → call the channel once, outside any transaction → persist
 * the answer. An unconfirmed answer is settled by refund query, never by a second refund number.
 */
export async function createRefund(deps: PaymentsDeps, input: CreateRefundInput): Promise<{ refund: Refund; replayed: boolean }> {
  // ── validate ──
  const amount = parseYuan(input.body.amount);
  if (!amount.ok) {
    throw new AppError(
      amount.reason === 'empty' ? 'REQ_AMOUNT_MISSING'
        : amount.reason === 'below_minimum' || amount.reason === 'above_maximum' ? 'REQ_AMOUNT_OUT_OF_RANGE'
          : 'REQ_AMOUNT_INVALID',
      { param: 'amount', detail: `amount ${JSON.stringify(input.body.amount.slice(0, 32))}: ${amount.reason}` },
    );
  }
  const reason = input.body.reason ?? null;
  if (reason !== null && !REASON.test(reason)) {
    throw new AppError('REQ_VALIDATION', { param: 'reason', detail: 'reason: 1–256 characters without control characters' });
  }
  const payment = await findPayment(deps.db, input.paymentId);
  if (!payment || payment.merchant_id !== input.terminal.merchant_id) throw new AppError('PAY_NOT_FOUND', { param: 'id' });
  const channel = deps.channels[payment.channel as keyof PaymentsDeps['channels']];
  const merchant = await findMerchant(deps.db, payment.merchant_id);
  if (!channel || !merchant) {
    throw new AppError('PAY_REFUND_NOT_ALLOWED', { detail: `channel ${payment.channel} is not enabled on this platform` });
  }

  // ── the supervisor authorises (a refusal records only the failed try) ──
  await checkSupervisorPin(deps.db, {
    storeId: input.terminal.store_id,
    terminalId: input.terminal.id,
    pin: input.body.supervisorPin,
    now: deps.now(),
  });

  // ── persist the intent ──
  // The fingerprint leaves the PIN out: a hash of a 6-digit secret would be easy to reverse.
  const requestHash = sha256Hex(
    `POST /v1/payments/${payment.id}/refunds\n${JSON.stringify({ amount: input.body.amount, reason })}`,
  );
  const intent = await persistRefundIntent(deps, { input, requestHash, amountFen: amount.fen, reason });
  if (intent.kind === 'replay') {
    const existing = await findRefund(deps.db, intent.refundId);
    if (!existing || existing.payment_id !== payment.id) {
      throw new AppError('REQ_IDEMPOTENCY_MISMATCH', { detail: 'the key was first used for another resource' });
    }
    return { refund: presentRefund(existing), replayed: true };
  }

  // ── call the channel (once) ──
  const answer = await callRefund(channel, refundRequestOf(intent.refund, payment, merchant));

  // ── persist the answer ──
  const row = await persistRefundAnswer(deps, intent.refund, answer, {
    source: 'refund',
    retryInMs: refundQueryDelay(deps),
    idempotency: { terminalId: input.terminal.id, key: input.idempotencyKey },
  });
  return { refund: presentRefund(row), replayed: false };
}

export function refundRequestOf(refund: RefundRow, payment: PaymentRow, merchant: MerchantRow) {
  return {
    outTradeNo: payment.out_trade_no,
    outRequestNo: refund.out_request_no,
    amountFen: refund.amount_fen,
    ...(refund.reason ? { reason: refund.reason } : {}),
    merchant: merchantContext(merchant),
  };
}

type Intent = { kind: 'new'; refund: RefundRow } | { kind: 'replay'; refundId: string };

async function persistRefundIntent(
  deps: PaymentsDeps,
  p: { input: CreateRefundInput; requestHash: string; amountFen: number; reason: string | null },
): Promise<Intent> {
  const { terminal, idempotencyKey: key, paymentId } = p.input;
  for (let attempt = 0; ; attempt++) {
    try {
      return await deps.db.transaction(async (tx): Promise<Intent> => {
        const now = deps.now();
        const check = await checkIdempotencyKey(tx, terminal.id, key, p.requestHash, now);
        if (check.kind === 'replay') return { kind: 'replay', refundId: check.resourceId };
        // The payment's row lock serialises every refund of it: the check and the reservation are one step.
        const payment = await lockPayment(tx, paymentId);
        if (!payment) throw new AppError('PAY_NOT_FOUND', { param: 'id' });
        if (!REFUNDABLE_STATES.has(payment.status)) {
          throw new AppError('PAY_REFUND_NOT_ALLOWED', {
            detail: `the payment is ${payment.status}; only succeeded or partially refunded payments can be refunded`,
            extra: { state: payment.status },
          });
        }
        const paid = payment.paid_amount_fen ?? payment.amount_fen;
        const refundable = paid - (await reservedRefundFen(tx, payment.id));
        if (p.amountFen > refundable) {
          throw new AppError('PAY_REFUND_EXCEEDS_PAID', {
            param: 'amount',
            detail: `at most ${formatYuan(Math.max(0, refundable))} can be refunded (paid ${formatYuan(paid)}, refunded or in progress ${formatYuan(paid - refundable)})`,
            extra: { refundable: formatYuan(Math.max(0, refundable)), refundableFen: Math.max(0, refundable) },
          });
        }
        const row = {
          id: newId('rfd'),
          payment_id: payment.id,
          merchant_id: payment.merchant_id,
          store_id: terminal.store_id,
          terminal_id: terminal.id,
          out_request_no: newOutRequestNo(),
          amount_fen: p.amountFen,
          reason: p.reason,
          idempotency_key: key,
        };
        await insertRefund(tx, row);
        await insertIdempotencyKey(tx, {
          terminalId: terminal.id,
          key,
          requestHash: p.requestHash,
          method: 'POST',
          path: `/v1/payments/${payment.id}/refunds`,
          resourceId: row.id,
          lockedUntil: new Date(now.getTime() + deps.timings.payTimeoutMs + 5_000),
        });
        await insertPaymentEvent(tx, {
          paymentId: payment.id,
          type: 'refund.requested',
          from: payment.status,
          data: { refundId: row.id, outRequestNo: row.out_request_no, amountFen: p.amountFen },
        });
        // The safety net: if this process dies before the answer is stored, the job asks the channel.
        await insertRefundJob(tx, row.id, new Date(now.getTime() + deps.timings.payTimeoutMs + refundQueryDelay(deps)));
        return { kind: 'new', refund: (await findRefund(tx, row.id)) as RefundRow };
      });
    } catch (err) {
      if (isUniqueViolation(err) && attempt < 2) continue;
      throw err;
    }
  }
}
