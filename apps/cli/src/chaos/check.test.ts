import { describe, expect, it } from 'vitest';
import { checkAgainstBook, isClean, type PlatformPayment, type SimTrade } from './check.ts';

const payment = (over: Partial<PlatformPayment>): PlatformPayment => ({
  id: 'pay_1', outTradeNo: 'SP1', status: 'succeeded', amountFen: 1234, refundedFen: 0, idempotencyKey: 'k1', terminalId: 't1', ...over,
});
const trade = (over: Partial<SimTrade>): SimTrade => ({
  outTradeNo: 'SP1', status: 'TRADE_SUCCESS', totalAmount: '12.34', refundedAmount: '0.00', paidAt: '2026-11-28T00:00:00Z', ...over,
});

describe('the chaos checker', () => {
  it('passes a book and a platform that agree, with a matching ledger', () => {
    const v = checkAgainstBook([payment({})], [trade({})], { clearingFen: 1234 }, [{ idempotencyKey: 'k1', terminalId: 't1', status: 'succeeded' }]);
    expect(isClean(v)).toBe(true);
  });

  it('counts a charge the platform calls failed as lost', () => {
    const v = checkAgainstBook([payment({ status: 'cancelled' })], [trade({})], { clearingFen: 0 }, []);
    expect(v.lost).toBe(1);
    expect(v.ledgerDifferenceFen).toBe(-1234);
  });

  it('counts a charge the platform never recorded as lost', () => {
    const v = checkAgainstBook([], [trade({ outTradeNo: 'SPX' })], { clearingFen: 0 }, []);
    expect(v.lost).toBe(1);
  });

  it('counts two paid trades for one sale as a double charge', () => {
    const v = checkAgainstBook(
      [payment({}), payment({ id: 'pay_2', outTradeNo: 'SP2' })],
      [trade({}), trade({ outTradeNo: 'SP2' })],
      { clearingFen: 2468 },
      [],
    );
    expect(v.doubleCharges).toBe(1);
  });

  it('counts a recorded payment the channel never took as phantom', () => {
    const v = checkAgainstBook([payment({})], [trade({ status: 'TRADE_CLOSED', paidAt: undefined })], { clearingFen: 1234 }, []);
    expect(v.phantom).toBe(1);
  });

  it('treats a cancel that returned the money as nothing charged', () => {
    const v = checkAgainstBook([payment({ status: 'reversed' })], [trade({ status: 'TRADE_CLOSED', cancelAction: 'refund' })], { clearingFen: 0 }, []);
    expect(isClean(v)).toBe(true);
  });

  it('counts pending payments as unresolved and a disagreeing terminal screen', () => {
    const v = checkAgainstBook([payment({ status: 'processing' })], [trade({ status: 'WAIT_BUYER_PAY', paidAt: undefined })], { clearingFen: 0 }, [
      { idempotencyKey: 'k1', terminalId: 't1', status: 'succeeded' },
    ]);
    expect(v.unresolved).toBe(1);
    expect(v.terminalDisagreements).toBe(1);
  });

  it('follows partial refunds to the fen', () => {
    const ok = checkAgainstBook([payment({ status: 'partially_refunded', refundedFen: 234 })], [trade({ refundedAmount: '2.34' })], { clearingFen: 1000 }, []);
    expect(isClean(ok)).toBe(true);
    const off = checkAgainstBook([payment({ status: 'partially_refunded', refundedFen: 200 })], [trade({ refundedAmount: '2.34' })], { clearingFen: 1000 }, []);
    expect(off.statusMismatches).toBe(1);
  });
});
