import type { PrecreateResult } from '@scanpay/channels';
import type { CreateQrPaymentRequest, Payment } from '@scanpay/contracts';
import { AppError } from '@scanpay/errors';
import { DEFAULT_QR_DEADLINE_MS } from '../../../config.ts';
import { sha256Hex } from '../../../lib/hash.ts';
import { findMerchant } from '../../merchants/store.ts';
import type { TerminalRow } from '../../terminals/store.ts';
import { applyOutcome } from '../apply-outcome.ts';
import type { PaymentsDeps } from '../deps.ts';
import { completeIdempotencyKey } from '../idempotency.ts';
import { scheduleJob } from '../jobs.ts';
import { sendOnce } from '../channel-call.ts';
import { presentPayment } from '../present.ts';
import { findPayment, insertPaymentEvent, lockPayment, type PaymentRow, updatePayment } from '../store.ts';
import { amountFenOrThrow, merchantContext, persistIntent, subjectOrThrow } from './intent.ts';

export interface QrPaymentInput {
  terminal: TerminalRow;
  idempotencyKey: string;
  body: CreateQrPaymentRequest;
  rawBody: string;
}

export function qrDeadlineMs(deps: PaymentsDeps): number {
  return deps.timings.qrDeadlineMs ?? DEFAULT_QR_DEADLINE_MS;
}

/**
 * 顾客扫码: a QR order (Alipay precreate) for a customer who cannot show a payment code. Same
 * stages as pay by code: validate → persist the intent (key and resolution job, one statement) →
 * call `precreate` once, outside any transaction → persist the QR and the state. The order then
 * waits for the buyer (`waiting_buyer`) and the resolution job queries it until the QR's deadline;
 * before the scan the channel says "no such trade", which here means "not yet".
 */
export async function createQrPayment(
  deps: PaymentsDeps,
  input: QrPaymentInput,
): Promise<{ payment: Payment; replayed: boolean }> {
  // ── validate ──
  const amountFen = amountFenOrThrow(input.body.amount);
  const subject = subjectOrThrow(input.body.subject);
  const channel = deps.channels.alipay;
  if (!channel?.precreate) throw new AppError('PAY_QR_UNAVAILABLE', { detail: 'no enabled channel offers precreate' });
  const merchant = input.terminal.merchant ?? (await findMerchant(deps.db, input.terminal.merchant_id));
  if (!merchant || merchant.status !== 'active') throw new AppError('PAY_MERCHANT_INACTIVE');

  // ── persist the intent ──
  const now = deps.now();
  const deadlineMs = qrDeadlineMs(deps);
  const expiresAt = new Date(now.getTime() + deadlineMs);
  const intent = await persistIntent(deps, {
    terminal: input.terminal,
    key: input.idempotencyKey,
    path: '/v1/payments/qr',
    requestHash: sha256Hex(`POST /v1/payments/qr\n${input.rawBody}`),
    amountFen,
    subject,
    channel: channel.id,
    paycodeMasked: '',
    operatorId: input.body.operatorId ?? null,
    kind: 'qr',
    queryDeadlineAt: expiresAt,
    qrExpiresAt: expiresAt,
  }, now);
  if (intent.kind === 'replay') {
    const existing = await findPayment(deps.db, intent.paymentId);
    if (!existing) throw new AppError('SYS_INTERNAL', { detail: 'idempotency key points at a missing payment' });
    return { payment: presentPayment(existing, merchant.name), replayed: true };
  }

  // ── call the channel (once) ──
  const precreate = channel.precreate.bind(channel);
  const result = await sendOnce(() => precreate({
    outTradeNo: intent.payment.out_trade_no,
    amountFen,
    subject,
    storeId: input.terminal.store_id,
    terminalId: input.terminal.serial ?? input.terminal.id,
    ...(input.body.operatorId ? { operatorId: input.body.operatorId } : {}),
    ...(deps.notifyBaseUrl ? { notifyUrl: `${deps.notifyBaseUrl}/${channel.id}` } : {}),
    // The channel's own expiry, no earlier than ours: a QR left on a screen stops being payable
    // there too, even if our cancel were delayed (Alipay's minimum is 1m).
    timeoutMinutes: Math.max(1, Math.ceil(deadlineMs / 60_000)),
    merchant: merchantContext(merchant),
  }));

  // ── persist the result ──
  const payment = await persistPrecreateResult(deps, intent.payment, result, input);
  return { payment: presentPayment(payment, merchant.name), replayed: false };
}

async function persistPrecreateResult(
  deps: PaymentsDeps,
  payment: PaymentRow,
  result: PrecreateResult,
  input: QrPaymentInput,
): Promise<PaymentRow> {
  const out = await deps.db.transaction(async (tx) => {
    const now = deps.now();
    await lockPayment(tx, payment.id);
    switch (result.kind) {
      case 'created':
        await updatePayment(tx, payment.id, { qr_code: result.qrCode });
        await applyOutcome(tx, payment.id, { event: 'channel.waiting' }, 'precreate');
        await scheduleJob(tx, payment.id, {
          nextRunAt: new Date(now.getTime() + deps.timings.queryIntervalMs),
          lastResult: 'precreate: waiting for the buyer to scan',
        });
        break;
      case 'declined':
        await applyOutcome(tx, payment.id, { event: 'channel.declined', decline: result.decline }, 'precreate');
        break;
      case 'unknown':
        // No QR reached the terminal, so nobody can scan this order: query once, then cancel now.
        await insertPaymentEvent(tx, {
          paymentId: payment.id,
          type: 'channel.unknown',
          from: payment.status,
          data: { source: 'precreate', reason: result.reason, detail: result.detail },
        });
        await scheduleJob(tx, payment.id, { nextRunAt: now, queryDeadlineAt: now, lastResult: `precreate unknown: ${result.reason}` });
        break;
    }
    const fresh = (await lockPayment(tx, payment.id)) as PaymentRow;
    await completeIdempotencyKey(tx, input.terminal.id, input.idempotencyKey, {
      status: 200,
      body: { id: fresh.id, status: fresh.status },
    });
    return fresh;
  });
  if (result.kind === 'unknown') deps.wakeResolver();
  return out;
}
