/**
 * T6 (RELIABILITY §2): notification chaos. The simulator sends each notification 1–5 times, some
 * held back and released newest first, some delayed, on Alipay's retry schedule (sped up), while
 * our endpoint fails ~10% of deliveries before the commit. Payments race their notifications
 * (lost pay answers, buyers confirming later), and refunds add refund notifications. After a
 * quiet period: each effect applied at most once, only legal transitions, `success` only for
 * what is committed, no ledger double posts, and everything agrees with the simulator's book.
 * Reproduce a run with CHAOS_SEED=<seed printed below>.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Payment, Refund } from '@scanpay/contracts';
import { newIdempotencyKey } from '@scanpay/terminal-sdk';
import { DEMO_SUPERVISOR_PIN } from '../src/modules/merchants/seed-demo.ts';
import { TRANSITIONS, type PaymentEvent } from '../src/modules/payments/transitions.ts';
import { describeEachBackend } from './db-backends.ts';
import { type Harness, startHarness } from './harness.ts';

const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SimTrade {
  outTradeNo: string;
  status: string;
  totalAmount: string;
  refundedAmount: string;
  paidAt?: string;
  cancelAction?: string;
}
interface SimNotification {
  notifyId: string;
  outTradeNo: string;
  tradeStatus: string;
  status: string;
  attempts: number;
  copies: number;
}

const fen = (yuan: string) => Math.round(Number(yuan) * 100);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MIN = 60_000;
const HOUR = 60 * MIN;

describeEachBackend('notification chaos (T6)', (backend) => {
  let h: Harness;
  const rng = mulberry32(SEED);
  let failedDeliveries = 0;

  beforeAll(async () => {
    console.log(`notification chaos [${backend.name}]: CHAOS_SEED=${SEED}`);
    h = await startHarness(backend, {
      notify: true,
      // 1 simulated hour = 360 ms; buyers never time out on their own during the run.
      sim: { timeScale: 10_000, config: { autoCloseMs: 10 * HOUR } },
      notifyHooks: {
        beforeCommit: () => {
          if (rng() < 0.1) {
            failedDeliveries++;
            throw new Error('test failpoint: notification handled but not committed');
          }
        },
      },
    });
    await h.simAdmin('PUT', '/__sim/faults', {
      seed: SEED,
      rules: [
        { kind: 'notify_duplicate', times: 5, probability: 0.15 },
        { kind: 'notify_duplicate', times: 4, probability: 0.15 },
        { kind: 'notify_duplicate', times: 3, probability: 0.2 },
        { kind: 'notify_duplicate', times: 2, probability: 0.3 },
        { kind: 'notify_delay', ms: 2 * HOUR, probability: 0.25 },
        { kind: 'notify_reorder', batch: 3, maxHoldMs: HOUR, probability: 0.3 },
        { kind: 'drop_response', method: 'alipay.trade.pay', probability: 0.25 },
        { kind: 'wait_buyer', method: 'alipay.trade.pay', confirmAfterMs: 10 * MIN, probability: 0.3 },
        { kind: 'wait_buyer', method: 'alipay.trade.pay', confirmAfterMs: null, probability: 0.1 },
        { kind: 'drop_response', method: 'alipay.trade.refund', probability: 0.3 },
      ],
    });
  });
  afterAll(() => h?.close());

  it('applies each notification at most once, legally, acknowledged only after the commit, and agrees with the channel', async () => {
    // ── payments racing their notifications ──
    const payments: Payment[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const made = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const amount = (1 + Math.floor(rng() * 4900) / 100).toFixed(2);
          return h.client.createPayment({ amount, authCode: await h.newCode() }, newIdempotencyKey());
        }),
      );
      payments.push(...made);
    }
    await sleep(300); // let notifications arrive before any query
    const resolved = await drive(10_000, async () => {
      const r = await h.db.query<{ n: number }>(`select count(*)::int as n from resolution_jobs where state = 'active'`);
      return r.rows[0]?.n === 0;
    });
    expect(resolved).toBe(true);

    // ── refunds (full, one or two partial, none) on what succeeded ──
    const refunds: Refund[] = [];
    for (const p of payments) {
      const current = await h.client.getPayment(p.id);
      if (current.status !== 'succeeded') continue;
      const roll = rng();
      // Two partial refunds that together stay within the amount (a 1.00 payment cannot take 1.00 + 0.50).
      const parts = roll < 0.3 ? [current.amountFen] : roll < 0.6 ? [Math.floor(current.amountFen / 3)] : roll < 0.8 ? [Math.floor(current.amountFen / 2), Math.floor(current.amountFen / 4)] : [];
      for (const partFen of parts) {
        if (partFen <= 0) continue;
        const amount = (partFen / 100).toFixed(2);
        refunds.push(
          await h.client.request<Refund>('POST', `/v1/payments/${p.id}/refunds`, { amount, supervisorPin: DEMO_SUPERVISOR_PIN }, {
            'idempotency-key': newIdempotencyKey(),
          }),
        );
      }
    }
    expect(refunds.length).toBeGreaterThan(0);

    // ── quiesce: every notification acknowledged, every job done ──
    const quiet = await drive(30_000, async () => {
      const { notifications } = await h.simAdmin<{ notifications: SimNotification[] }>('GET', '/__sim/notifications');
      const open = notifications.filter((n) => n.status === 'pending' || n.status === 'held');
      const jobs = await h.db.query<{ n: number }>(
        `select (select count(*) from resolution_jobs where state = 'active') + (select count(*) from refund_jobs where state = 'active') as n`,
      );
      return open.length === 0 && Number(jobs.rows[0]?.n) === 0;
    });
    expect(quiet).toBe(true);

    const { notifications } = await h.simAdmin<{ notifications: SimNotification[] }>('GET', '/__sim/notifications');
    console.log(
      `notification chaos [${backend.name}]: ${payments.length} payments, ${refunds.length} refunds, ` +
        `${notifications.length} notifications, ${notifications.reduce((s, n) => s + n.attempts * n.copies, 0)} deliveries, ` +
        `${failedDeliveries} failed on purpose before commit; effects ${JSON.stringify(await effects())}`,
    );
    expect(failedDeliveries).toBeGreaterThan(0);
    expect(notifications.filter((n) => n.copies > 1).length).toBeGreaterThan(0);
    expect(notifications.every((n) => n.status === 'done')).toBe(true);

    // `success` only after the commit: every acknowledged notification is in our table.
    const stored = await h.db.query<{ notify_id: string; trade_status: string; effect: string }>(
      'select notify_id, trade_status, effect from channel_notifications',
    );
    const storedIds = new Set(stored.rows.map((r) => r.notify_id));
    expect(notifications.filter((n) => !storedIds.has(n.notifyId)).map((n) => n.notifyId)).toEqual([]);
    expect(stored.rows.length).toBe(notifications.length); // one row per notification, however often delivered
    expect(stored.rows.some((r) => r.effect === 'applied' || r.effect === 'refund_query_scheduled' || r.effect === 'query_scheduled')).toBe(true);
    expect(stored.rows.filter((r) => r.effect === 'unmatched')).toEqual([]);

    // Only legal transitions, and each payment charged at most once.
    const events = await h.db.query<{ payment_id: string; type: string; from_status: string; to_status: string }>(
      'select payment_id, type, from_status, to_status from payment_events where from_status is not null and to_status is not null',
    );
    const illegal = events.rows.filter(
      (e) => TRANSITIONS[e.from_status as keyof typeof TRANSITIONS]?.[e.type as PaymentEvent] !== e.to_status,
    );
    expect(illegal).toEqual([]);
    const charges = await h.db.query<{ n: number }>(
      `select count(*)::int as n from (select payment_id from payment_events where type = 'channel.paid'
         and from_status in ('processing', 'waiting_buyer') group by payment_id having count(*) > 1) x`,
    );
    expect(charges.rows[0]?.n).toBe(0);

    // No ledger double posts; every payment's ledger equals the channel's book to the fen.
    const doubles = await h.db.query('select journal_id from ledger_entries group by journal_id, account having count(*) > 1');
    expect(doubles.rowCount).toBe(0);
    const ledger = await h.db.query<{ payment_id: string; net: number }>(
      `select payment_id, sum(amount_fen)::bigint as net from ledger_entries where account = 'channel:alipay:clearing' group by payment_id`,
    );
    const netByPayment = new Map(ledger.rows.map((r) => [r.payment_id, Number(r.net)]));
    const { trades } = await h.simAdmin<{ trades: SimTrade[] }>('GET', '/__sim/trades?all=1');
    const tradeByNo = new Map(trades.map((t) => [t.outTradeNo, t]));
    for (const p of payments) {
      const ours = await h.client.getPayment(p.id);
      const trade = tradeByNo.get(p.outTradeNo);
      const channelNet = trade?.paidAt ? (trade.cancelAction === 'refund' ? 0 : fen(trade.totalAmount) - fen(trade.refundedAmount)) : 0;
      const where = `${p.outTradeNo}: ours ${ours.status} refunded ${ours.refundedAmount}; channel ${trade?.status} refunded ${trade?.refundedAmount}`;
      expect(ours.pending, where).toBe(false);
      expect(netByPayment.get(p.id) ?? 0, where).toBe(channelNet);
      if (['succeeded', 'partially_refunded', 'refunded'].includes(ours.status)) {
        expect(ours.refundedAmount, where).toBe(trade?.refundedAmount);
      }
    }
    const unsettled = await h.db.query(`select 1 from refunds where status = 'processing'`);
    expect(unsettled.rowCount).toBe(0);
  }, 120_000);

  async function effects(): Promise<Record<string, number>> {
    const r = await h.db.query<{ effect: string; n: number }>('select effect, count(*)::int as n from channel_notifications group by effect');
    return Object.fromEntries(r.rows.map((x) => [x.effect, x.n]));
  }

  /** Sends pending notifications and runs due jobs until `done` holds (or the deadline passes). */
  async function drive(ms: number, done: () => Promise<boolean>): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      await h.simAdmin('POST', '/__sim/notifications/flush');
      await h.platform.worker.runDue();
      if (await done()) return true;
      if (Date.now() > deadline) return false;
      await sleep(100);
    }
  }
});
