import { findMerchant } from '../../merchants/store.ts';
import type { PaymentsDeps } from '../deps.ts';
import { callRefund, callRefundQuery, persistRefundAnswer, refundQueryDelay, settleRefund } from '../refund-outcome.ts';
import {
  claimDueRefundJobs,
  findRefund,
  finishRefundJob,
  markRefundJobAlerted,
  type RefundJobRow,
  type RefundRow,
  scheduleRefundJob,
} from '../refunds-store.ts';
import { findPayment, insertPaymentEvent } from '../store.ts';
import { refundRequestOf } from './refund.ts';

/**
 * One step of settling a refund whose answer was not definite: ask the channel by refund query
 * (Alipay: no earlier than ~10 s after the call). Refunded → succeeded. Not found → the channel
 * never got it (or it did not go through): send the same out_request_no and amount again, which
 * the channel treats as the same refund. Anything else: ask again later, with backoff.
 */
export async function resolveRefundStep(deps: PaymentsDeps, job: RefundJobRow): Promise<string> {
  const refund = await findRefund(deps.db, job.refund_id);
  if (!refund) return 'refund missing';
  if (refund.status !== 'processing') {
    await finishRefundJob(deps.db, refund.id, `already ${refund.status}`);
    return `already ${refund.status}`;
  }
  const payment = await findPayment(deps.db, refund.payment_id);
  const merchant = payment ? await findMerchant(deps.db, payment.merchant_id) : undefined;
  const channel = payment ? deps.channels[payment.channel as keyof PaymentsDeps['channels']] : undefined;
  if (!payment || !merchant || !channel) return 'payment, merchant or channel missing';
  await maybeAlert(deps, refund, job);
  const req = refundRequestOf(refund, payment, merchant);
  const retryInMs = refundBackoff(job.attempts, refundQueryDelay(deps));

  const found = await callRefundQuery(channel, req);
  if (found.kind === 'refunded' && found.amountFen === refund.amount_fen) {
    await deps.db.transaction((tx) => settleRefund(tx, refund, { kind: 'succeeded' }, 'query', deps.now()));
    return 'query: refunded';
  }
  if (found.kind === 'not_found') {
    const answer = await callRefund(channel, req);
    const row = await persistRefundAnswer(deps, refund, answer, { source: 'resend', retryInMs });
    return `query: not found; resent: ${answer.kind} → ${row.status}`;
  }
  let note = `query: ${found.kind}`;
  if (found.kind === 'refunded') {
    // Our request number with another amount: never record it; keep asking and alert a person.
    note = `query: refunded ${found.amountFen} fen, expected ${refund.amount_fen}`;
    deps.log.error({ refundId: refund.id, outRequestNo: refund.out_request_no, reportedFen: found.amountFen }, 'refund amount mismatch at the channel');
  }
  await deps.db.transaction((tx) => scheduleRefundJob(tx, refund.id, new Date(deps.now().getTime() + retryInMs), note));
  return `${note}, again in ${retryInMs} ms`;
}

/** The refund query delay, doubling per attempt, up to 32 times it (5 min with Alipay's 10 s). */
export function refundBackoff(attempts: number, baseMs: number): number {
  return baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 5);
}

/** Runs every due refund job once; the resolution worker calls it on each pass. */
export async function runDueRefundJobs(deps: PaymentsDeps, nodeId: string, opts: { batch?: number; leaseMs?: number } = {}): Promise<number> {
  let total = 0;
  // Bounded, so a job rescheduled with no delay cannot keep one pass busy forever.
  for (let round = 0; round < 50; round++) {
    const jobs = await claimDueRefundJobs(deps.db, nodeId, opts.batch ?? 20, opts.leaseMs ?? 30_000, deps.now());
    if (jobs.length === 0) return total;
    total += jobs.length;
    await Promise.all(
      jobs.map(async (job) => {
        try {
          const what = await resolveRefundStep(deps, job);
          deps.log.info({ refundId: job.refund_id, result: what }, 'refund resolution step');
        } catch (err) {
          // The lease expires and the job runs again; nothing is lost.
          deps.log.error({ err, refundId: job.refund_id }, 'refund resolution step failed');
        }
      }),
    );
  }
  return total;
}

async function maybeAlert(deps: PaymentsDeps, refund: RefundRow, job: RefundJobRow): Promise<void> {
  if (job.alerted_at) return;
  const age = deps.now().getTime() - refund.created_at.getTime();
  if (age < deps.timings.alertAfterMs) return;
  if (await markRefundJobAlerted(deps.db, refund.id)) {
    await insertPaymentEvent(deps.db, {
      paymentId: refund.payment_id,
      type: 'refund.alert',
      data: { refundId: refund.id, ageMs: age, attempts: job.attempts },
    });
    deps.log.error({ refundId: refund.id, outRequestNo: refund.out_request_no, ageMs: age }, 'refund still undecided past the alert deadline; resolution continues');
  }
}
