import type { PayResult } from '@scanpay/channels';
import { type CreatePaymentRequest, type Payment, Secret } from '@scanpay/contracts';
import { AppError } from '@scanpay/errors';
import { classifyScannedText, maskPaymentCode } from '@scanpay/paycode';
import { failpoint, failpointsActive } from '../../../lib/failpoints.ts';
import { sha256Hex } from '../../../lib/hash.ts';
import { findMerchant } from '../../merchants/store.ts';
import type { TerminalRow } from '../../terminals/store.ts';
import { applyOutcome, applyOutcomeIfUnchanged, type Outcome } from '../apply-outcome.ts';
import { sendOnce } from '../channel-call.ts';
import type { PaymentsDeps } from '../deps.ts';
import { completeIdempotencyKey } from '../idempotency.ts';
import { scheduleJob } from '../jobs.ts';
import { presentPayment } from '../present.ts';
import { findPayment, insertPaymentEvent, lockPayment, type PaymentRow } from '../store.ts';
import { amountFenOrThrow, merchantContext, persistIntent, subjectOrThrow } from './intent.ts';

export { merchantContext } from './intent.ts';

export interface PayByCodeInput {
  terminal: TerminalRow;
  idempotencyKey: string;
  body: CreatePaymentRequest;
  rawBody: string;
}

export interface PayByCodeOutput {
  payment: Payment;
  replayed: boolean;
}

/**
 * Pay by payment code. Stages: validate → persist the intent (with its idempotency key and its
 * resolution job, one transaction) → call the channel once → persist the result. A channel call
 * never happens inside a transaction, and the intent is durable before it is sent.
 */
export async function payByCode(deps: PaymentsDeps, input: PayByCodeInput): Promise<PayByCodeOutput> {
  // ── validate ──
  const amountFen = amountFenOrThrow(input.body.amount);
  const code = classifyScannedText(input.body.authCode);
  if (code.kind !== 'payment_code') throw refusalFor(code.kind);
  const subject = subjectOrThrow(input.body.subject);
  const channel = deps.channels[code.channel as keyof PaymentsDeps['channels']];
  if (!channel) {
    throw new AppError('REQ_PAYCODE_CHANNEL_UNSUPPORTED', { param: 'authCode', detail: `${code.channel} is not enabled` });
  }
  const merchant = input.terminal.merchant ?? (await findMerchant(deps.db, input.terminal.merchant_id));
  if (!merchant || merchant.status !== 'active') throw new AppError('PAY_MERCHANT_INACTIVE');

  // ── persist the intent ──
  const requestHash = sha256Hex(`POST /v1/payments\n${input.rawBody}`);
  const now = deps.now();
  const intent = await persistIntent(deps, {
    terminal: input.terminal,
    key: input.idempotencyKey,
    path: '/v1/payments',
    requestHash,
    amountFen,
    subject,
    channel: channel.id,
    paycodeMasked: maskPaymentCode(code.code),
    operatorId: input.body.operatorId ?? null,
    kind: 'code',
    queryDeadlineAt: new Date(now.getTime() + deps.timings.payTimeoutMs + deps.timings.waitForBuyerMs),
  }, now);
  if (intent.kind === 'replay') {
    const existing = await findPayment(deps.db, intent.paymentId);
    if (!existing) throw new AppError('SYS_INTERNAL', { detail: 'idempotency key points at a missing payment' });
    return { payment: presentPayment(existing, merchant.name), replayed: true };
  }
  failpoint('pay.after_intent');

  // ── call the channel (once) ──
  // A refusal at the channel's edge means nothing was sent; anything else might have been.
  const sending = sendOnce(() => channel.pay({
    outTradeNo: intent.payment.out_trade_no,
    authCode: new Secret(code.code),
    amountFen,
    subject,
    storeId: input.terminal.store_id,
    terminalId: input.terminal.serial ?? input.terminal.id,
    ...(input.body.operatorId ? { operatorId: input.body.operatorId } : {}),
    ...(deps.notifyBaseUrl ? { notifyUrl: `${deps.notifyBaseUrl}/${channel.id}` } : {}),
    merchant: merchantContext(merchant),
  }));
  if (failpointsActive()) {
    await new Promise((r) => setTimeout(r, 20)); // let the request reach the wire
    failpoint('pay.after_send');
  }
  const result = await sending;

  // ── persist the result ──
  const payment = await persistPayResult(deps, intent.payment, result, input);
  failpoint('pay.after_result_commit');
  return { payment: presentPayment(payment, merchant.name), replayed: false };
}

function refusalFor(kind: 'collection_code' | 'not_payment_code' | 'unknown_format' | 'empty'): AppError {
  switch (kind) {
    case 'empty':
      return new AppError('REQ_PAYCODE_MISSING', { param: 'authCode' });
    case 'collection_code':
      return new AppError('REQ_PAYCODE_COLLECTION_CODE', { param: 'authCode' });
    case 'not_payment_code':
      return new AppError('REQ_PAYCODE_NOT_PAYMENT_CODE', { param: 'authCode' });
    case 'unknown_format':
      return new AppError('REQ_PAYCODE_UNKNOWN_FORMAT', { param: 'authCode' });
  }
}

async function persistPayResult(
  deps: PaymentsDeps,
  payment: PaymentRow,
  result: PayResult,
  input: PayByCodeInput,
): Promise<PaymentRow> {
  // The common case — a definite answer, nobody else touched the payment since its intent — is one
  // statement; anything else takes the locked path below.
  const decided = result.kind === 'succeeded' || result.kind === 'declined' ? outcomeOfPay(result) : undefined;
  if (decided) {
    failpoint('pay.before_result_commit');
    const applied = await applyOutcomeIfUnchanged(deps.db, payment, decided, 'pay', (next) => ({
      terminalId: input.terminal.id,
      key: input.idempotencyKey,
      status: 200,
      body: { id: next.id, status: next.status },
    }));
    if (applied) return applied;
  }
  const updated = await deps.db.transaction(async (tx) => {
    const now = deps.now();
    let current = payment;
    let unknownReason: string | undefined;
    const outcome = outcomeOfPay(result);
    if (outcome) {
      const applied = await applyOutcome(tx, payment.id, outcome, 'pay');
      current = applied.payment;
      if (applied.kind === 'amount_mismatch') unknownReason = 'amount_mismatch';
    } else if (result.kind === 'unknown') {
      unknownReason = result.reason;
      // Lock before writing rows that point at the payment (see handle-notify: lock order).
      current = (await lockPayment(tx, payment.id)) as PaymentRow;
      await insertPaymentEvent(tx, {
        paymentId: payment.id,
        type: 'channel.unknown',
        from: payment.status,
        data: { source: 'pay', reason: result.reason, detail: result.detail },
      });
    }
    if (unknownReason) {
      // Unknown is not a state: the payment stays where it was; query now, then cancel.
      await scheduleJob(tx, payment.id, { nextRunAt: now, lastResult: `pay unknown: ${unknownReason}` });
    } else if (result.kind === 'waiting_buyer') {
      await scheduleJob(tx, payment.id, {
        nextRunAt: new Date(now.getTime() + deps.timings.queryIntervalMs),
        queryDeadlineAt: new Date(now.getTime() + deps.timings.waitForBuyerMs),
        lastResult: 'pay: waiting for the buyer',
      });
    }
    // A notification may have decided it meanwhile: answer with the row as it is now.
    const fresh = outcome && !unknownReason ? current : ((await lockPayment(tx, payment.id)) as PaymentRow);
    await completeIdempotencyKey(tx, input.terminal.id, input.idempotencyKey, {
      status: 200,
      body: { id: fresh.id, status: fresh.status },
    });
    failpoint('pay.before_result_commit');
    return { fresh, wake: Boolean(unknownReason) };
  });
  if (updated.wake) deps.wakeResolver();
  return updated.fresh;
}

function outcomeOfPay(result: PayResult): Outcome | undefined {
  switch (result.kind) {
    case 'succeeded':
      return { event: 'channel.paid', trade: result };
    case 'waiting_buyer':
      return { event: 'channel.waiting', ...(result.tradeNo ? { tradeNo: result.tradeNo } : {}) };
    case 'declined':
      return { event: 'channel.declined', decline: result.decline };
    case 'unknown':
      return undefined;
  }
}
