import type { CancelResult, Channel, QueryResult, TradeRef } from '@scanpay/channels';
import { type FailpointName, failpoint, failpointsActive } from '../../../lib/failpoints.ts';
import { findMerchant } from '../../merchants/store.ts';
import { merchantContext } from './pay-by-code.ts';
import { applyOutcome, type Outcome } from '../apply-outcome.ts';
import type { PaymentsDeps } from '../deps.ts';
import { finishJob, type JobRow, markAlerted, scheduleJob } from '../jobs.ts';
import { findPayment, insertPaymentEvent, lockPayment, type PaymentRow } from '../store.ts';
import { PENDING_STATES } from '../transitions.ts';

/**
 * One step of resolving a payment whose outcome is not definite, following Alipay's rules
 * (protocol brief §4): query every few seconds while the buyer may still confirm; when the
 * deadline passes, or the trade is unknown to the channel, cancel straight after the last query;
 * cancel again while the channel asks; never pay again. Each step ends by persisting what it
 * learned and when to run next.
 */
export async function resolveStep(deps: PaymentsDeps, job: JobRow): Promise<string> {
  const payment = await findPayment(deps.db, job.payment_id);
  if (!payment) return 'payment missing';
  if (!PENDING_STATES.has(payment.status)) {
    await finishJob(deps.db, payment.id, `already ${payment.status}`);
    return `already ${payment.status}`;
  }
  const channel = deps.channels[payment.channel as keyof PaymentsDeps['channels']];
  const merchant = await findMerchant(deps.db, payment.merchant_id);
  if (!channel || !merchant) return 'channel or merchant missing';
  const ref = { outTradeNo: payment.out_trade_no, merchant: merchantContext(merchant) };

  await maybeAlert(deps, payment, job);
  if (job.phase === 'query') {
    const result = await onTheWire(channel.query(ref), 'resolve.during_query');
    const next = await afterQuery(deps, payment, job, result);
    if (next !== 'cancel now') return next;
  }
  // Cancel, not close, also for a QR order (brief §2.3 allows either): between our last query and
  // this call the buyer may have scanned and paid; close then fails on the paid trade and a refund
  // would race the buyer, while cancel is atomic — it closes an unpaid trade, refunds a paid one and
  // says which (brief §4.4). A QR nobody scanned is then closed too (see below).
  const cancel = await onTheWire(channel.cancel(ref), 'resolve.during_cancel');
  if (payment.kind === 'qr' && cancel.kind === 'cancelled' && cancel.effect === 'none') {
    return afterCancel(deps, payment, job, await blockUnscannedQr(channel, ref));
  }
  return afterCancel(deps, payment, job, cancel);
}

/**
 * The cancel found no trade: the QR was never scanned. Cancel's effect on an order the channel
 * never saw is documented for barcode pay only (brief §4.4 [?]); close is documented to block an
 * unscanned precreate order from later payment even though it answers "no such trade" (brief
 * §2.3), so it is called as well. Any other answer — the buyer scanned in between — means cancel
 * again, which now meets the trade and closes or refunds it.
 */
async function blockUnscannedQr(channel: Channel, ref: TradeRef): Promise<CancelResult> {
  if (!channel.close) return { kind: 'cancelled', effect: 'none' };
  const closed = await channel.close(ref);
  if (closed.kind === 'not_found') return { kind: 'cancelled', effect: 'none' };
  if (closed.kind === 'closed') return { kind: 'cancelled', effect: 'closed', ...(closed.tradeNo ? { tradeNo: closed.tradeNo } : {}) };
  return { kind: 'retry', detail: `close after cancel: ${closed.kind === 'declined' ? closed.decline.rawSubCode ?? closed.decline.code : closed.reason}` };
}

async function afterQuery(deps: PaymentsDeps, payment: PaymentRow, job: JobRow, result: QueryResult): Promise<string> {
  const now = deps.now();
  const pastDeadline = now >= job.query_deadline_at;
  const outcome: Outcome | undefined =
    result.kind === 'paid' ? { event: 'channel.paid', trade: result }
      : result.kind === 'closed' ? { event: 'channel.closed', ...(result.tradeNo ? { tradeNo: result.tradeNo } : {}) }
        : undefined;
  if (outcome) {
    const applied = await deps.db.transaction((tx) => applyOutcome(tx, payment.id, outcome, 'query'));
    if (applied.kind !== 'amount_mismatch') return `query: ${result.kind}`;
  }
  if (result.kind === 'waiting_buyer' && !pastDeadline) {
    await deps.db.transaction(async (tx) => {
      await applyOutcome(tx, payment.id, { event: 'channel.waiting', ...(result.tradeNo ? { tradeNo: result.tradeNo } : {}) }, 'query');
      await scheduleJob(tx, payment.id, { nextRunAt: later(now, deps.timings.queryIntervalMs), lastResult: 'query: waiting' });
    });
    return 'query: waiting';
  }
  // Before the buyer scans a QR order the channel has no trade: "not yet", not "never" (brief
  // §2.3). Keep asking until the QR's deadline — unless no QR was ever handed out to be scanned.
  if (payment.kind === 'qr' && result.kind === 'not_found' && !pastDeadline && payment.qr_code !== null) {
    await deps.db.transaction((tx) =>
      scheduleJob(tx, payment.id, { nextRunAt: later(now, deps.timings.queryIntervalMs), lastResult: 'query: QR not scanned yet' }),
    );
    return 'query: QR not scanned yet';
  }
  // The pay request may still be in flight for a moment; a "not found" then is not yet conclusive.
  const payMayStillArrive =
    payment.kind === 'code' && now.getTime() - payment.created_at.getTime() < deps.timings.payTimeoutMs;
  if ((result.kind === 'not_found' || result.kind === 'unknown' || result.kind === 'declined') && !pastDeadline && payMayStillArrive) {
    await deps.db.transaction((tx) =>
      scheduleJob(tx, payment.id, { nextRunAt: later(now, deps.timings.queryIntervalMs), lastResult: `query: ${result.kind}` }),
    );
    return `query: ${result.kind}, again`;
  }
  if (result.kind === 'unknown' && !pastDeadline) {
    await deps.db.transaction((tx) =>
      scheduleJob(tx, payment.id, { nextRunAt: later(now, deps.timings.queryIntervalMs), lastResult: `query unknown: ${result.reason}` }),
    );
    return 'query: unknown, again';
  }
  // Deadline passed, or the channel has no such trade: cancel straight after this query — unless a
  // notification decided the payment while we asked. Under the row lock, so that either it came first
  // (no cancel: the cashier was told "paid") or the cancel did (the notification then defers to it).
  const cancelling = await deps.db.transaction(async (tx) => {
    const current = await lockPayment(tx, payment.id);
    if (!current || !PENDING_STATES.has(current.status)) return false;
    await insertPaymentEvent(tx, { paymentId: payment.id, type: 'resolution.cancel_started', data: { after: result.kind } });
    await scheduleJob(tx, payment.id, { phase: 'cancel', nextRunAt: now, lastResult: `query: ${result.kind}, cancelling` });
    return true;
  });
  return cancelling ? 'cancel now' : 'decided meanwhile: no cancel';
}

async function afterCancel(deps: PaymentsDeps, payment: PaymentRow, job: JobRow, result: CancelResult): Promise<string> {
  const now = deps.now();
  if (result.kind === 'cancelled') {
    const tradeNo = result.tradeNo ? { tradeNo: result.tradeNo } : {};
    const outcome: Outcome =
      result.effect === 'refunded' ? { event: 'cancel.refunded', ...tradeNo } : { event: 'cancel.closed', ...tradeNo };
    await deps.db.transaction((tx) => applyOutcome(tx, payment.id, outcome, 'cancel'));
    return `cancel: ${result.effect}`;
  }
  // retry_flag=Y, an unknown answer or a refusal: cancel again later, with backoff; never give up.
  const delay = cancelBackoff(job.cancel_attempts, deps.timings.cancelRetryMaxMs);
  await deps.db.transaction(async (tx) => {
    if (result.kind === 'declined') {
      await insertPaymentEvent(tx, {
        paymentId: payment.id,
        type: 'resolution.cancel_refused',
        data: { code: result.decline.code, rawSubCode: result.decline.rawSubCode },
      });
    }
    await scheduleJob(tx, payment.id, {
      phase: 'cancel',
      nextRunAt: later(now, delay),
      lastResult: `cancel: ${result.kind}`,
      cancelAttempted: true,
    });
  });
  return `cancel: ${result.kind}, again in ${delay} ms`;
}

/** 2 s, 2 s, 4 s, then doubling up to the ceiling (brief §4.3). */
export function cancelBackoff(attempts: number, maxMs: number): number {
  const steps = [2_000, 2_000, 4_000];
  const ms = attempts < steps.length ? (steps[attempts] as number) : 4_000 * 2 ** (attempts - steps.length + 1);
  return Math.min(ms, maxMs);
}

async function maybeAlert(deps: PaymentsDeps, payment: PaymentRow, job: JobRow): Promise<void> {
  if (job.alerted_at) return;
  const age = deps.now().getTime() - payment.created_at.getTime();
  if (age < deps.timings.alertAfterMs) return;
  if (await markAlerted(deps.db, payment.id)) {
    const incidentId = await deps.diagnoseUndecided?.(payment.id).catch((err: unknown) => {
      deps.log.warn({ err, paymentId: payment.id }, 'could not diagnose the undecided payment');
      return undefined;
    });
    await insertPaymentEvent(deps.db, {
      paymentId: payment.id,
      type: 'resolution.alert',
      data: { ageMs: age, phase: job.phase, attempts: job.attempts, cancelAttempts: job.cancel_attempts, incidentId },
    });
    deps.log.error(
      { paymentId: payment.id, outTradeNo: payment.out_trade_no, ageMs: age, phase: job.phase, incidentId },
      'payment still undecided past the alert deadline; resolution continues',
    );
  }
}

/** Crash-test hook: lets a call reach the channel, then fires the failpoint before the answer is used. */
async function onTheWire<T>(call: Promise<T>, point: FailpointName): Promise<T> {
  if (failpointsActive()) {
    await new Promise((r) => setTimeout(r, 20));
    failpoint(point);
  }
  return call;
}

function later(now: Date, ms: number): Date {
  return new Date(now.getTime() + ms);
}
