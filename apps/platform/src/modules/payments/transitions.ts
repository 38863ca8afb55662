import type { PaymentStatus } from '@scanpay/contracts';
import { AppError } from '@scanpay/errors';

/** What can happen to a payment. "unknown" is not here: an unknown outcome changes nothing. */
export type PaymentEvent =
  | 'channel.paid' // the channel says the buyer paid (pay, query or notification)
  | 'channel.waiting' // the buyer must confirm on the phone
  | 'channel.declined' // a definite refusal
  | 'channel.closed' // the channel closed the unpaid trade
  | 'cancel.closed' // our cancel closed an unpaid (or unknown) trade: nothing charged
  | 'cancel.refunded' // our cancel found the buyer charged and returned the money
  | 'refund.partial'
  | 'refund.full';

/** (state, event) → next state. Anything absent is refused with PAY_INVALID_STATE. */
export const TRANSITIONS: Record<PaymentStatus, Partial<Record<PaymentEvent, PaymentStatus>>> = {
  processing: {
    'channel.paid': 'succeeded',
    'channel.waiting': 'waiting_buyer',
    'channel.declined': 'failed',
    'channel.closed': 'cancelled',
    'cancel.closed': 'cancelled',
    'cancel.refunded': 'reversed',
  },
  waiting_buyer: {
    'channel.paid': 'succeeded',
    'channel.waiting': 'waiting_buyer',
    'channel.declined': 'failed',
    'channel.closed': 'cancelled',
    'cancel.closed': 'cancelled',
    'cancel.refunded': 'reversed',
  },
  succeeded: {
    'channel.paid': 'succeeded',
    // A cancel racing a late "paid" (query or notification) still moved the money back: record it.
    'cancel.refunded': 'reversed',
    'refund.partial': 'partially_refunded',
    'refund.full': 'refunded',
  },
  partially_refunded: {
    'channel.paid': 'partially_refunded',
    'refund.partial': 'partially_refunded',
    'refund.full': 'refunded',
  },
  failed: {},
  cancelled: { 'cancel.closed': 'cancelled', 'channel.closed': 'cancelled' },
  reversed: { 'cancel.refunded': 'reversed', 'channel.closed': 'reversed' },
  refunded: { 'refund.full': 'refunded', 'channel.closed': 'refunded' },
};

/** States in which the outcome is not yet known; the terminal keeps asking, never rescans. */
export const PENDING_STATES: ReadonlySet<PaymentStatus> = new Set(['processing', 'waiting_buyer']);

export function nextStatus(current: PaymentStatus, event: PaymentEvent): PaymentStatus {
  const next = TRANSITIONS[current][event];
  if (!next) {
    const allowed = Object.keys(TRANSITIONS[current]);
    throw new AppError('PAY_INVALID_STATE', {
      detail: `event ${event} is not allowed in state ${current}; allowed: ${allowed.join(', ') || 'none'}`,
      extra: { state: current, event, allowed },
    });
  }
  return next;
}

export function canApply(current: PaymentStatus, event: PaymentEvent): boolean {
  return TRANSITIONS[current][event] !== undefined;
}
