import { afterAll, beforeAll, expect, it } from 'vitest';
import { newIdempotencyKey } from '@scanpay/terminal-sdk';
import { applyOutcome, applyOutcomeIfUnchanged } from '../src/modules/payments/apply-outcome.ts';
import { findPayment } from '../src/modules/payments/store.ts';
import { describeEachBackend } from './db-backends.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Once the resolver has started to cancel a payment, the cancel decides it: a "paid" arriving in
 * between (the buyer confirmed just before the cancel, the notification came late) must neither tell
 * the cashier "paid" nor close the job, or a lost cancel answer leaves a payment the platform calls
 * paid while the channel has returned the money (seen once in the chaos test).
 */
describeEachBackend('a paid answer while a cancel is under way', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(() => h?.close());

  it('is recorded but decides nothing; the cancel then reverses the payment and the books stay balanced', async () => {
    const payment = await h.client.createPayment({ amount: '2500.00', authCode: await h.newCode() }, newIdempotencyKey());
    expect(payment.status).toBe('waiting_buyer');
    // Where the resolver stands after deciding to cancel (kept from running here: far in the future).
    await h.db.query(`update resolution_jobs set phase = 'cancel', next_run_at = now() + interval '1 hour' where payment_id = $1`, [payment.id]);

    const trade = { tradeNo: 'T-late-paid', amountFen: 250_000 };
    const row = (await findPayment(h.db, payment.id))!;
    const unlocked = await applyOutcomeIfUnchanged(h.db, row, { event: 'channel.paid', trade }, 'pay', (next) => ({
      terminalId: h.terminalId,
      key: 'unused',
      status: 200,
      body: { id: next.id },
    }));
    expect(unlocked).toBeUndefined();
    const late = await h.db.transaction((tx) => applyOutcome(tx, payment.id, { event: 'channel.paid', trade }, 'notify'));
    expect(late.kind).toBe('unchanged');
    expect((await h.client.getPayment(payment.id)).status).toBe('waiting_buyer');
    const job = await h.db.query<{ state: string; phase: string }>('select state, phase from resolution_jobs where payment_id = $1', [payment.id]);
    expect(job.rows[0]).toEqual({ state: 'active', phase: 'cancel' });
    const events = await h.db.query<{ type: string }>('select type from payment_events where payment_id = $1', [payment.id]);
    expect(events.rows.map((e) => e.type)).toContain('outcome.deferred_to_cancel');

    // The cancel's answer: the buyer had paid, the channel returned the money.
    const decided = await h.db.transaction((tx) => applyOutcome(tx, payment.id, { event: 'cancel.refunded', tradeNo: trade.tradeNo }, 'cancel'));
    expect(decided.kind).toBe('applied');
    expect((await h.client.getPayment(payment.id)).status).toBe('reversed');
    const done = await h.db.query<{ state: string }>('select state from resolution_jobs where payment_id = $1', [payment.id]);
    expect(done.rows[0]?.state).toBe('done');
    const entries = await h.db.query<{ amount_fen: number }>('select amount_fen from ledger_entries where payment_id = $1', [payment.id]);
    expect(entries.rows.reduce((sum, e) => sum + Number(e.amount_fen), 0)).toBe(0);
  });
});
