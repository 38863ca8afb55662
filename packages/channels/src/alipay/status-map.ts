/**
 * Alipay trade_status → our trade state, in one exhaustive switch (protocol brief §2.4).
 * A status string we do not know is not guessed at: the callers turn it into `unknown`.
 */

export const ALIPAY_TRADE_STATUSES = ['WAIT_BUYER_PAY', 'TRADE_SUCCESS', 'TRADE_FINISHED', 'TRADE_CLOSED'] as const;
export type AlipayTradeStatus = (typeof ALIPAY_TRADE_STATUSES)[number];

export type TradeState = 'waiting_buyer' | 'paid' | 'finished' | 'closed';

export function isAlipayTradeStatus(value: unknown): value is AlipayTradeStatus {
  return typeof value === 'string' && (ALIPAY_TRADE_STATUSES as readonly string[]).includes(value);
}

export function tradeState(status: AlipayTradeStatus): TradeState {
  switch (status) {
    case 'WAIT_BUYER_PAY':
      return 'waiting_buyer';
    case 'TRADE_SUCCESS':
      return 'paid';
    // Paid, but no longer refundable (refund window over or a non-refundable product).
    case 'TRADE_FINISHED':
      return 'finished';
    // Closed unpaid (timeout, close, cancel) OR fully refunded after payment: the same status
    // covers both (AlipayTradeQueryResponse.java), so `closed` must not be read as "never paid".
    case 'TRADE_CLOSED':
      return 'closed';
    default: {
      const unreachable: never = status;
      throw new TypeError(`unhandled trade status ${String(unreachable)}`);
    }
  }
}
