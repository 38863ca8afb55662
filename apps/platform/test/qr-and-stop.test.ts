/**
 * 顾客扫码 (a QR order, Alipay precreate) and 取消收款 (the cashier stops waiting), on the real
 * simulator and database. The platform's clock is movable (the terminal signs with the same one),
 * so a QR's 2-minute deadline passes in an instant while the simulator keeps real time.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Payment } from '@scanpay/contracts';
import { ApiError, newIdempotencyKey } from '@scanpay/terminal-sdk';
import { DEFAULT_QR_DEADLINE_MS } from '../src/config.ts';
import { claimDueJobs, findJob, scheduleJob } from '../src/modules/payments/jobs.ts';
import { listPaymentEvents } from '../src/modules/payments/store.ts';
import { describeEachBackend } from './db-backends.ts';
import { type Harness, startHarness } from './harness.ts';

interface SimTrade {
  outTradeNo: string;
  status: string;
  totalAmount: string;
  kind: string;
}
interface SimCall {
  seq: number;
  method: string;
  outTradeNo?: string;
}

describeEachBackend('顾客扫码 and 取消收款', (backend) => {
  let h: Harness;
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  beforeAll(async () => {
    h = await startHarness(backend, { now });
  });
  afterAll(() => h?.close());

  const simTrade = async (outTradeNo: string) =>
    (await h.simAdmin<{ trades: SimTrade[] }>('GET', `/__sim/trades?outTradeNo=${outTradeNo}&all=1`)).trades[0];
  const callsFor = async (outTradeNo: string) =>
    (await h.simAdmin<{ calls: SimCall[] }>('GET', `/__sim/calls?outTradeNo=${outTradeNo}`)).calls.map((c) => c.method.replace('alipay.trade.', ''));
  const precreateCount = async () =>
    (await h.simAdmin<{ counts: Record<string, number> }>('GET', '/__sim/calls')).counts['alipay.trade.precreate'] ?? 0;
  const refusal = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as ApiError);
  const scan = (outTradeNo: string, pay: boolean) =>
    fetch(`${h.sim.url}/__sim/precreate/${outTradeNo}/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pay }),
    });
  /** Runs due resolution steps until the payment is decided (or the step budget runs out). */
  const settle = async (id: string, steps = 20): Promise<Payment> => {
    let p = await h.client.getPayment(id);
    for (let i = 0; i < steps && p.pending; i++) {
      await h.platform.worker.runDue();
      p = await h.client.getPayment(id);
      if (p.pending) await new Promise((r) => setTimeout(r, 60));
    }
    return p;
  };
  const ledgerOf = async (id: string) =>
    (await h.db.query<{ journal_id: string; amount_fen: string }>(
      'select journal_id, amount_fen from ledger_entries where payment_id = $1 order by id', [id],
    )).rows.map((r) => `${r.journal_id} ${Number(r.amount_fen)}`);

  it('shows a QR, waits while it is not scanned, and ends succeeded with its journal once the buyer pays', async () => {
    const before = await precreateCount();
    const qr = await h.client.createQrPayment({ amount: '18.80' }, newIdempotencyKey());
    expect(qr).toMatchObject({ kind: 'qr', status: 'waiting_buyer', pending: true, amount: '18.80', paycode: '' });
    expect(qr.qrCode).toMatch(/^https:\/\/qr\.alipay\.com\/bax/);
    expect(Date.parse(qr.qrExpiresAt!) - Date.parse(qr.createdAt)).toBe(DEFAULT_QR_DEADLINE_MS);
    expect(qr.display.zh).toMatch(/扫码/);
    expect(await precreateCount()).toBe(before + 1);

    // Not scanned yet: the channel has no trade. That is "not yet", so the job keeps querying.
    for (let i = 0; i < 3; i++) {
      await h.platform.worker.runDue();
      await new Promise((r) => setTimeout(r, 60));
    }
    expect((await h.client.getPayment(qr.id)).status).toBe('waiting_buyer');
    expect(await findJob(h.db, qr.id)).toMatchObject({ state: 'active', phase: 'query' });
    expect((await callsFor(qr.outTradeNo)).filter((m) => m === 'query').length).toBeGreaterThanOrEqual(2);

    expect((await scan(qr.outTradeNo, true)).status).toBe(200);
    const done = await settle(qr.id);
    expect(done).toMatchObject({ status: 'succeeded', pending: false, qrCode: null, qrExpiresAt: null });
    expect(done.tradeNo).toMatch(/^\d{16,32}$/);
    expect(await ledgerOf(qr.id)).toEqual([`pay:${qr.id} 1880`, `pay:${qr.id} -1880`]);
    expect((await simTrade(qr.outTradeNo))?.status).toBe('TRADE_SUCCESS');
    expect(await callsFor(qr.outTradeNo)).not.toContain('cancel');
  });

  it('cancels a QR nobody scanned once its deadline passes, and a late scan cannot pay', async () => {
    const qr = await h.client.createQrPayment({ amount: '6.60' }, newIdempotencyKey());
    await h.platform.worker.runDue();
    expect((await h.client.getPayment(qr.id)).pending).toBe(true);

    offsetMs += DEFAULT_QR_DEADLINE_MS + 1_000;
    const done = await settle(qr.id);
    expect(done).toMatchObject({ status: 'cancelled', pending: false, qrCode: null });
    expect(done.display.zh).toMatch(/不会被扣款/);
    const calls = await callsFor(qr.outTradeNo);
    // The final query, the cancel straight after it, then the close that blocks an unscanned QR.
    expect(calls.slice(-3)).toEqual(['query', 'cancel', 'close']);
    expect(await ledgerOf(qr.id)).toEqual([]);

    const late = await scan(qr.outTradeNo, true);
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: string }).error).toBe('closed');
    expect((await simTrade(qr.outTradeNo))?.status).toBe('TRADE_CLOSED');
    await h.platform.worker.runDue();
    expect((await h.client.getPayment(qr.id)).status).toBe('cancelled');
  });

  it('replays a retried QR request: the same order and QR, one precreate call', async () => {
    const key = newIdempotencyKey();
    const before = await precreateCount();
    const first = await h.client.createQrPayment({ amount: '3.20', subject: '咖啡' }, key);
    const again = await h.client.createQrPayment({ amount: '3.20', subject: '咖啡' }, key);
    expect(again.id).toBe(first.id);
    expect(again.qrCode).toBe(first.qrCode);
    expect(again.subject).toBe('咖啡');
    expect(await precreateCount()).toBe(before + 1);
    // The same key with another body, or on the pay-by-code route, is a different request.
    const other = await refusal(h.client.createQrPayment({ amount: '3.30' }, key));
    expect(other).toMatchObject({ status: 422, code: 'REQ_IDEMPOTENCY_MISMATCH' });
    const pay = await refusal(h.client.createPayment({ amount: '3.20', authCode: await h.newCode() }, key));
    expect(pay).toMatchObject({ status: 422, code: 'REQ_IDEMPOTENCY_MISMATCH' });
  });

  it('refuses a bad amount or subject before anything is recorded or sent', async () => {
    const before = await precreateCount();
    const count = async () => (await h.db.query<{ n: number }>(`select count(*)::int as n from payments where kind = 'qr'`)).rows[0]!.n;
    const recorded = await count();
    const cases: [Record<string, string>, string][] = [
      [{ amount: '' }, 'REQ_AMOUNT_MISSING'],
      [{ amount: '0.00' }, 'REQ_AMOUNT_OUT_OF_RANGE'],
      [{ amount: '100000000.01' }, 'REQ_AMOUNT_OUT_OF_RANGE'],
      [{ amount: '1.234' }, 'REQ_AMOUNT_INVALID'],
      [{ amount: '-5' }, 'REQ_AMOUNT_INVALID'],
      [{ amount: '5.00', subject: 'a=b&c' }, 'REQ_SUBJECT_INVALID'],
    ];
    for (const [body, code] of cases) {
      const err = await refusal(h.client.createQrPayment(body as { amount: string }, newIdempotencyKey()));
      expect(err, JSON.stringify(body)).toMatchObject({ status: 400, code });
    }
    expect(await precreateCount()).toBe(before);
    expect(await count()).toBe(recorded);
  });

  it('stops a payment while the buyer is still confirming: final query, cancel, nothing charged', async () => {
    const p = await h.client.createPayment({ amount: '2500.00', authCode: await h.newCode() }, newIdempotencyKey());
    expect(p.status).toBe('waiting_buyer');
    const key = newIdempotencyKey();
    const stopped = await h.client.cancelPayment(p.id, key);
    // The handler only reschedules the job; the answer is the payment as it is.
    expect(stopped).toMatchObject({ id: p.id, status: 'waiting_buyer', pending: true });
    expect(await callsFor(p.outTradeNo)).toEqual(['pay']);
    expect(await findJob(h.db, p.id)).toMatchObject({ phase: 'query', state: 'active' });

    const done = await settle(p.id, 3);
    expect(done).toMatchObject({ status: 'cancelled', pending: false });
    expect(done.display.zh).toMatch(/已撤销，顾客不会被扣款/);
    expect(await callsFor(p.outTradeNo)).toEqual(['pay', 'query', 'cancel']);
    expect((await simTrade(p.outTradeNo))?.status).toBe('TRADE_CLOSED');
    expect((await listPaymentEvents(h.db, p.id)).map((e) => e.type)).toContain('cashier.stop');
    expect(await ledgerOf(p.id)).toEqual([]);

    // A retried stop (same key) answers with the payment as it is now; a new stop is refused.
    const replay = await h.client.cancelPayment(p.id, key);
    expect(replay.status).toBe('cancelled');
    const late = await refusal(h.client.cancelPayment(p.id, newIdempotencyKey()));
    expect(late).toMatchObject({ status: 409, code: 'PAY_INVALID_STATE' });
  });

  it('stops a payment the buyer paid a moment before: the final query finds it paid, no cancel', async () => {
    const p = await h.client.createPayment({ amount: '2600.00', authCode: await h.newCode() }, newIdempotencyKey());
    expect(p.status).toBe('waiting_buyer');
    await h.simAdmin('POST', `/__sim/trades/${p.outTradeNo}/confirm`, {});
    const stopped = await h.client.cancelPayment(p.id, newIdempotencyKey());
    expect(stopped.pending).toBe(true);
    const done = await settle(p.id, 3);
    expect(done.status).toBe('succeeded');
    expect(await callsFor(p.outTradeNo)).toEqual(['pay', 'query']);
    expect((await simTrade(p.outTradeNo))?.status).toBe('TRADE_SUCCESS');
    expect(await ledgerOf(p.id)).toEqual([`pay:${p.id} 260000`, `pay:${p.id} -260000`]);
  });

  it('a stop during a running step leaves that step alone, and its next query is the final one, at once', async () => {
    const p = await h.client.createPayment({ amount: '2700.00', authCode: await h.newCode() }, newIdempotencyKey());
    // Wait until the job is due, then claim it as a worker on another node would: a step is running.
    await new Promise((r) => setTimeout(r, 80));
    const claimed = await claimDueJobs(h.db, 'other-node', 10, 30_000, now());
    expect(claimed.map((j) => j.payment_id)).toContain(p.id);
    await h.client.cancelPayment(p.id, newIdempotencyKey());
    // The lease holds: nobody else queries or cancels beside the running step.
    expect((await claimDueJobs(h.db, 'test-node', 10, 30_000, now())).map((j) => j.payment_id)).not.toContain(p.id);
    // The running step saw "waiting" and schedules its next query a full interval later …
    await h.db.transaction((tx) => scheduleJob(tx, p.id, { nextRunAt: new Date(now().getTime() + 60_000), lastResult: 'query: waiting' }));
    // … but a query is never scheduled past the deadline the stop moved: it runs now, then the cancel.
    expect((await findJob(h.db, p.id))!.next_run_at.getTime()).toBeLessThanOrEqual(now().getTime());
    const done = await settle(p.id, 2);
    expect(done.status).toBe('cancelled');
    expect(await callsFor(p.outTradeNo)).toEqual(['pay', 'query', 'cancel']);
  });

  it('refuses to stop a decided payment (409) or another merchant’s id (404)', async () => {
    const p = await h.client.createPayment({ amount: '1.00', authCode: await h.newCode() }, newIdempotencyKey());
    expect(p.status).toBe('succeeded');
    const err = await refusal(h.client.cancelPayment(p.id, newIdempotencyKey()));
    expect(err).toMatchObject({ status: 409, code: 'PAY_INVALID_STATE' });
    expect(err.problem.state).toBe('succeeded');
    expect(await callsFor(p.outTradeNo)).toEqual(['pay']);
    const missing = await refusal(h.client.cancelPayment('pay_00000000000000000000000000', newIdempotencyKey()));
    expect(missing).toMatchObject({ status: 404, code: 'PAY_NOT_FOUND' });
  });

  it('stops an undecided QR order: cancelled now, and the QR can no longer be paid', async () => {
    const qr = await h.client.createQrPayment({ amount: '9.90' }, newIdempotencyKey());
    const stopped = await h.client.cancelPayment(qr.id, newIdempotencyKey());
    expect(stopped.pending).toBe(true);
    const done = await settle(qr.id, 3);
    expect(done.status).toBe('cancelled');
    expect((await scan(qr.outTradeNo, true)).status).toBe(409);
  });

  it('stops a QR order the buyer scanned and paid just before: succeeded', async () => {
    const qr = await h.client.createQrPayment({ amount: '7.70' }, newIdempotencyKey());
    expect((await scan(qr.outTradeNo, true)).status).toBe(200);
    await h.client.cancelPayment(qr.id, newIdempotencyKey());
    const done = await settle(qr.id, 3);
    expect(done.status).toBe('succeeded');
    expect(await callsFor(qr.outTradeNo)).toEqual(['precreate', 'query']);
  });
});
