import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type BenchSystem, freePort, SCANPAY_BIN, startBenchSystem } from '@scanpay/cli/harness';
import { activate, newIdempotencyKey } from '@scanpay/terminal-sdk';
import { openFreshServerDatabaseUrl } from '../pg.ts';

/**
 * Several platform processes share one PostgreSQL server: a backlog of undecided payments is
 * resolved by two worker processes at once, and each payment is resolved exactly once (one query
 * at the channel, one decision in the platform).
 */
const URL_ = process.env.TEST_DATABASE_URL;
const BACKLOG = 120;

describe.skipIf(!URL_)('two platform workers on one PostgreSQL server', () => {
  let system: BenchSystem | undefined;
  const workers: ChildProcess[] = [];
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await system?.close();
  });

  it(`resolve a backlog of ${BACKLOG} payments, each exactly once`, async () => {
    const databaseUrl = await openFreshServerDatabaseUrl(URL_ as string);
    // An API-only platform: it records payments but resolves nothing.
    system = await startBenchSystem({ databaseUrl, extraEnv: { SCANPAY_ROLE: 'api', SCANPAY_PAY_TIMEOUT_MS: '1500', SCANPAY_SAFETY_NET_DELAY_MS: '0' } });
    const s = system;
    const { ops } = s;
    const reg = await ops<{ activationCode: string }>('POST', '/v1/ops/terminals', { serial: 'BACKLOG-1' });
    const { client } = await activate({ baseUrl: s.platformUrl, activationCode: reg.activationCode, serial: 'BACKLOG-1' });
    // Every pay answer is lost: the channel charged, the platform does not know yet (and the
    // channel's notifications are held back, or they would tell it).
    await s.simAdmin('PUT', '/__sim/faults', {
      rules: [{ method: 'alipay.trade.pay', kind: 'drop_response' }, { kind: 'notify_delay', ms: 3_600_000 }],
    });
    const buyer = (await s.simAdmin<{ buyerId: string }>('POST', '/__sim/buyers', { balance: '9999999.00', passwordThreshold: '9999999.00' })).buyerId;
    for (let i = 0; i < BACKLOG; i++) {
      const code = (await s.simAdmin<{ code: string }>('POST', '/__sim/payment-codes', { buyerId: buyer })).code;
      const p = await client.createPayment({ amount: '3.00', authCode: code }, newIdempotencyKey());
      expect(p.status).toBe('processing');
    }
    await s.simAdmin('DELETE', '/__sim/faults');
    expect((await ops<{ activeJobs: number }>('GET', '/v1/ops/resolution')).activeJobs).toBe(BACKLOG);

    for (let w = 0; w < 2; w++) {
      const env = {
        ...s.platformEnv,
        SCANPAY_ROLE: 'worker',
        PORT: String(await freePort()),
        SCANPAY_DATA_DIR: mkdtempSync(join(tmpdir(), `scanpay-worker-${w}-`)),
      };
      workers.push(spawn(process.execPath, [SCANPAY_BIN, 'start'], { env, stdio: 'ignore' }));
    }
    const started = Date.now();
    for (;;) {
      const r = await ops<{ activeJobs: number; pendingPayments: number }>('GET', '/v1/ops/resolution');
      if (r.activeJobs === 0 && r.pendingPayments === 0) break;
      expect(Date.now() - started, 'the backlog must drain').toBeLessThan(120_000);
      await new Promise((res) => setTimeout(res, 300));
    }

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const decided = await db.query<{ payment_id: string; n: number }>(
        `select payment_id, count(*)::int as n from payment_events where type = 'channel.paid' group by payment_id`,
      );
      expect(decided.rows).toHaveLength(BACKLOG);
      expect(decided.rows.every((r) => r.n === 1)).toBe(true);
      const byNode = await db.query<{ locked_by: string | null; n: number }>(
        'select locked_by, count(*)::int as n from resolution_jobs group by locked_by',
      );
      console.log(`two workers: ${BACKLOG} payments resolved in ${Date.now() - started} ms`, byNode.rows);
      const statuses = await db.query<{ status: string; n: number }>('select status, count(*)::int as n from payments group by status');
      expect(statuses.rows).toEqual([{ status: 'succeeded', n: BACKLOG }]);
    } finally {
      await db.end();
    }
    const calls = await s.simAdmin<{ calls: { method: string; outTradeNo?: string }[] }>('GET', '/__sim/calls');
    const queries = new Map<string, number>();
    for (const c of calls.calls) if (c.method === 'alipay.trade.query' && c.outTradeNo) queries.set(c.outTradeNo, (queries.get(c.outTradeNo) ?? 0) + 1);
    expect(queries.size).toBe(BACKLOG);
    expect([...queries.values()].every((n) => n === 1), 'one query per payment: no payment resolved twice').toBe(true);
  }, 300_000);
});
