import type { Payment } from '@scanpay/contracts';
import { AppError } from '@scanpay/errors';
import { sha256Hex } from '../../../lib/hash.ts';
import { findMerchant } from '../../merchants/store.ts';
import type { TerminalRow } from '../../terminals/store.ts';
import type { PaymentsDeps } from '../deps.ts';
import { checkIdempotencyKey, completeIdempotencyKey, insertIdempotencyKey, isUniqueViolation } from '../idempotency.ts';
import { stopWaiting } from '../jobs.ts';
import { presentPayment } from '../present.ts';
import { findPayment, insertPaymentEvent, lockPayment } from '../store.ts';
import { PENDING_STATES } from '../transitions.ts';

/**
 * 取消收款: the cashier stops waiting for the buyer. The channel is not called from here — a
 * resolution step may be running for this payment right now. Instead its job is told to end the
 * query phase now, so the worker makes one final query and cancels straight after it (brief
 * §4.2/§4.3), and is woken. The answer is the payment as it is (still pending): the terminal keeps
 * asking, and the channel decides between 已撤销 and a payment made just before.
 */
export async function stopPayment(
  deps: PaymentsDeps,
  input: { terminal: TerminalRow; idempotencyKey: string; paymentId: string },
): Promise<{ payment: Payment; replayed: boolean }> {
  const path = `/v1/payments/${input.paymentId}/cancel`;
  const requestHash = sha256Hex(`POST ${path}\n`);
  let outcome: { paymentId: string; replayed: boolean } | undefined;
  // Two requests with one new key at once: the second meets the first's key and becomes a replay.
  for (let attempt = 0; !outcome; attempt++) {
    try {
      outcome = await deps.db.transaction(async (tx) => {
        const now = deps.now();
        const check = await checkIdempotencyKey(tx, input.terminal.id, input.idempotencyKey, requestHash, now);
        // A retried stop answers with the payment as it is now, even once decided.
        if (check.kind === 'replay') return { paymentId: check.resourceId, replayed: true };
        const payment = await lockPayment(tx, input.paymentId);
        if (!payment || payment.merchant_id !== input.terminal.merchant_id) throw new AppError('PAY_NOT_FOUND', { param: 'id' });
        if (!PENDING_STATES.has(payment.status)) {
          throw new AppError('PAY_INVALID_STATE', {
            detail: `the payment is already ${payment.status}: there is nothing to stop`,
            extra: { state: payment.status },
          });
        }
        await insertIdempotencyKey(tx, {
          terminalId: input.terminal.id,
          key: input.idempotencyKey,
          requestHash,
          method: 'POST',
          path,
          resourceId: payment.id,
          lockedUntil: now,
        });
        await completeIdempotencyKey(tx, input.terminal.id, input.idempotencyKey, { status: 200, body: { id: payment.id, status: payment.status } });
        const scheduled = await stopWaiting(tx, payment.id, now);
        await insertPaymentEvent(tx, {
          paymentId: payment.id,
          type: 'cashier.stop',
          from: payment.status,
          data: { terminalId: input.terminal.id, jobScheduled: scheduled },
        });
        return { paymentId: payment.id, replayed: false };
      });
    } catch (err) {
      if (attempt === 0 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
  if (!outcome.replayed) deps.wakeResolver();
  const row = await findPayment(deps.db, outcome.paymentId);
  if (!row) throw new AppError('SYS_INTERNAL', { detail: 'idempotency key points at a missing payment' });
  const merchant = await findMerchant(deps.db, row.merchant_id);
  return { payment: presentPayment(row, merchant?.name ?? ''), replayed: outcome.replayed };
}
