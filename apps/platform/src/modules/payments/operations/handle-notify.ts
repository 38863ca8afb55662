import type { ChannelId, VerifiedNotification } from '@scanpay/channels';
import type { Queryable } from '../../../db/index.ts';
import { findMerchant } from '../../merchants/store.ts';
import type { SecurityEvents } from '../../security/events.ts';
import { applyOutcome } from '../apply-outcome.ts';
import type { PaymentsDeps } from '../deps.ts';
import { makeRefundJobsDue } from '../refunds-store.ts';
import { findPaymentByOutTradeNo, insertPaymentEvent, lockPayment, type PaymentRow } from '../store.ts';
import { PENDING_STATES } from '../transitions.ts';
import { failpoint } from '../../../lib/failpoints.ts';

/** Test hooks: `beforeCommit` may throw to fail a delivery after its work but before the commit. */
export interface NotifyHooks {
  beforeCommit?: (n: VerifiedNotification) => void;
}

export type NotifyVerdict =
  | { ok: true; effect: NotifyEffect }
  | { ok: false; kind: string };

export type NotifyEffect =
  | 'applied' // a "paid" moved a pending payment to succeeded
  | 'unchanged' // nothing to do (e.g. paid for an already succeeded payment)
  | 'duplicate' // this notify id and status were handled before
  | 'query_scheduled' // the payment's resolution job is due now; the query decides
  | 'refund_query_scheduled' // our refunds in flight are queried now
  | 'unmatched'; // refund news with no refund of ours in flight: recorded for a person

class Refusal extends Error {
  constructor(readonly kind: string, readonly detail: Record<string, unknown>) {
    super(kind);
  }
}

/**
 * A channel notification (brief §5, RELIABILITY §3.3). Order: the signature (fail closed), then
 * our record (the order exists, same amount, our seller, same trade), then at most one effect
 * under the payment's row lock, keyed by notify id + status. A notification never decides an
 * amount or a refund and never creates a trade: only a "paid" for a pending payment is applied
 * directly; anything else makes the channel's query due now. Every refusal is a security event.
 */
export async function handleNotification(
  deps: PaymentsDeps,
  p: { channelId: ChannelId; params: Record<string, string>; source: string; security: SecurityEvents; hooks?: NotifyHooks },
): Promise<NotifyVerdict> {
  try {
    const effect = await checkAndApply(deps, p);
    return { ok: true, effect };
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    await p.security.record({
      kind: err.kind,
      source: p.source,
      detail: { channel: p.channelId, ...idsOf(p.params), ...err.detail },
    });
    return { ok: false, kind: err.kind };
  }
}

async function checkAndApply(
  deps: PaymentsDeps,
  p: { channelId: ChannelId; params: Record<string, string>; hooks?: NotifyHooks },
): Promise<NotifyEffect> {
  const channel = deps.channels[p.channelId];
  if (!channel) throw new Refusal('notify.channel_disabled', {});
  const check = channel.verifyNotification(p.params);
  if (!check.ok) throw new Refusal(`notify.${check.reason}`, { reason: check.detail });
  const n = check.notification;

  const payment = await findPaymentByOutTradeNo(deps.db, n.outTradeNo);
  if (!payment || payment.channel !== p.channelId) throw new Refusal('notify.unknown_trade', {});
  const merchant = await findMerchant(deps.db, payment.merchant_id);
  if (!merchant?.channel_seller_id || n.sellerId !== merchant.channel_seller_id) {
    throw new Refusal('notify.wrong_seller', { expectedSeller: merchant?.channel_seller_id ?? '(none configured)' });
  }
  if (n.amountFen !== payment.amount_fen) {
    throw new Refusal('notify.amount_mismatch', { expectedFen: payment.amount_fen, reportedFen: n.amountFen });
  }
  if (n.refundedFen !== undefined && n.refundedFen > payment.amount_fen) {
    throw new Refusal('notify.refund_exceeds_amount', { amountFen: payment.amount_fen, reportedRefundFen: n.refundedFen });
  }

  if (await recordIfAlreadyKnown(deps.db, p, payment, n)) return 'unchanged';

  let wake = false;
  const effect = await deps.db.transaction(async (tx) => {
    // The row lock first: the notification's foreign key would take a weaker lock on the payment,
    // and two deliveries upgrading theirs at once deadlock.
    const locked = (await lockPayment(tx, payment.id)) as PaymentRow;
    const fresh = await tx.query(
      `insert into channel_notifications (channel, notify_id, trade_status, payment_id, effect)
       values ($1, $2, $3, $4, 'pending') on conflict do nothing`,
      [p.channelId, n.notifyId, n.status, payment.id],
    );
    if (fresh.rowCount === 0) {
      p.hooks?.beforeCommit?.(n);
      return 'duplicate' as const;
    }
    if (locked.channel_trade_no && locked.channel_trade_no !== n.tradeNo) {
      throw new Refusal('notify.trade_mismatch', { expectedTradeNo: locked.channel_trade_no });
    }
    const decided = await decide(tx, locked, n, deps.now());
    if (decided === 'query_scheduled') wake = true;
    await tx.query('update channel_notifications set effect = $4 where channel = $1 and notify_id = $2 and trade_status = $3', [
      p.channelId,
      n.notifyId,
      n.status,
      decided,
    ]);
    p.hooks?.beforeCommit?.(n);
    failpoint('notify.during_handling');
    return decided;
  });
  if (wake) deps.wakeResolver();
  if (effect === 'unmatched') {
    deps.log.error({ outTradeNo: n.outTradeNo, notifyId: n.notifyId, status: n.status }, 'notification disagrees with our record; see the payment events');
  }
  return effect;
}

/**
 * Most notifications only confirm what pay already recorded ("paid", same trade). Those are recorded
 * in one statement, guarded by the payment still being so; a duplicate or a payment that changed
 * meanwhile writes nothing and takes the locked path.
 */
async function recordIfAlreadyKnown(
  db: Queryable,
  p: { channelId: ChannelId; hooks?: NotifyHooks },
  payment: PaymentRow,
  n: VerifiedNotification,
): Promise<boolean> {
  if (payment.status !== 'succeeded' || n.status !== 'paid' || n.refundedFen !== undefined || payment.channel_trade_no !== n.tradeNo) {
    return false;
  }
  p.hooks?.beforeCommit?.(n);
  failpoint('notify.during_handling');
  const r = await db.query(
    `insert into channel_notifications (channel, notify_id, trade_status, payment_id, effect)
     select $1, $2, $3, $4, 'unchanged'
     where exists (select 1 from payments where id = $4 and status = 'succeeded' and channel_trade_no = $5)
     on conflict do nothing`,
    [p.channelId, n.notifyId, n.status, payment.id, n.tradeNo],
  );
  return r.rowCount === 1;
}

async function decide(tx: Queryable, payment: PaymentRow, n: VerifiedNotification, now: Date): Promise<NotifyEffect> {
  const pending = PENDING_STATES.has(payment.status);
  if (pending && n.status === 'paid' && n.refundedFen === undefined) {
    const applied = await applyOutcome(
      tx,
      payment.id,
      { event: 'channel.paid', trade: { tradeNo: n.tradeNo, amountFen: n.amountFen, ...(n.at ? { paidAt: n.at } : {}) } },
      'notify',
    );
    return applied.kind === 'applied' ? 'applied' : 'unchanged';
  }
  if (pending) {
    // Closed, finished or refund news for an undecided payment: the query decides, now.
    await makeResolutionJobDue(tx, payment.id, now);
    await insertPaymentEvent(tx, { paymentId: payment.id, type: 'notify.query_now', from: payment.status, data: eventData(n) });
    return 'query_scheduled';
  }
  if (payment.status === 'cancelled' || payment.status === 'failed') {
    if (n.status !== 'paid' && n.status !== 'finished') return 'unchanged';
    // The channel says paid where we recorded nothing charged: never flip it here; a person looks.
    await insertPaymentEvent(tx, { paymentId: payment.id, type: 'notify.paid_conflict', from: payment.status, data: eventData(n) });
    return 'unmatched';
  }
  const refundNews = n.refundedFen !== undefined || n.status === 'closed';
  if (!refundNews) return 'unchanged';
  if ((await makeRefundJobsDue(tx, payment.id, now)) > 0) return 'refund_query_scheduled';
  const channelRefundedFen = n.refundedFen ?? (n.status === 'closed' ? payment.amount_fen : 0);
  const ours = payment.status === 'reversed' ? payment.amount_fen : payment.refunded_fen;
  if (channelRefundedFen <= ours) return 'unchanged';
  // The channel reports more refunded than we know of, with nothing of ours in flight: a person looks.
  await insertPaymentEvent(tx, {
    paymentId: payment.id,
    type: 'notify.refund_unmatched',
    from: payment.status,
    data: { ...eventData(n), ourRefundedFen: ours },
  });
  return 'unmatched';
}

/** Brings the payment's resolution job forward without touching a lease another worker holds. */
async function makeResolutionJobDue(tx: Queryable, paymentId: string, now: Date): Promise<void> {
  await tx.query(
    `update resolution_jobs set next_run_at = $2, updated_at = now()
     where payment_id = $1 and state = 'active' and next_run_at > $2`,
    [paymentId, now],
  );
}

function eventData(n: VerifiedNotification): Record<string, unknown> {
  return {
    source: 'notify',
    notifyId: n.notifyId,
    status: n.status,
    tradeNo: n.tradeNo,
    ...(n.refundedFen !== undefined ? { refundedFen: n.refundedFen } : {}),
  };
}

/** Identifying fields for a security event, as received (never the signature). */
function idsOf(params: Record<string, string>): Record<string, unknown> {
  const keep = ['notify_id', 'app_id', 'seller_id', 'out_trade_no', 'trade_no', 'trade_status', 'total_amount', 'refund_fee', 'sign_type'];
  const out: Record<string, unknown> = {};
  for (const k of keep) if (params[k] !== undefined) out[k] = params[k];
  return out;
}
