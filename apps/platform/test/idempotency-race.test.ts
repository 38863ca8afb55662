import { afterAll, beforeAll, expect, it } from 'vitest';
import { newIdempotencyKey, signRequest } from '@scanpay/terminal-sdk';
import { describeEachBackend, TEST_DATABASE_URL } from './db-backends.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * RELIABILITY.md T3: many identical requests with one Idempotency-Key at the same moment make
 * exactly one channel call; each gets the payment or a retryable 409, never a second payment.
 * On the PostgreSQL server the requests really run in parallel (a pool of connections); PGlite
 * serialises them, so it runs fewer trials.
 */
const CONCURRENT = 50;

describeEachBackend('one Idempotency-Key, many requests at once', (backend) => {
  const trials = Number(process.env.IDEMPOTENCY_TRIALS ?? (backend.name === 'postgres' ? 1000 : 100));
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(() => h?.close());

  async function signedPost(body: string, key: string) {
    const headers = await signRequest({
      terminalId: h.terminalId,
      privateKey: h.client.credentials.privateKey,
      method: 'POST',
      pathWithQuery: '/v1/payments',
      body,
      timestampMs: Date.now(),
    });
    return () =>
      fetch(`${h.baseUrl}/v1/payments`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key },
        body,
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id?: string; code?: string; status?: string } }));
  }

  const payCalls = async () => (await h.simAdmin<{ counts: Record<string, number> }>('GET', '/__sim/calls')).counts['alipay.trade.pay'] ?? 0;

  it(`${trials} trials of ${CONCURRENT} concurrent requests: one payment and one channel call each`, async () => {
    let conflicts = 0;
    for (let trial = 0; trial < trials; trial++) {
      const key = newIdempotencyKey();
      const body = JSON.stringify({ amount: '1.00', authCode: await h.newCode() });
      const senders = await Promise.all(Array.from({ length: CONCURRENT }, () => signedPost(body, key)));
      const before = await payCalls();
      const answers = await Promise.all(senders.map((send) => send()));
      const statuses = answers.map((a) => `${a.status}${a.body.code ? ` ${a.body.code}` : ''}`);
      expect(await payCalls(), `trial ${trial}: ${[...new Set(statuses)].join(', ')}`).toBe(before + 1);
      const ids = new Set(answers.filter((a) => a.status === 200).map((a) => a.body.id));
      expect(ids.size, `trial ${trial}: one payment`).toBe(1);
      for (const a of answers) {
        if (a.status === 200) continue;
        expect(a.status).toBe(409);
        expect(a.body.code).toBe('REQ_IDEMPOTENCY_IN_PROGRESS');
        conflicts++;
      }
    }
    const payments = await h.db.query<{ n: number }>('select count(*)::int as n from payments');
    expect(payments.rows[0]?.n).toBe(trials);
    console.log(`${backend.name}: ${trials} trials × ${CONCURRENT}: ${trials} payments, ${trials} channel calls, ${conflicts} answered 409 (retry)`);
  }, 900_000);

  it('the same key with another amount, concurrently, is refused (422) and changes nothing', async () => {
    const key = newIdempotencyKey();
    const code = await h.newCode();
    const first = await (await signedPost(JSON.stringify({ amount: '1.00', authCode: code }), key))();
    expect(first.status).toBe(200);
    const before = await payCalls();
    const changed = await Promise.all(
      Array.from({ length: 10 }, async () => (await signedPost(JSON.stringify({ amount: '9.99', authCode: code }), key))()),
    );
    for (const a of changed) {
      expect(a.status).toBe(422);
      expect(a.body.code).toBe('REQ_IDEMPOTENCY_MISMATCH');
    }
    expect(await payCalls()).toBe(before);
  });
});

if (!TEST_DATABASE_URL) console.log('idempotency race on PostgreSQL: skipped (set TEST_DATABASE_URL)');
