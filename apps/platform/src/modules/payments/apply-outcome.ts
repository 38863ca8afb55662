import type { ChannelDecline, PaidTrade } from '@scanpay/channels';
import type { Queryable } from '../../db/index.ts';
import { clearingAccount, merchantPayableAccount, postJournal } from '../ledger/ledger.ts';
import { cancelUnderway } from './jobs.ts';
import { writeOutcome, type KeyCompletion, type OutcomeWrite } from './outcome-store.ts';
import { insertPaymentEvent, lockPayment, type PaymentChanges, type PaymentRow } from './store.ts';
import { canApply, nextStatus, PENDING_STATES, type PaymentEvent } from './transitions.ts';

/** A definite answer from the channel, already translated out of the channel's words. */
export type Outcome =
  | { event: 'channel.paid'; trade: PaidTrade }
  | { event: 'channel.waiting'; tradeNo?: string }
  | { event: 'channel.declined'; decline: ChannelDecline }
  | { event: 'channel.closed'; tradeNo?: string }
  | { event: 'cancel.closed'; tradeNo?: string }
  | { event: 'cancel.refunded'; tradeNo?: string }
  | { event: 'refund.partial' | 'refund.full'; refundId: string; amountFen: number };

export type OutcomeSource = 'pay' | 'precreate' | 'query' | 'cancel' | 'close' | 'notify' | 'refund';

export type ApplyResult =
  | { kind: 'applied'; payment: PaymentRow }
  | { kind: 'unchanged'; payment: PaymentRow } // same state, or a late answer the table refuses
  | { kind: 'amount_mismatch'; payment: PaymentRow; reportedFen: number };

/**
 * The "persist the result" stage, shared by pay, resolution and notifications: under the payment's
 * row lock, check the transition, write the new state, its event and its ledger journals, and close
 * the resolution job when the outcome is final. Call inside a transaction.
 */
export async function applyOutcome(
  tx: Queryable,
  paymentId: string,
  outcome: Outcome,
  source: OutcomeSource,
): Promise<ApplyResult> {
  const payment = await lockPayment(tx, paymentId);
  if (!payment) throw new Error(`payment ${paymentId} vanished`);
  const from = payment.status;

  if (outcome.event === 'channel.paid' && outcome.trade.amountFen !== payment.amount_fen) {
    // Never record a paid amount we did not ask for; the caller treats this as unknown and alerts.
    await insertPaymentEvent(tx, {
      paymentId,
      type: 'security.amount_mismatch',
      from,
      data: { source, expectedFen: payment.amount_fen, reportedFen: outcome.trade.amountFen },
    });
    return { kind: 'amount_mismatch', payment, reportedFen: outcome.trade.amountFen };
  }

  // Once the resolver has started to cancel (its rule, or a cashier's stop), the cancel decides: it
  // refunds a trade the buyer paid meanwhile. A "paid" arriving now (a notification, a late answer) must
  // not tell the cashier "paid" for money that is being returned, nor end the job before the cancel's
  // answer is in.
  if (outcome.event === 'channel.paid' && source !== 'cancel' && PENDING_STATES.has(from) && (await cancelUnderway(tx, paymentId))) {
    await insertPaymentEvent(tx, { paymentId, type: 'outcome.deferred_to_cancel', from, data: { source, event: outcome.event } });
    return { kind: 'unchanged', payment };
  }

  if (!canApply(from, outcome.event)) {
    await insertPaymentEvent(tx, { paymentId, type: 'outcome.ignored', from, data: { source, event: outcome.event } });
    return { kind: 'unchanged', payment };
  }
  const plan = planOutcome(payment, outcome, source);
  if (!plan) return { kind: 'unchanged', payment };
  await writeOutcome(tx, plan.write);
  return { kind: 'applied', payment: plan.next };
}

/**
 * The same stage without a lock, for the caller that holds the row as it was last written (pay,
 * right after its intent): one statement that applies only if the row's version is still the one
 * read, and also stores the idempotent reply. Answers undefined when it did not apply — somebody
 * else (a notification, the resolver) changed the payment meanwhile, or the outcome needs the
 * careful path (amount mismatch, a transition the table refuses) — and the caller then uses
 * `applyOutcome` under the lock.
 */
export async function applyOutcomeIfUnchanged(
  db: Queryable,
  payment: PaymentRow,
  outcome: Outcome,
  source: OutcomeSource,
  completeKey: (next: PaymentRow) => KeyCompletion,
): Promise<PaymentRow | undefined> {
  if (outcome.event === 'channel.paid' && outcome.trade.amountFen !== payment.amount_fen) return undefined;
  if (!canApply(payment.status, outcome.event)) return undefined;
  const plan = planOutcome(payment, outcome, source);
  if (!plan) return undefined;
  const written = await writeOutcome(db, { ...plan.write, expectVersion: payment.version, completeKey: completeKey(plan.next) });
  return written ? plan.next : undefined;
}

/** What an allowed outcome changes: the row, its event, its journals, the end of its job. */
function planOutcome(payment: PaymentRow, outcome: Outcome, source: OutcomeSource): { write: OutcomeWrite; next: PaymentRow } | undefined {
  const from = payment.status;
  const to = nextStatus(from, outcome.event);
  const changes = changesFor(outcome, payment);
  if (to !== from) changes.status = to;
  if (!PENDING_STATES.has(to) && PENDING_STATES.has(from)) changes.decided_at = new Date();

  const journals = journalsFor(from, to, payment);
  if (outcome.event === 'refund.partial' || outcome.event === 'refund.full') journals.push(refundJournal(payment, outcome));
  if (Object.keys(changes).length === 0 && journals.length === 0) return undefined;
  return {
    write: {
      paymentId: payment.id,
      changes,
      event: { type: outcome.event, from, to, data: { source, ...eventData(outcome) } },
      journals,
      ...(PENDING_STATES.has(to) ? {} : { finishJob: `${outcome.event} (${source})` }),
    },
    next: { ...payment, ...changes, version: payment.version + 1 },
  };
}

function changesFor(outcome: Outcome, payment: PaymentRow): PaymentChanges {
  switch (outcome.event) {
    case 'channel.paid':
      return {
        channel_trade_no: outcome.trade.tradeNo,
        paid_amount_fen: outcome.trade.amountFen,
        ...(outcome.trade.buyerLogonId ? { buyer_logon_id: outcome.trade.buyerLogonId } : {}),
      };
    case 'channel.declined':
      return {
        failure_code: outcome.decline.code,
        failure_cause: outcome.decline.cause,
        failure_action: outcome.decline.action,
        channel_raw_code: outcome.decline.rawCode,
        channel_raw_sub_code: outcome.decline.rawSubCode ?? null,
        channel_raw_message: outcome.decline.rawMessage?.slice(0, 512) ?? null,
      };
    case 'refund.partial':
    case 'refund.full':
      return { refunded_fen: payment.refunded_fen + outcome.amountFen };
    case 'channel.waiting':
    case 'channel.closed':
    case 'cancel.closed':
    case 'cancel.refunded':
      return outcome.tradeNo && !payment.channel_trade_no ? { channel_trade_no: outcome.tradeNo } : {};
  }
}

function eventData(outcome: Outcome): Record<string, unknown> {
  switch (outcome.event) {
    case 'channel.paid':
      return { tradeNo: outcome.trade.tradeNo, amountFen: outcome.trade.amountFen };
    case 'channel.declined':
      return { code: outcome.decline.code, rawCode: outcome.decline.rawCode, rawSubCode: outcome.decline.rawSubCode };
    case 'refund.partial':
    case 'refund.full':
      return { refundId: outcome.refundId, amountFen: outcome.amountFen };
    default:
      return outcome.tradeNo ? { tradeNo: outcome.tradeNo } : {};
  }
}

type Journal = Parameters<typeof postJournal>[1];

/** Money moved when the buyer was charged, and moved back when a cancel refunded them. */
function journalsFor(from: PaymentRow['status'], to: PaymentRow['status'], p: PaymentRow): Journal[] {
  const charge: Journal = {
    id: `pay:${p.id}`,
    kind: 'payment',
    paymentId: p.id,
    postings: [
      { account: clearingAccount(p.channel), amountFen: p.amount_fen },
      { account: merchantPayableAccount(p.merchant_id), amountFen: -p.amount_fen },
    ],
  };
  const reversal: Journal = {
    id: `reversal:${p.id}`,
    kind: 'reversal',
    paymentId: p.id,
    postings: [
      { account: clearingAccount(p.channel), amountFen: -p.amount_fen },
      { account: merchantPayableAccount(p.merchant_id), amountFen: p.amount_fen },
    ],
  };
  const wasPending = PENDING_STATES.has(from);
  if (wasPending && to === 'succeeded') return [charge];
  if (wasPending && to === 'reversed') return [charge, reversal];
  if (from === 'succeeded' && to === 'reversed') return [reversal];
  return [];
}

/** A refund that the channel confirmed: the money goes from the channel's clearing back to the merchant's side. */
function refundJournal(p: PaymentRow, r: { refundId: string; amountFen: number }): Journal {
  return {
    id: `refund:${r.refundId}`,
    kind: 'refund',
    paymentId: p.id,
    postings: [
      { account: clearingAccount(p.channel), amountFen: -r.amountFen },
      { account: merchantPayableAccount(p.merchant_id), amountFen: r.amountFen },
    ],
  };
}

export type { PaymentEvent };
