import { afterAll, beforeAll, expect, it } from 'vitest';
import { newIdempotencyKey } from '@scanpay/terminal-sdk';
import { applyOutcomeIfUnchanged } from '../src/modules/payments/apply-outcome.ts';
import type { PaymentRow } from '../src/modules/payments/store.ts';
import { describeEachBackend } from './db-backends.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Pay writes its answer in one unlocked statement guarded by the row's version. A writer holding a
 * stale row (somebody — a notification, the resolver — decided the payment meanwhile) must write
 * nothing at all: no second event, no second journal, no reply overwritten.
 */
describeEachBackend('the pay answer written without a lock', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(() => h?.close());

  const counts = async (paymentId: string) => {
    const events = await h.db.query(`select 1 from payment_events where payment_id = $1`, [paymentId]);
    const entries = await h.db.query(`select 1 from ledger_entries where payment_id = $1`, [paymentId]);
    return { events: events.rowCount, entries: entries.rowCount };
  };

  it('writes nothing from a stale row, and the payment stays as it was decided', async () => {
    const key = newIdempotencyKey();
    const paid = await h.client.createPayment({ amount: '3.21', authCode: await h.newCode() }, key);
    expect(paid.status).toBe('succeeded');
    const row = (await h.db.query<PaymentRow>('select * from payments where id = $1', [paid.id])).rows[0]!;
    const before = await counts(paid.id);
    const reply = await h.db.query<{ response_body: unknown }>('select response_body from idempotency_keys where key = $1', [key]);

    // The row as pay held it before its answer was written: pending, one version back.
    const stale: PaymentRow = { ...row, status: 'processing', version: row.version - 1, channel_trade_no: null, paid_amount_fen: null };
    const outcome = { event: 'channel.declined' as const, decline: { code: 'CHN_BUYER_BALANCE_INSUFFICIENT' as const, cause: 'buyer.balance_insufficient', action: 'rescan' as const, rawCode: '40004' } };
    const written = await applyOutcomeIfUnchanged(h.db, stale, outcome, 'pay', (next) => ({
      terminalId: h.terminalId,
      key,
      status: 200,
      body: { id: next.id, status: next.status },
    }));

    expect(written).toBeUndefined();
    expect(await counts(paid.id)).toEqual(before);
    expect((await h.client.getPayment(paid.id)).status).toBe('succeeded');
    const after = await h.db.query<{ response_body: unknown }>('select response_body from idempotency_keys where key = $1', [key]);
    expect(after.rows).toEqual(reply.rows);
  });

  it('writes the state, one event, one balanced journal and the reply from a current row', async () => {
    const paid = await h.client.createPayment({ amount: '1.00', authCode: await h.newCode() }, newIdempotencyKey());
    const entries = await h.db.query<{ amount_fen: number }>('select amount_fen from ledger_entries where payment_id = $1', [paid.id]);
    expect(entries.rows.map((e) => e.amount_fen).sort((a, b) => a - b)).toEqual([-100, 100]);
    const events = await h.db.query<{ type: string }>('select type from payment_events where payment_id = $1 order by id', [paid.id]);
    expect(events.rows.map((e) => e.type).filter((t) => t === 'channel.paid')).toHaveLength(1);
    const job = await h.db.query<{ state: string }>('select state from resolution_jobs where payment_id = $1', [paid.id]);
    expect(job.rows[0]?.state).toBe('done');
  });
});
