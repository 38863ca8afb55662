import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchSystem, startBenchSystem } from '@scanpay/cli/harness';
import { compareWithBook, isClean, type PlatformPayment, type SimTrade } from '@scanpay/cli/chaos';
import { activate, memoryPendingStore, pay, type PayProgress, PaymentStillPending, resumePending, type TerminalClient } from '@scanpay/terminal-sdk';
import { STORES } from '../pg.ts';

/**
 * The two races between the resolver's cancel and the channel's "paid" notification that the chaos
 * test met once each, replayed step by step: the simulator holds the one answer that matters while
 * the test makes the buyer pay and delivers the notification in the gap.
 *
 * 1. The cancel is at the channel (it refunds the buyer, who had just paid) and its answer is late;
 *    the paid notification arrives; the platform is killed before the answer. The cancel must still
 *    decide the payment after the restart — else the platform says paid and the channel returned
 *    the money (a phantom).
 * 2. The resolver's last query is at the channel (WAIT_BUYER_PAY) and its answer is late; the buyer
 *    pays and the notification decides the payment. The late answer must not start a cancel — else
 *    the money goes back to a buyer whose cashier was told "paid".
 */
const TIMINGS = {
  SCANPAY_PAY_TIMEOUT_MS: '1500',
  SCANPAY_SAFETY_NET_DELAY_MS: '2000',
  SCANPAY_QUERY_INTERVAL_MS: '300',
  SCANPAY_WAIT_FOR_BUYER_MS: '2500', // time for the test to make the buyer pay before the cancel
  SCANPAY_CANCEL_RETRY_MAX_MS: '1000',
  LOG_LEVEL: 'info', // the resolver's 'resolution step' lines say when a late answer has been handled
};
// Long enough for the test's steps in the gap, shorter than the platform's 5 s timeout for query and cancel.
const LATE_ANSWER_MS = 4_000;
// Notifications wait until the test releases them (POST /__sim/notifications/flush).
const HOLD_NOTIFICATIONS = { kind: 'notify_delay', ms: 600_000 };
const BUYER_NEVER_CONFIRMS = { method: 'alipay.trade.pay', kind: 'wait_buyer', confirmAfterMs: null, count: 1 };


for (const store of STORES) {
  describe(`the cancel and a paid notification racing, on ${store.name}`, () => {
    let system: BenchSystem;
    let client: TerminalClient;

    beforeAll(async () => {
      const databaseUrl = await store.url();
      system = await startBenchSystem({ ...(databaseUrl ? { databaseUrl } : {}), extraEnv: TIMINGS });
      const reg = await system.ops<{ activationCode: string }>('POST', '/v1/ops/terminals', { serial: 'RACE-1' });
      client = (await activate({ baseUrl: system.platformUrl, activationCode: reg.activationCode, serial: 'RACE-1' })).client;
    }, 120_000);

    afterAll(async () => {
      await system?.close();
    });


    async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
      const started = Date.now();
      for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() - started > ms) throw new Error(`waited ${ms} ms for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    const platformPayments = async () => (await system.ops<{ payments: PlatformPayment[] }>('GET', '/v1/ops/payments?limit=5000')).payments;
    const simTrade = (outTradeNo: string) => system.simAdmin<SimTrade & { refundedAmount: string }>('GET', `/__sim/trades/${outTradeNo}`);
    /** The late answer has been decided at the channel and is being held: the gap is open. */
    const lateAnswerHeld = (method: string) =>
      until(`the channel to receive ${method}`, async () => {
        const rules = await system.simAdmin<{ rules: { kind: string; method?: string; hits: number }[] }>('GET', '/__sim/faults');
        return rules.rules.some((r) => r.kind === 'delay' && r.method === method && r.hits > 0) ? true : undefined;
      });

    /** Starts a sale whose buyer does not confirm at once; returns it once the platform has it waiting. */
    async function startWaitingSale(seen: string[]) {
      const before = new Set((await platformPayments()).map((p) => p.id));
      const code = (await system.simAdmin<{ code: string }>('POST', '/__sim/payment-codes', {})).code;
      const pending = memoryPendingStore();
      const onProgress = (p: PayProgress) => {
        if ('payment' in p && seen.at(-1) !== p.payment.status) seen.push(p.payment.status);
      };
      const paying = pay(client, pending, { amount: '8.88', authCode: code }, { deadlineMs: 60_000, onProgress }).catch((e) => e);
      const payment = await until('the sale to wait for the buyer', async () =>
        (await platformPayments()).find((p) => !before.has(p.id) && p.status === 'waiting_buyer'));
      const outcome = async () => {
        let o = await paying;
        while (o instanceof PaymentStillPending) o = await resumePending(client, pending, { deadlineMs: 60_000, onProgress }).catch((e) => e);
        if (o instanceof Error) throw o;
        return o;
      };
      return { payment, outcome };
    }

    /** The result of the resolver's first step in this phase for the payment, once it has logged it. */
    const resolutionStep = (paymentId: string, phase: 'query' | 'cancel') =>
      until(`the resolver's ${phase} step for ${paymentId}`, async () => {
        for (const line of system.platformOutput().split('\n')) {
          if (!line.includes(paymentId) || !line.includes('resolution step')) continue;
          const entry = JSON.parse(line) as { paymentId: string; phase: string; result: string };
          if (entry.paymentId === paymentId && entry.phase === phase) return entry.result;
        }
        return undefined;
      });

    async function expectBooksAgree() {
      await until('resolution to finish', async () => {
        const r = await system.ops<{ activeJobs: number; pendingPayments: number }>('GET', '/v1/ops/resolution');
        return r.activeJobs === 0 && r.pendingPayments === 0 ? true : undefined;
      }, 60_000);
      const { verdict } = await compareWithBook(system);
      expect(verdict.examples).toEqual([]);
      expect(isClean(verdict)).toBe(true);
    }

    it('a cancel under way decides, even when the paid notification comes first and the platform dies before the cancel answer', async (ctx) => {
      ctx.onTestFailed(() => console.log(`platform output:\n${system.platformOutput().slice(-4000)}`));
      await system.simAdmin('PUT', '/__sim/faults', {
        rules: [
          BUYER_NEVER_CONFIRMS,
          // Every query fails (20000), so the resolver cannot learn that the buyer paid and cancels at the deadline.
          { method: 'alipay.trade.query', kind: 'system_error' },
          { method: 'alipay.trade.cancel', kind: 'delay', ms: LATE_ANSWER_MS, count: 1 },
          HOLD_NOTIFICATIONS,
        ],
      });
      const seen: string[] = [];
      const { payment, outcome } = await startWaitingSale(seen);

      // The buyer pays just before the cancel reaches the channel, which therefore refunds them.
      await system.simAdmin('POST', `/__sim/trades/${payment.outTradeNo}/confirm`, {});
      await lateAnswerHeld('alipay.trade.cancel');
      expect((await simTrade(payment.outTradeNo)).status).toBe('TRADE_CLOSED');
      // The paid notification arrives before the cancel's answer: recorded, but it decides nothing.
      await system.simAdmin('POST', '/__sim/notifications/flush');
      expect((await platformPayments()).find((p) => p.id === payment.id)?.status).toBe('waiting_buyer');

      // kill -9 before the cancel's answer is applied; the restarted platform cancels again.
      await new Promise((r) => {
        system.child.once('exit', r);
        system.child.kill('SIGKILL');
      });
      await system.simAdmin('DELETE', '/__sim/faults');
      await system.startPlatform();

      const final = await outcome();
      expect(final.status).toBe('reversed');
      expect(seen).not.toContain('succeeded');
      expect((await platformPayments()).find((p) => p.id === payment.id)?.status).toBe('reversed');
      expect((await simTrade(payment.outTradeNo)).refundedAmount).toBe('8.88');
      await expectBooksAgree();
    }, 120_000);

    it('a notification that decides the payment during the last query stops the cancel', async (ctx) => {
      ctx.onTestFailed(() => console.log(`platform output:\n${system.platformOutput().slice(-4000)}`));
      await system.simAdmin('PUT', '/__sim/faults', {
        rules: [
          BUYER_NEVER_CONFIRMS,
          // The first query sees WAIT_BUYER_PAY; its answer arrives after the buyer's deadline.
          { method: 'alipay.trade.query', kind: 'delay', ms: LATE_ANSWER_MS, count: 1 },
          HOLD_NOTIFICATIONS,
        ],
      });
      const seen: string[] = [];
      const { payment, outcome } = await startWaitingSale(seen);

      await lateAnswerHeld('alipay.trade.query');
      await system.simAdmin('POST', `/__sim/trades/${payment.outTradeNo}/confirm`, {});
      await system.simAdmin('POST', '/__sim/notifications/flush');
      expect((await platformPayments()).find((p) => p.id === payment.id)?.status).toBe('succeeded');

      // The late WAIT_BUYER_PAY arrives past the deadline: without the check it would cancel (and refund).
      expect(await resolutionStep(payment.id, 'query')).toBe('decided meanwhile: no cancel');
      await expectBooksAgree();
      await system.simAdmin('DELETE', '/__sim/faults');
      expect((await outcome()).status).toBe('succeeded');
      expect((await platformPayments()).find((p) => p.id === payment.id)?.status).toBe('succeeded');
      const trade = await simTrade(payment.outTradeNo);
      expect(trade.status).toBe('TRADE_SUCCESS');
      expect(trade.refundedAmount).toBe('0.00');
    }, 120_000);
  });
}
