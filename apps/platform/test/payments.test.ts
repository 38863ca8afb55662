import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiError, newIdempotencyKey } from '@scanpay/terminal-sdk';
import { accountBalance, clearingAccount, merchantPayableAccount } from '../src/modules/ledger/ledger.ts';
import { describeEachBackend } from './db-backends.ts';
import { type Harness, startHarness } from './harness.ts';

interface SimTrade {
  outTradeNo: string;
  tradeNo: string;
  status: string;
  totalAmount: string;
  refundedAmount: string;
}

describeEachBackend('paying by payment code', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(() => h?.close());

  const simTrade = async (outTradeNo: string) =>
    (await h.simAdmin<{ trades: SimTrade[] }>('GET', `/__sim/trades?outTradeNo=${outTradeNo}`)).trades[0];

  it('charges 12.34 and the channel book holds the same trade', async () => {
    const payment = await h.client.createPayment({ amount: '12.34', authCode: await h.newCode() }, newIdempotencyKey());
    expect(payment).toMatchObject({ status: 'succeeded', pending: false, amount: '12.34', amountFen: 1234, channel: 'alipay' });
    expect(payment.tradeNo).toMatch(/^\d{16,32}$/);
    expect(payment.display.zh).toBe('支付成功');
    const trade = await simTrade(payment.outTradeNo);
    expect(trade).toMatchObject({ status: 'TRADE_SUCCESS', totalAmount: '12.34', tradeNo: payment.tradeNo });
    const again = await h.client.getPayment(payment.id);
    expect(again.status).toBe('succeeded');
  });

  it('keeps the ledger balanced and equal to what the channel collected', async () => {
    const clearing = await accountBalance(h.db, clearingAccount('alipay'));
    const payable = await accountBalance(h.db, merchantPayableAccount(h.merchantId));
    expect(clearing + payable).toBe(0);
    const { trades } = await h.simAdmin<{ trades: SimTrade[] }>('GET', '/__sim/trades');
    const collected = trades
      .filter((t) => t.status === 'TRADE_SUCCESS')
      .reduce((s, t) => s + Math.round(Number(t.totalAmount) * 100), 0);
    expect(clearing).toBe(collected);
  });

  it('answers a definite decline with the cause and the remedy, and records it failed', async () => {
    const poor = await h.simAdmin<{ buyerId: string }>('POST', '/__sim/buyers', { balance: '1.00' });
    const payment = await h.client.createPayment({ amount: '5.00', authCode: await h.newCode(poor.buyerId) }, newIdempotencyKey());
    expect(payment.status).toBe('failed');
    expect(payment.failure).toMatchObject({
      code: 'CHN_BUYER_BALANCE_INSUFFICIENT',
      cause: expect.stringMatching(/^buyer\./),
      channelSubCode: 'ACQ.BUYER_BALANCE_NOT_ENOUGH',
    });
    expect(payment.failure?.message.zh).toMatch(/余额不足/);
    expect(payment.failure?.remedy.en.length).toBeGreaterThan(10);
  });

  it('refuses a used payment code: the customer must refresh it', async () => {
    const code = await h.newCode();
    const first = await h.client.createPayment({ amount: '1.00', authCode: code }, newIdempotencyKey());
    expect(first.status).toBe('succeeded');
    const second = await h.client.createPayment({ amount: '1.00', authCode: code }, newIdempotencyKey());
    expect(second.status).toBe('failed');
    expect(second.failure?.code).toBe('CHN_PAYCODE_INVALID');
    expect(second.failure?.action).toBe('rescan');
  });

  it('replays the same payment for a retried Idempotency-Key and calls the channel once', async () => {
    const key = newIdempotencyKey();
    const body = { amount: '2.50', authCode: await h.newCode() };
    const before = await h.simAdmin<{ counts: Record<string, number> }>('GET', '/__sim/calls');
    const first = await h.client.createPayment(body, key);
    const second = await h.client.createPayment(body, key);
    expect(second.id).toBe(first.id);
    expect(second.status).toBe('succeeded');
    const after = await h.simAdmin<{ counts: Record<string, number> }>('GET', '/__sim/calls');
    expect((after.counts['alipay.trade.pay'] ?? 0) - (before.counts['alipay.trade.pay'] ?? 0)).toBe(1);
  });

  it('refuses the same Idempotency-Key with another body (422)', async () => {
    const key = newIdempotencyKey();
    await h.client.createPayment({ amount: '3.00', authCode: await h.newCode() }, key);
    const err = await h.client.createPayment({ amount: '4.00', authCode: await h.newCode() }, key).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.code).toBe('REQ_IDEMPOTENCY_MISMATCH');
  });

  it('waits for the buyer to confirm (10003), then resolves by query', async () => {
    const payment = await h.client.createPayment({ amount: '2500.00', authCode: await h.newCode() }, newIdempotencyKey());
    expect(payment.status).toBe('waiting_buyer');
    expect(payment.pending).toBe(true);
    expect(payment.display.zh).toMatch(/输入支付密码/);
    await h.simAdmin('POST', `/__sim/trades/${payment.outTradeNo}/confirm`, {});
    await h.platform.worker.runDue();
    await new Promise((r) => setTimeout(r, 80));
    await h.platform.worker.runDue();
    const done = await h.client.getPayment(payment.id);
    expect(done.status).toBe('succeeded');
    expect((await simTrade(payment.outTradeNo))?.status).toBe('TRADE_SUCCESS');
  });

  it('cancels when the buyer never confirms, and nothing is charged', async () => {
    const payment = await h.client.createPayment({ amount: '3000.00', authCode: await h.newCode() }, newIdempotencyKey());
    expect(payment.status).toBe('waiting_buyer');
    const deadline = Date.now() + 5_000;
    let current = payment;
    while (current.pending && Date.now() < deadline) {
      await h.platform.worker.runDue();
      await new Promise((r) => setTimeout(r, 60));
      current = await h.client.getPayment(payment.id);
    }
    expect(current.status).toBe('cancelled');
    expect(current.display.zh).toMatch(/不会被扣款/);
    expect((await simTrade(payment.outTradeNo))?.status).toBe('TRADE_CLOSED');
  });

  it('resolves a lost pay answer by query: the charge is found, not repeated', async () => {
    await h.simAdmin('PUT', '/__sim/faults', { rules: [{ method: 'alipay.trade.pay', kind: 'drop_response', count: 1 }] });
    try {
      const payment = await h.client.createPayment({ amount: '7.77', authCode: await h.newCode() }, newIdempotencyKey());
      expect(payment.status).toBe('processing');
      expect(payment.pending).toBe(true);
      expect(payment.display.zh).toMatch(/请勿重复收款/);
      await h.platform.worker.runDue();
      const done = await h.client.getPayment(payment.id);
      expect(done.status).toBe('succeeded');
      expect(done.tradeNo).toBe((await simTrade(payment.outTradeNo))?.tradeNo);
    } finally {
      await h.simAdmin('DELETE', '/__sim/faults');
    }
  });
});
