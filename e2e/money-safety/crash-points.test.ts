import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchSystem, startBenchSystem } from '@scanpay/cli/harness';
import { compareWithBook, isClean } from '@scanpay/cli/chaos';
import { activate, memoryPendingStore, pay, PaymentStillPending, resumePending, type TerminalClient } from '@scanpay/terminal-sdk';
import { STORES } from '../pg.ts';

/**
 * RELIABILITY.md T2: the platform is killed (SIGKILL from a failpoint) at each step boundary of a
 * payment, restarted, and must then resolve the payment — from its last recorded step, never by
 * paying again — within 60 s, with the book, the platform and the terminal in agreement.
 */
const TIMINGS = {
  SCANPAY_PAY_TIMEOUT_MS: '1500',
  SCANPAY_SAFETY_NET_DELAY_MS: '2000',
  SCANPAY_QUERY_INTERVAL_MS: '300',
  SCANPAY_WAIT_FOR_BUYER_MS: '3000',
  SCANPAY_CANCEL_RETRY_MAX_MS: '1000',
};

type Setup = (s: BenchSystem) => Promise<void>;
const none: Setup = async () => {};
const POINTS: { point: string; setup: Setup }[] = [
  { point: 'pay.after_intent', setup: none },
  { point: 'pay.after_send', setup: none },
  { point: 'pay.before_result_commit', setup: none },
  { point: 'pay.after_result_commit', setup: none },
  {
    // The pay answer is lost, so resolution queries, and dies mid-query. The channel's notification is
    // held back, or it could tell the platform first and no query would be needed.
    point: 'resolve.during_query',
    setup: (s) =>
      s.simAdmin('PUT', '/__sim/faults', {
        rules: [{ method: 'alipay.trade.pay', kind: 'drop_response', count: 1 }, { kind: 'notify_delay', ms: 600_000, count: 1 }],
      }),
  },
  {
    point: 'resolve.during_cancel', // the buyer never confirms, so resolution cancels, and dies mid-cancel
    setup: (s) => s.simAdmin('PUT', '/__sim/faults', { rules: [{ method: 'alipay.trade.pay', kind: 'wait_buyer', confirmAfterMs: null, count: 1 }] }),
  },
  { point: 'notify.during_handling', setup: none }, // the paid notification's transaction is open
];


for (const store of STORES) {
  describe(`a crash at every step boundary, on ${store.name}`, () => {
    let system: BenchSystem;
    let client: TerminalClient;
    const recoveries: string[] = [];

    beforeAll(async () => {
      const databaseUrl = await store.url();
      system = await startBenchSystem({ ...(databaseUrl ? { databaseUrl } : {}), extraEnv: TIMINGS });
      const reg = await system.ops<{ activationCode: string }>('POST', '/v1/ops/terminals', { serial: 'CRASH-1' });
      client = (await activate({ baseUrl: system.platformUrl, activationCode: reg.activationCode, serial: 'CRASH-1' })).client;
    }, 120_000);

    afterAll(async () => {
      console.log(`recovery after restart on ${store.name}:\n  ${recoveries.join('\n  ')}`);
      await system?.close();
    });


    async function restart(failpoints?: string) {
      if (failpoints) system.platformEnv.SCANPAY_FAILPOINTS = failpoints;
      else delete system.platformEnv.SCANPAY_FAILPOINTS;
      if (system.child.exitCode === null && system.child.signalCode === null) {
        await new Promise((r) => {
          system.child.once('exit', r);
          system.child.kill('SIGTERM');
        });
      }
      await system.startPlatform();
    }

    for (const { point, setup } of POINTS) {
      it(`${point}: resolved after the restart, nothing charged twice or lost`, async (ctx) => {
        ctx.onTestFailed(() => console.log(`platform output (${point}):\n${system.platformOutput().slice(-4000)}`));
        await restart(`${point}=@1`);
        await setup(system);
        const dead = new Promise<NodeJS.Signals | null>((r) => system.child.once('exit', (_code, signal) => r(signal)));
        const code = (await system.simAdmin<{ code: string }>('POST', '/__sim/payment-codes', {})).code;
        const store = memoryPendingStore();
        const paying = pay(client, store, { amount: '6.66', authCode: code }, { deadlineMs: 120_000 }).catch((e) => e);

        const signal = await Promise.race([dead, new Promise((r) => setTimeout(() => r('alive'), 30_000))]);
        expect(signal, `the failpoint ${point} never fired`).toBe('SIGKILL');
        await system.simAdmin('DELETE', '/__sim/faults');
        const restartedAt = Date.now();
        await restart();

        let outcome = await paying;
        while (outcome instanceof PaymentStillPending) outcome = await resumePending(client, store, { deadlineMs: 60_000 }).catch((e) => e);
        expect(outcome).not.toBeInstanceOf(Error);
        for (;;) {
          const r = await system.ops<{ activeJobs: number; pendingPayments: number }>('GET', '/v1/ops/resolution');
          if (r.activeJobs === 0 && r.pendingPayments === 0) break;
          expect(Date.now() - restartedAt, 'resolution must finish within 60 s of the restart').toBeLessThan(60_000);
          await new Promise((r2) => setTimeout(r2, 200));
        }
        recoveries.push(`${point}: ${outcome.status} ${Date.now() - restartedAt} ms after the restart`);

        const { payments, verdict } = await compareWithBook(system);
        expect(verdict.examples).toEqual([]);
        expect(isClean(verdict)).toBe(true);
        // One order number for life: this sale reached the channel under exactly one out_trade_no.
        const mine = payments.filter((p) => p.outTradeNo === outcome.outTradeNo);
        expect(mine).toHaveLength(1);
      }, 150_000);
    }
  });
}
