import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Payment } from '@scanpay/contracts';
import { newIdempotencyKey, TerminalClient } from '@scanpay/terminal-sdk';
import { buildApp, type PlatformApp } from '../src/app.ts';
import { claimDueJobs } from '../src/modules/payments/jobs.ts';
import { DEMO_SUPERVISOR_PIN } from '../src/modules/merchants/seed-demo.ts';
import { describeEachBackend } from './db-backends.ts';
import { type Harness, OPERATOR_TOKEN, startHarness, TEST_TIMINGS } from './harness.ts';

/**
 * RELIABILITY.md T8: random sequences of pay (with every kind of channel trouble), buyer
 * confirmation, refunds, clock movement and crashes (a resolver dies holding its jobs; the platform
 * restarts) run against the real platform and simulator and against a tiny model of what must
 * happen. After every step no payment may be in a state the model forbids and the ledger must
 * balance; after each sequence settles, every payment ends as the model says, to the fen, and the
 * ledger equals the channel's book. A failure prints the seed and the shrunk sequence to replay.
 */
const TIMINGS = { ...TEST_TIMINGS, payTimeoutMs: 2_000, queryIntervalMs: 1_000, waitForBuyerMs: 10_000, safetyNetDelayMs: 3_000, cancelRetryMaxMs: 4_000 };

type Scenario = 'ok' | 'decline' | 'wait' | 'lost_answer' | 'system_error' | 'system_error_paid';
interface ModelPayment {
  id: string;
  outTradeNo: string;
  amountFen: number;
  scenario: Scenario;
  /** Where it must end: 'wait' ends succeeded if the buyer confirmed, else cancelled. */
  expect: 'succeeded' | 'failed' | 'cancelled';
  deadline: number; // virtual ms after which an unconfirmed buyer is cancelled
  refundedFen: number;
}
interface Model {
  payments: ModelPayment[];
}

describeEachBackend('the payment state machine against a model', (backend) => {
  const runs = Number(process.env.MODEL_RUNS ?? (backend.name === 'pglite' ? 1000 : 200));
  let h: Harness;
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  let current: PlatformApp;
  let client: TerminalClient;
  let richBuyer: string;
  let poorBuyer: string;

  beforeAll(async () => {
    h = await startHarness(backend, { timings: TIMINGS, now });
    current = h.platform;
    // Requests go through app.inject, so a "restarted" platform is simply a new instance on the same store.
    const injectFetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      const res = await current.app.inject({
        method: (init?.method ?? 'GET') as 'GET',
        url: url.pathname + url.search,
        headers: init?.headers as Record<string, string>,
        ...(init?.body ? { payload: init.body as string } : {}),
      });
      const headers = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, String(v));
      return new Response(res.body, { status: res.statusCode, headers });
    }) as typeof fetch;
    client = new TerminalClient(
      { baseUrl: 'http://platform.invalid', terminalId: h.terminalId, privateKey: h.client.credentials.privateKey },
      { fetch: injectFetch, now: () => now().getTime() },
    );
    richBuyer = (await h.simAdmin<{ buyerId: string }>('POST', '/__sim/buyers', { balance: '99999999.00', passwordThreshold: '99999999.00' })).buyerId;
    poorBuyer = (await h.simAdmin<{ buyerId: string }>('POST', '/__sim/buyers', { balance: '0.00' })).buyerId;
  }, 60_000);
  afterAll(async () => {
    await current?.app.close();
    await h?.close();
  });

  async function restart(): Promise<void> {
    const deps = current.deps;
    await current.app.close();
    current = await buildApp({
      config: { resolution: TIMINGS, nodeId: `node-${Math.random().toString(36).slice(2, 6)}`, role: 'all', publicUrl: 'http://127.0.0.1:1', logLevel: 'silent', operatorToken: OPERATOR_TOKEN },
      db: h.db,
      channels: deps.channels,
      runWorker: false,
      logger: false,
      now,
    });
  }

  async function settleDue(): Promise<void> {
    for (let i = 0; i < 6 && (await current.worker.runDue()) > 0; i++);
  }

  async function realStatus(id: string): Promise<Payment> {
    return client.getPayment(id);
  }

  const FAULTS: Record<Scenario, object | undefined> = {
    ok: undefined,
    decline: undefined,
    wait: { method: 'alipay.trade.pay', kind: 'wait_buyer', confirmAfterMs: null, count: 1 },
    lost_answer: { method: 'alipay.trade.pay', kind: 'drop_response', count: 1 },
    system_error: { method: 'alipay.trade.pay', kind: 'system_error', commit: false, count: 1 },
    system_error_paid: { method: 'alipay.trade.pay', kind: 'system_error', commit: true, count: 1 },
  };

  /** Each command checks the invariants after it has run. */
  abstract class Checked implements fc.AsyncCommand<Model, object> {
    check(_m: Readonly<Model>): boolean {
      return true;
    }
    abstract act(m: Model): Promise<void>;
    async run(m: Model): Promise<void> {
      await this.act(m);
      await invariantsHold(m);
    }
  }

  class Pay extends Checked {
    constructor(readonly amountFen: number, readonly scenario: Scenario) {
      super();
    }
    override async act(m: Model): Promise<void> {
      const fault = FAULTS[this.scenario];
      if (fault) await h.simAdmin('PUT', '/__sim/faults', { rules: [fault] });
      const buyerId = this.scenario === 'decline' ? poorBuyer : richBuyer;
      const code = (await h.simAdmin<{ code: string }>('POST', '/__sim/payment-codes', { buyerId })).code;
      const amount = `${Math.floor(this.amountFen / 100)}.${String(this.amountFen % 100).padStart(2, '0')}`;
      const p = await client.createPayment({ amount, authCode: code }, newIdempotencyKey());
      if (fault) await h.simAdmin('DELETE', '/__sim/faults');
      const expected: ModelPayment['expect'] =
        this.scenario === 'decline' ? 'failed' : this.scenario === 'wait' || this.scenario === 'system_error' ? 'cancelled' : 'succeeded';
      m.payments.push({ id: p.id, outTradeNo: p.outTradeNo, amountFen: this.amountFen, scenario: this.scenario, expect: expected, deadline: now().getTime() + TIMINGS.waitForBuyerMs - 1_000, refundedFen: 0 });
      if (this.scenario === 'ok') expect(p.status).toBe('succeeded');
      if (this.scenario === 'decline') expect(p.status).toBe('failed');
      if (this.scenario === 'wait') expect(p.status).toBe('waiting_buyer');
      if (this.scenario.startsWith('system_error') || this.scenario === 'lost_answer') expect(p.status).toBe('processing');
    }
    override toString(): string {
      return `Pay(${this.amountFen}, ${this.scenario})`;
    }
  }

  class BuyerConfirms extends Checked {
    constructor(readonly pick: number) {
      super();
    }
    private target(m: Model) {
      const waiting = m.payments.filter((p) => p.scenario === 'wait' && p.expect === 'cancelled' && now().getTime() < p.deadline);
      return waiting.length ? waiting[this.pick % waiting.length] : undefined;
    }
    override check(m: Readonly<Model>): boolean {
      return this.target(m as Model) !== undefined;
    }
    override async act(m: Model): Promise<void> {
      const p = this.target(m);
      if (!p) return;
      await h.simAdmin('POST', `/__sim/trades/${p.outTradeNo}/confirm`, {});
      p.expect = 'succeeded';
    }
    override toString(): string {
      return `BuyerConfirms(${this.pick})`;
    }
  }

  class AdvanceClock extends Checked {
    constructor(readonly ms: number) {
      super();
    }
    override async act(): Promise<void> {
      offset += this.ms;
      await settleDue();
    }
    override toString(): string {
      return `AdvanceClock(${this.ms})`;
    }
  }

  class Refund extends Checked {
    constructor(readonly pick: number, readonly share: number) {
      super();
    }
    override async act(m: Model): Promise<void> {
      const paid = m.payments.filter((p) => p.expect === 'succeeded');
      const p = paid[this.pick % Math.max(1, paid.length)];
      if (!p) return;
      const real = await realStatus(p.id);
      if (real.status !== 'succeeded' && real.status !== 'partially_refunded') return;
      const refundable = p.amountFen - p.refundedFen;
      // share > 1 asks for more than is left: it must be refused and change nothing.
      const fen = Math.max(1, Math.round(refundable * this.share));
      const amount = `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
      const result = await client
        .request<{ status: string }>('POST', `/v1/payments/${p.id}/refunds`, { amount, supervisorPin: DEMO_SUPERVISOR_PIN }, { 'idempotency-key': newIdempotencyKey() })
        .then((r) => ({ ok: true as const, r }), (e: { code?: string }) => ({ ok: false as const, code: e.code }));
      if (fen > refundable) {
        expect(result.ok ? 'accepted' : result.code).toBe('PAY_REFUND_EXCEEDS_PAID');
        return;
      }
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (result.ok) expect(result.r.status).toBe('succeeded');
      p.refundedFen += fen;
    }
    override toString(): string {
      return `Refund(${this.pick}, ${this.share})`;
    }
  }

  class CrashWhileResolving extends Checked {
    override async act(): Promise<void> {
      // A resolver claims the due jobs and dies with them; a new instance must take over after the lease.
      await claimDueJobs(h.db, 'crashed-node', 50, 30_000, now());
      await restart();
    }
    override toString(): string {
      return 'CrashWhileResolving';
    }
  }

  const commands = [
    fc.tuple(fc.integer({ min: 1, max: 50_000 }), fc.constantFrom<Scenario>('ok', 'ok', 'decline', 'wait', 'lost_answer', 'system_error', 'system_error_paid')).map(([a, s]) => new Pay(a, s)),
    fc.nat(10).map((i) => new BuyerConfirms(i)),
    fc.constantFrom(500, 1_000, 3_000, 12_000, 31_000).map((ms) => new AdvanceClock(ms)),
    fc.tuple(fc.nat(10), fc.constantFrom(0.3, 0.5, 1, 1.5)).map(([i, s]) => new Refund(i, s)),
    fc.constant(new CrashWhileResolving()),
  ];

  async function invariantsHold(m: Model): Promise<void> {
    const ledger = await h.db.query<{ s: number | null }>('select sum(amount_fen)::bigint as s from ledger_entries');
    expect(ledger.rows[0]?.s ?? 0).toBe(0);
    for (const p of m.payments) {
      const real = await h.db.query<{ status: string }>('select status from payments where id = $1', [p.id]);
      const s = real.rows[0]?.status as string;
      const allowed =
        p.expect === 'failed' ? ['failed']
          : p.expect === 'succeeded' ? ['processing', 'waiting_buyer', 'succeeded', 'partially_refunded', 'refunded']
            : p.scenario === 'wait' ? ['waiting_buyer', 'cancelled', 'succeeded'] // a confirmation may still arrive
              : ['processing', 'cancelled'];
      expect(allowed, `${p.outTradeNo} (${p.scenario}) is ${s}`).toContain(s);
    }
  }

  it(`${runs} random sequences end as the model says`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 8 }), async (cmds) => {
        const model: Model = { payments: [] };
        await fc.asyncModelRun(() => ({ model, real: {} }), cmds);
        // Settle: past every deadline and lease; then every payment must be where the model says.
        for (let i = 0; i < 4; i++) {
          offset += 35_000;
          await settleDue();
        }
        for (const p of model.payments) {
          const real = await realStatus(p.id);
          const expected =
            p.expect === 'succeeded' ? (p.refundedFen === 0 ? 'succeeded' : p.refundedFen === p.amountFen ? 'refunded' : 'partially_refunded') : p.expect;
          expect(`${p.outTradeNo} ${p.scenario} ${real.status}`).toBe(`${p.outTradeNo} ${p.scenario} ${expected}`);
          expect(Math.round(Number(real.refundedAmount) * 100)).toBe(p.refundedFen);
        }
        await invariantsHold(model);
      }),
      { numRuns: runs, seed: process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : undefined, verbose: 1 },
    );
    // The ledger against the channel's book over everything these sequences did.
    const { trades } = await h.simAdmin<{ trades: { status: string; totalAmount: string; refundedAmount: string; paidAt?: string }[] }>('GET', '/__sim/trades?all=1');
    const bookNet = trades
      .filter((t) => t.status === 'TRADE_SUCCESS')
      .reduce((s, t) => s + Math.round(Number(t.totalAmount) * 100) - Math.round(Number(t.refundedAmount) * 100), 0);
    const clearing = await h.db.query<{ s: number | null }>(`select sum(amount_fen)::bigint as s from ledger_entries where account = 'channel:alipay:clearing'`);
    expect(clearing.rows[0]?.s ?? 0).toBe(bookNet);
  }, 1_800_000);
});
