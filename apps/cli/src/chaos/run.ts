import { activate, ApiError, memoryPendingStore, pay, PaymentStillPending, resumePending, type TerminalClient, type PendingPaymentStore } from '@scanpay/terminal-sdk';
import { type BenchSystem, startBenchSystem } from '../harness/system.ts';
import { type ChaosVerdict, checkAgainstBook, type PlatformPayment, type SimTrade, type TerminalView } from './check.ts';
import { startFaultProxy } from './fault-proxy.ts';
import { seededRandom } from './rng.ts';

export interface ChaosOptions {
  payments: number;
  terminals: number;
  kills: number;
  /** Share of answers lost on each hop (terminal↔platform and platform↔channel). */
  dropRate: number;
  /** Share of channel calls that answer too late (beyond the platform's timeout). */
  timeoutRate: number;
  /** Share of payments where the buyer must confirm; a quarter of those never do. */
  waitBuyerRate: number;
  databaseUrl?: string;
  seed: number;
  /** How long to wait for everything to settle after the last payment. */
  settleTimeoutMs: number;
  log?: (line: string) => void;
}

export const CHAOS_DEFAULTS: ChaosOptions = {
  payments: 10_000,
  terminals: 50,
  kills: 3,
  dropRate: 0.05,
  timeoutRate: 0.02,
  waitBuyerRate: 0.2,
  seed: 1,
  settleTimeoutMs: 10 * 60_000,
};

export interface ChaosReport extends ChaosVerdict {
  options: Omit<ChaosOptions, 'log'>;
  kills: number;
  droppedToTerminals: number;
  durationMs: number;
  paymentsPerSecond: number;
  byStatus: Record<string, number>;
}

/** Fast resolution timings: the same rules as production, on a shorter clock. */
const CHAOS_TIMINGS = {
  SCANPAY_PAY_TIMEOUT_MS: '1500',
  SCANPAY_SAFETY_NET_DELAY_MS: '3000',
  SCANPAY_QUERY_INTERVAL_MS: '300',
  SCANPAY_WAIT_FOR_BUYER_MS: '4000',
  SCANPAY_CANCEL_RETRY_MAX_MS: '2000',
  SCANPAY_ALERT_AFTER_MS: '120000',
};

/**
 * RELIABILITY.md T1: many terminals pay through a proxy that drops answers, to a platform whose
 * channel drops answers, answers late and waits for buyers, while the platform is killed with
 * SIGKILL and restarted; then everything settles and the platform's records, the terminals' screens
 * and the ledger are compared with the channel's book.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => {});
  const random = seededRandom(options.seed);
  const started = Date.now();
  const system = await startBenchSystem({
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    extraEnv: CHAOS_TIMINGS,
    simOptions: { seed: options.seed },
  });
  const proxy = await startFaultProxy(system.platformUrl, { dropRate: options.dropRate, random: seededRandom(options.seed + 1) });
  let kills = 0;
  try {
    await installChannelFaults(system, options);
    const terminals = await activateTerminals(system, proxy.url, options.terminals);
    const buyers = await makeBuyers(system, 20);
    log(`chaos: ${options.payments} payments from ${terminals.length} terminals, ${options.kills} kills, seed ${options.seed}`);
    const payingSince = Date.now();

    // The killer: SIGKILL at random moments spread over the expected run, then restart.
    let issued = 0;
    const killAt = Array.from({ length: options.kills }, (_, i) => Math.floor(((i + 0.5 + (random() - 0.5) * 0.5) / options.kills) * options.payments)).sort((a, b) => a - b);
    let killing: Promise<void> | undefined;
    const maybeKill = () => {
      if (killing || killAt.length === 0 || issued < (killAt[0] as number)) return;
      killAt.shift();
      killing = (async () => {
        kills++;
        log(`chaos: kill -9 #${kills} of the platform (pid ${system.child.pid}) after ${issued} payments`);
        await new Promise<void>((r) => {
          system.child.once('exit', () => r());
          system.child.kill('SIGKILL');
        });
        await new Promise((r) => setTimeout(r, 300 + random() * 700));
        await system.startPlatform();
        log(`chaos: platform back (pid ${system.child.pid})`);
      })().finally(() => {
        killing = undefined;
      });
    };

    const views: TerminalView[] = [];
    await Promise.all(
      terminals.map(async (t) => {
        while (issued < options.payments) {
          issued++;
          maybeKill();
          const buyer = buyers[Math.floor(random() * buyers.length)] as string;
          const code = await issueCode(system, buyer);
          const amount = (1 + Math.floor(random() * 50_000)) / 100;
          try {
            const p = await pay(t.client, t.store, { amount: amount.toFixed(2), authCode: code }, { deadlineMs: 60_000 });
            views.push({ idempotencyKey: t.lastKey(), terminalId: t.id, status: p.status });
          } catch (err) {
            if (err instanceof PaymentStillPending) {
              // Never scan again while undecided: this terminal settles it before its next sale.
              const p = await settle(t, 120_000);
              views.push({ idempotencyKey: err.pending.idempotencyKey, terminalId: t.id, status: p?.status ?? 'pending' });
            } else if (err instanceof ApiError) {
              views.push({ idempotencyKey: t.lastKey(), terminalId: t.id, status: 'refused' });
            } else throw err;
          }
          if (issued % 500 === 0) log(`chaos: ${issued} issued, ${views.length} answered`);
        }
      }),
    );
    await killing;
    const paidMs = Date.now() - payingSince;
    log('chaos: all payments answered; waiting for resolution to settle');
    await waitForQuiet(system, options.settleTimeoutMs);

    const { payments, verdict } = await compareWithBook(system, views);
    const byStatus: Record<string, number> = {};
    for (const p of payments) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
    const { log: _omit, ...rest } = options;
    return {
      ...verdict,
      options: rest,
      kills,
      droppedToTerminals: proxy.dropped(),
      durationMs: Date.now() - started,
      paymentsPerSecond: options.payments / (paidMs / 1000),
      byStatus,
    };
  } finally {
    await proxy.close();
    await system.close();
  }
}

interface Terminal {
  id: string;
  client: TerminalClient;
  store: PendingPaymentStore;
  lastKey(): string;
}

async function settle(t: Terminal, deadlineMs: number) {
  for (;;) {
    try {
      return await resumePending(t.client, t.store, { deadlineMs });
    } catch (err) {
      if (!(err instanceof PaymentStillPending)) throw err;
    }
  }
}

async function installChannelFaults(system: BenchSystem, o: ChaosOptions): Promise<void> {
  // The simulator applies the first rule that fires, so each probability is conditional on the
  // rules before it not firing; these keep the overall shares at the requested rates.
  const conditional = (p: number, before: number) => Math.min(1, p / (1 - before));
  const w = o.waitBuyerRate;
  const rules = [
    { method: 'alipay.trade.pay', kind: 'wait_buyer', probability: w * 0.75, confirmAfterMs: 1500 },
    { method: 'alipay.trade.pay', kind: 'wait_buyer', probability: conditional(w * 0.25, w * 0.75), confirmAfterMs: null },
    { method: 'alipay.trade.pay', kind: 'drop_response', probability: conditional(o.dropRate, w) },
    { method: 'alipay.trade.pay', kind: 'delay', probability: conditional(o.timeoutRate, w + o.dropRate), ms: 2500 },
    ...['alipay.trade.query', 'alipay.trade.cancel'].flatMap((method) => [
      { method, kind: 'drop_response', probability: o.dropRate },
      { method, kind: 'delay', probability: conditional(o.timeoutRate, o.dropRate), ms: 2500 },
    ]),
  ];
  await system.simAdmin('PUT', '/__sim/faults', { seed: o.seed, rules });
}

async function activateTerminals(system: BenchSystem, baseUrl: string, n: number): Promise<Terminal[]> {
  const out: Terminal[] = [];
  for (let i = 0; i < n; i++) {
    const serial = `CHAOS-${String(i + 1).padStart(4, '0')}`;
    const reg = await system.ops<{ activationCode: string }>('POST', '/v1/ops/terminals', { serial });
    // Activation goes straight to the platform: the proxy's faults are for payments.
    const { client, response } = await activate({ baseUrl: system.platformUrl, activationCode: reg.activationCode, serial });
    const proxied = new (client.constructor as typeof TerminalClient)({ ...client.credentials, baseUrl }, { timeoutMs: 8_000 });
    const store = memoryPendingStore();
    let last = '';
    const tracking: PendingPaymentStore = {
      load: store.load,
      save: async (p) => {
        last = p.idempotencyKey;
        await store.save(p);
      },
      clear: store.clear,
    };
    out.push({ id: response.terminalId, client: proxied, store: tracking, lastKey: () => last });
  }
  return out;
}

async function makeBuyers(system: BenchSystem, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const b = await system.simAdmin<{ buyerId: string }>('POST', '/__sim/buyers', { balance: '90000000.00', passwordThreshold: '90000000.00' });
    ids.push(b.buyerId);
  }
  return ids;
}

async function issueCode(system: BenchSystem, buyerId: string): Promise<string> {
  return (await system.simAdmin<{ code: string }>('POST', '/__sim/payment-codes', { buyerId, ttlSeconds: 600 })).code;
}

/** An operator GET that waits out a platform restarting after a kill. */
async function opsGet<T>(system: BenchSystem, path: string): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await system.ops<T>('GET', path);
    } catch (err) {
      if (attempt > 20) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * Every payment the platform recorded, the simulator's book and the ledger's clearing balance,
 * compared (with what each terminal showed, when given).
 */
export async function compareWithBook(system: BenchSystem, views: TerminalView[] = []): Promise<{ payments: PlatformPayment[]; verdict: ChaosVerdict }> {
  const payments = await exportPayments(system);
  const trades = (await system.simAdmin<{ trades: SimTrade[] }>('GET', '/__sim/trades?all=1')).trades;
  const ledger = await opsGet<{ accounts: { account: string; balanceFen: number }[] }>(system, '/v1/ops/ledger');
  const clearingFen = ledger.accounts.find((a) => a.account === 'channel:alipay:clearing')?.balanceFen ?? 0;
  return { payments, verdict: checkAgainstBook(payments, trades, { clearingFen }, views) };
}

async function exportPayments(system: BenchSystem): Promise<PlatformPayment[]> {
  const all: PlatformPayment[] = [];
  let after = '';
  for (;;) {
    const page = await opsGet<{ payments: PlatformPayment[] }>(system, `/v1/ops/payments?after=${after}&limit=5000`);
    all.push(...page.payments);
    if (page.payments.length < 5000) return all;
    after = (page.payments.at(-1) as PlatformPayment).id;
  }
}

async function waitForQuiet(system: BenchSystem, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await opsGet<{ activeJobs: number; pendingPayments: number }>(system, '/v1/ops/resolution');
    if (r.activeJobs === 0 && r.pendingPayments === 0) return;
    await new Promise((res) => setTimeout(res, 500));
  }
}
