import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Payment, Refund } from '@scanpay/contracts';
import { ApiError, newIdempotencyKey } from '@scanpay/terminal-sdk';
import { accountBalance, clearingAccount, merchantPayableAccount } from '../src/modules/ledger/ledger.ts';
import { DEMO_SUPERVISOR_PIN } from '../src/modules/merchants/seed-demo.ts';
import { describeEachBackend } from './db-backends.ts';
import { type Harness, startHarness } from './harness.ts';

interface SimTrade {
  outTradeNo: string;
  status: string;
  totalAmount: string;
  refundedAmount: string;
  paidAt?: string;
  refunds: { outRequestNo: string; amount: string }[];
}

const fen = (yuan: string) => Math.round(Number(yuan) * 100);

describeEachBackend('refunds', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(() => h?.close());

  const pay = async (amount: string): Promise<Payment> => {
    const p = await h.client.createPayment({ amount, authCode: await h.newCode() }, newIdempotencyKey());
    expect(p.status).toBe('succeeded');
    return p;
  };
  const refund = (paymentId: string, body: { amount: string; reason?: string; supervisorPin?: string }, key = newIdempotencyKey()) =>
    h.client.request<Refund>('POST', `/v1/payments/${paymentId}/refunds`, { supervisorPin: DEMO_SUPERVISOR_PIN, ...body }, {
      'idempotency-key': key,
    });
  const refusal = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as ApiError);
  const simTrade = async (outTradeNo: string) =>
    (await h.simAdmin<{ trades: SimTrade[] }>('GET', `/__sim/trades?outTradeNo=${outTradeNo}`)).trades[0] as SimTrade;
  const refundCalls = async () => (await h.simAdmin<{ counts: Record<string, number> }>('GET', '/__sim/calls')).counts['alipay.trade.refund'] ?? 0;

  it('refunds a payment in full: the refund succeeds, the payment is refunded, the channel agrees', async () => {
    const p = await pay('10.00');
    const r = await refund(p.id, { amount: '10.00', reason: '顾客退货' });
    expect(r).toMatchObject({ paymentId: p.id, status: 'succeeded', pending: false, amount: '10.00', amountFen: 1000, reason: '顾客退货' });
    expect(r.outRequestNo).toMatch(/^RF[0-9A-Z]{26}$/);
    expect(r.display.zh).toMatch(/退款成功/);
    const after = await h.client.getPayment(p.id);
    expect(after).toMatchObject({ status: 'refunded', refundedAmount: '10.00' });
    const trade = await simTrade(p.outTradeNo);
    expect(trade).toMatchObject({ status: 'TRADE_CLOSED', refundedAmount: '10.00' });
    expect(trade.refunds.map((x) => x.outRequestNo)).toEqual([r.outRequestNo]);
    expect(await h.client.request<Refund>('GET', `/v1/refunds/${r.id}`)).toEqual(r);
    const more = await refusal(refund(p.id, { amount: '0.01' }));
    expect(more.code).toBe('PAY_REFUND_EXCEEDS_PAID');
    expect(more.problem.refundable).toBe('0.00');
  });

  it('refunds in parts, twice, then the rest', async () => {
    const p = await pay('10.00');
    const first = await refund(p.id, { amount: '3.00' });
    expect((await h.client.getPayment(p.id)).status).toBe('partially_refunded');
    const second = await refund(p.id, { amount: '2.50' });
    const middle = await h.client.getPayment(p.id);
    expect(middle).toMatchObject({ status: 'partially_refunded', refundedAmount: '5.50' });
    const rest = await refund(p.id, { amount: '4.50' });
    expect([first.status, second.status, rest.status]).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(await h.client.getPayment(p.id)).toMatchObject({ status: 'refunded', refundedAmount: '10.00' });
    const trade = await simTrade(p.outTradeNo);
    expect(trade.refunds.map((x) => x.amount)).toEqual(['3.00', '2.50', '4.50']);
    const list = await h.client.request<{ refunds: Refund[] }>('GET', `/v1/payments/${p.id}/refunds`);
    expect(list.refunds.map((x) => x.id)).toEqual([first.id, second.id, rest.id]);
  });

  it('refuses more than the refundable amount and sends nothing to the channel', async () => {
    const p = await pay('5.00');
    await refund(p.id, { amount: '2.00' });
    const before = await refundCalls();
    const err = await refusal(refund(p.id, { amount: '3.01' }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.code).toBe('PAY_REFUND_EXCEEDS_PAID');
    expect(err.problem.refundable).toBe('3.00');
    expect(await refundCalls()).toBe(before);
    const rows = await h.db.query('select 1 from refunds where payment_id = $1', [p.id]);
    expect(rows.rowCount).toBe(1);
    expect((await h.client.getPayment(p.id)).refundedAmount).toBe('2.00');
  });

  it('refuses a refund of a payment that did not succeed', async () => {
    const poor = await h.simAdmin<{ buyerId: string }>('POST', '/__sim/buyers', { balance: '1.00' });
    const p = await h.client.createPayment({ amount: '5.00', authCode: await h.newCode(poor.buyerId) }, newIdempotencyKey());
    expect(p.status).toBe('failed');
    const err = await refusal(refund(p.id, { amount: '1.00' }));
    expect(err.code).toBe('PAY_REFUND_NOT_ALLOWED');
  });

  it('replays a retried Idempotency-Key: one refund, one channel call; another body with that key is refused', async () => {
    const p = await pay('8.00');
    const key = newIdempotencyKey();
    const before = await refundCalls();
    const first = await refund(p.id, { amount: '1.00' }, key);
    const again = await refund(p.id, { amount: '1.00' }, key);
    expect(again).toEqual(first);
    expect(await refundCalls()).toBe(before + 1);
    const other = await refusal(refund(p.id, { amount: '2.00' }, key));
    expect(other.status).toBe(422);
    expect(other.code).toBe('REQ_IDEMPOTENCY_MISMATCH');
    expect((await h.client.getPayment(p.id)).refundedAmount).toBe('1.00');
  });

  it('never refunds more than paid under 20 concurrent refunds that together exceed it', async () => {
    const p = await pay('10.00');
    const amounts = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? '1.00' : '0.50')); // 15.00 in all
    const results = await Promise.allSettled(amounts.map((amount) => refund(p.id, { amount })));
    const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as ApiError] : []));
    expect(refused.filter((e) => e.code !== 'PAY_REFUND_EXCEEDS_PAID').map((e) => e.message)).toEqual([]);
    expect(ok.every((r) => r.status === 'succeeded')).toBe(true);
    const refundedFen = ok.reduce((s, r) => s + r.amountFen, 0);
    expect(refundedFen).toBeLessThanOrEqual(1000);
    expect(refundedFen).toBeGreaterThanOrEqual(950); // the lock serialises: only the last ones are refused
    const payment = await h.client.getPayment(p.id);
    expect(fen(payment.refundedAmount)).toBe(refundedFen);
    const trade = await simTrade(p.outTradeNo);
    expect(fen(trade.refundedAmount)).toBe(refundedFen);
    expect(trade.refunds).toHaveLength(ok.length);
  });

  it('settles a refund whose answer was lost by refund query, after the query delay, without a second refund', async () => {
    const p = await pay('6.00');
    await h.simAdmin('PUT', '/__sim/faults', { rules: [{ method: 'alipay.trade.refund', kind: 'drop_response', count: 1 }] });
    let r: Refund;
    try {
      r = await refund(p.id, { amount: '6.00' });
    } finally {
      await h.simAdmin('DELETE', '/__sim/faults');
    }
    expect(r).toMatchObject({ status: 'processing', pending: true });
    expect(r.display.zh).toMatch(/不要重复退款/);
    const callsBefore = await refundCalls();
    // The query is due no earlier than the query delay after the call (Alipay: ~10 s; 100 ms here).
    const due = await h.db.query<{ gap_ms: number }>(
      `select (extract(epoch from j.next_run_at - e.created_at) * 1000)::int as gap_ms
       from refund_jobs j join payment_events e on e.data->>'refundId' = j.refund_id and e.type = 'refund.unconfirmed'
       where j.refund_id = $1`,
      [r.id],
    );
    expect(due.rows[0]?.gap_ms).toBeGreaterThanOrEqual(90);
    await new Promise((res) => setTimeout(res, 150));
    await h.platform.worker.runDue();
    const done = await h.client.request<Refund>('GET', `/v1/refunds/${r.id}?wait=5`);
    expect(done.status).toBe('succeeded');
    expect(await refundCalls()).toBe(callsBefore);
    const queries = await h.simAdmin<{ calls: unknown[] }>('GET', `/__sim/calls?method=alipay.trade.fastpay.refund.query&outTradeNo=${p.outTradeNo}`);
    expect(queries.calls.length).toBeGreaterThanOrEqual(1);
    expect(await h.client.getPayment(p.id)).toMatchObject({ status: 'refunded', refundedAmount: '6.00' });
    expect((await simTrade(p.outTradeNo)).refunds).toHaveLength(1);
  });

  it('sends the same refund request number again when the channel never received the refund', async () => {
    const p = await pay('2.00');
    await h.simAdmin('PUT', '/__sim/faults', { rules: [{ method: 'alipay.trade.refund', kind: 'http_500', count: 1 }] });
    let r: Refund;
    try {
      r = await refund(p.id, { amount: '2.00' });
    } finally {
      await h.simAdmin('DELETE', '/__sim/faults');
    }
    expect(r.status).toBe('processing');
    await new Promise((res) => setTimeout(res, 150));
    await h.platform.worker.runDue();
    expect((await h.client.request<Refund>('GET', `/v1/refunds/${r.id}`)).status).toBe('succeeded');
    const trade = await simTrade(p.outTradeNo);
    expect(trade.refunds.map((x) => x.outRequestNo)).toEqual([r.outRequestNo]);
    expect(trade.refundedAmount).toBe('2.00');
  });

  it('records a definite refusal with the channel code and remedy, and frees the amount again', async () => {
    const p = await pay('4.00');
    await h.simAdmin('POST', `/__sim/apps/${h.appId}/merchant-status`, { balance: '0.00' });
    let r: Refund;
    try {
      r = await refund(p.id, { amount: '4.00' });
    } finally {
      await h.simAdmin('POST', `/__sim/apps/${h.appId}/merchant-status`, { balance: null });
    }
    expect(r.status).toBe('failed');
    expect(r.failure).toMatchObject({ code: 'CHN_SELLER_BALANCE_INSUFFICIENT', channelSubCode: 'ACQ.SELLER_BALANCE_NOT_ENOUGH' });
    expect(r.failure?.remedy.zh).toMatch(/[\u4e00-\u9fff]/);
    expect((await h.client.getPayment(p.id)).status).toBe('succeeded');
    const retry = await refund(p.id, { amount: '4.00' });
    expect(retry.status).toBe('succeeded');
    expect(retry.outRequestNo).not.toBe(r.outRequestNo);
  });

  it('keeps the ledger balanced and equal to the channel book (paid − refunded) to the fen', async () => {
    const clearing = await accountBalance(h.db, clearingAccount('alipay'));
    const payable = await accountBalance(h.db, merchantPayableAccount(h.merchantId));
    expect(clearing + payable).toBe(0);
    const { trades } = await h.simAdmin<{ trades: SimTrade[] }>('GET', '/__sim/trades');
    const net = trades.filter((t) => t.paidAt).reduce((s, t) => s + fen(t.totalAmount) - fen(t.refundedAmount), 0);
    expect(clearing).toBe(net);
    const journals = await h.db.query<{ n: number }>(
      `select count(*)::int as n from ledger_entries where kind = 'refund'`,
    );
    const succeeded = await h.db.query<{ n: number }>(`select count(*)::int as n from refunds where status = 'succeeded'`);
    expect(journals.rows[0]?.n).toBe(2 * (succeeded.rows[0]?.n ?? 0));
  });

  // Last: it locks the store's refunds.
  it('refuses a wrong supervisor PIN, locks after 5 wrong tries in 15 minutes, and records nothing else', async () => {
    const p = await pay('3.00');
    const before = await refundCalls();
    for (let i = 1; i <= 5; i++) {
      const err = await refusal(refund(p.id, { amount: '1.00', supervisorPin: i === 3 ? 'abc' : '000000' }));
      expect(err.status).toBe(403);
      expect(err.code).toBe('PAY_SUPERVISOR_PIN_INVALID');
      expect(err.problem.remainingTries).toBe(5 - i);
    }
    const locked = await refusal(refund(p.id, { amount: '1.00' }));
    expect(locked.status).toBe(429);
    expect(locked.code).toBe('PAY_SUPERVISOR_LOCKED');
    expect(locked.message).toMatch(/supervisor/i);
    expect(await refundCalls()).toBe(before);
    expect((await h.db.query('select 1 from refunds where payment_id = $1', [p.id])).rowCount).toBe(0);
    expect((await h.db.query(`select 1 from idempotency_keys where path like '%/refunds' and resource_id is null`)).rowCount).toBe(0);
    // Fifteen minutes later (moved back in the database), the right PIN works again.
    await h.db.query(`update stores set supervisor_pin_locked_until = now() - interval '1 second'`);
    expect((await refund(p.id, { amount: '1.00' })).status).toBe('succeeded');
  });
});
