/**
 * T7 (RELIABILITY §2): 10,000 forged or tampered Alipay notifications, posted straight to the
 * platform with app.inject. Every one is refused with a non-`success` body, changes nothing and
 * leaves a security event. The "right signature" forgeries are signed here with the simulator's
 * own key (the harness starts it with a key pair this file made), as only Alipay could.
 */
import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newIdempotencyKey } from '@scanpay/terminal-sdk';
import { describeEachBackend } from './db-backends.ts';
import { type Harness, startHarness } from './harness.ts';

type Form = Record<string, string>;

const simKeys = (() => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
})();
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

/** Alipay's V1 notification signature (brief §5): all fields but sign/sign_type, non-empty, sorted. */
function signV1(fields: Form, key: Parameters<ReturnType<typeof createSign>['sign']>[0] = simKeys.privatePem): Form {
  const content = Object.keys(fields)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return { ...fields, sign_type: 'RSA2', sign: createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64') };
}

const formBody = (f: Form) => new URLSearchParams(f).toString();

describeEachBackend('forged and tampered notifications (T7)', (backend) => {
  let h: Harness;
  /** Genuine notification fields of two paid orders of the same amount, as the simulator sent them. */
  let genuineA: Form;
  let genuineB: Form;

  beforeAll(async () => {
    h = await startHarness(backend, { notify: true, simKeys });
    const paid = [];
    for (let i = 0; i < 2; i++) {
      paid.push(await h.client.createPayment({ amount: '12.00', authCode: await h.newCode() }, newIdempotencyKey()));
    }
    const fieldsOf = async (outTradeNo: string): Promise<Form> => {
      for (let i = 0; i < 200; i++) {
        const { notifications } = await h.simAdmin<{ notifications: { status: string; fields: Form }[] }>(
          'GET',
          `/__sim/notifications?outTradeNo=${outTradeNo}`,
        );
        if (notifications[0]?.status === 'done') return notifications[0].fields;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`the genuine notification of ${outTradeNo} was not acknowledged`);
    };
    genuineA = await fieldsOf(paid[0]!.outTradeNo);
    genuineB = await fieldsOf(paid[1]!.outTradeNo);
  });
  afterAll(() => h?.close());

  const post = (body: string, contentType = 'application/x-www-form-urlencoded; charset=utf-8') =>
    h.platform.app.inject({ method: 'POST', url: '/v1/notify/alipay', headers: { 'content-type': contentType }, payload: body });

  async function snapshot(): Promise<string> {
    const parts = await Promise.all([
      h.db.query('select id, status, version, refunded_fen, channel_trade_no, paid_amount_fen from payments order by id'),
      h.db.query('select count(*)::int as n, max(id)::text as last from payment_events'),
      h.db.query('select count(*)::int as n, coalesce(sum(amount_fen), 0)::bigint as s from ledger_entries'),
      h.db.query('select count(*)::int as n from channel_notifications'),
      h.db.query('select payment_id, state, next_run_at from resolution_jobs order by payment_id'),
      h.db.query('select count(*)::int as n from refunds'),
    ]);
    return createHash('sha256').update(JSON.stringify(parts.map((p) => p.rows))).digest('hex');
  }

  it('acknowledges the genuine notifications with exactly `success`, after storing them', async () => {
    const rows = await h.db.query<{ notify_id: string; effect: string }>('select notify_id, effect from channel_notifications');
    expect(rows.rows.map((r) => r.notify_id).sort()).toEqual([genuineA.notify_id, genuineB.notify_id].sort());
    // The same genuine notification again is a duplicate: acknowledged, nothing applied twice.
    const before = await snapshot();
    const again = await post(formBody(signV1(genuineA)));
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe('success');
    expect(await snapshot()).toBe(before);
  });

  it('refuses an oversize body (> 64 KiB) and a wrong content type with `fail`, as security events', async () => {
    const before = await snapshot();
    const big = await post(formBody({ ...genuineA, body: 'x'.repeat(70 * 1024) }));
    expect([big.statusCode, big.body]).toEqual([413, 'fail']);
    const text = await post(formBody(genuineA), 'text/plain');
    expect([text.statusCode, text.body]).toEqual([415, 'fail']);
    expect(await snapshot()).toBe(before);
    await h.platform.security.flush();
    const rows = await h.db.query<{ detail: { code: string } }>(`select detail from security_events where kind = 'notify.rejected_request'`);
    expect(rows.rows.map((r) => r.detail.code).sort()).toEqual(['FST_ERR_CTP_BODY_TOO_LARGE', 'FST_ERR_CTP_INVALID_MEDIA_TYPE']);
  });

  it('refuses 10,000 forgeries, changes nothing, and logs each as a security event', async () => {
    const base = { A: genuineA, B: genuineB };
    const unknownNo = () => `SP${randomBytes(13).toString('hex').toUpperCase()}`;
    // Right-signature forgeries: each wrong in one business field (a pool, each posted several times).
    const rightSigned: { form: Form; kind: string }[] = [];
    for (let i = 0; i < 60; i++) {
      const g = i % 2 === 0 ? base.A : base.B;
      const id = { notify_id: `forged${i}${randomBytes(4).toString('hex')}` };
      rightSigned.push(
        { form: signV1({ ...g, ...id, total_amount: '0.01' }), kind: 'notify.amount_mismatch' },
        { form: signV1({ ...g, ...id, total_amount: '1200.00' }), kind: 'notify.amount_mismatch' },
        { form: signV1({ ...g, ...id, app_id: '2021000000009999' }), kind: 'notify.wrong_app' },
        { form: signV1({ ...g, ...id, seller_id: '2088999999999999' }), kind: 'notify.wrong_seller' },
        { form: signV1(Object.fromEntries(Object.entries({ ...g, ...id }).filter(([k]) => k !== 'seller_id'))), kind: 'notify.wrong_seller' },
        { form: signV1({ ...g, ...id, out_trade_no: unknownNo() }), kind: 'notify.unknown_trade' },
        // Another order's notification replayed onto this one (same amount, the other trade number).
        { form: signV1({ ...(i % 2 === 0 ? base.B : base.A), ...id, out_trade_no: g.out_trade_no as string }), kind: 'notify.trade_mismatch' },
        { form: signV1({ ...g, ...id, trade_status: 'TRADE_SUCCESS', refund_fee: '99.00' }), kind: 'notify.refund_exceeds_amount' },
      );
    }
    const otherKeySigned = Array.from({ length: 20 }, (_, i) => signV1({ ...base.A, notify_id: `other${i}` }, otherKey));
    const valid = signV1(base.A);

    const cheap: ((i: number) => { body: string; kind: string; contentType?: string })[] = [
      (i) => ({ body: formBody({ ...valid, sign: randomBytes(256).toString('base64'), notify_id: `rnd${i}` }), kind: 'notify.bad_signature' }),
      (i) => ({ body: formBody(Object.fromEntries(Object.entries({ ...valid, notify_id: `nosign${i}` }).filter(([k]) => k !== 'sign'))), kind: 'notify.missing_signature' }),
      () => ({ body: formBody({ ...valid, sign: '' }), kind: 'notify.missing_signature' }),
      () => ({ body: formBody({ ...valid, sign_type: 'RSA' }), kind: 'notify.bad_signature' }), // sign_type swapped
      () => ({ body: formBody({ ...valid, sign_type: 'MD5' }), kind: 'notify.malformed' }),
      () => ({ body: formBody({ ...valid, total_amount: '0.01' }), kind: 'notify.bad_signature' }), // tampered after signing
      () => ({ body: formBody({ ...valid, out_trade_no: base.B.out_trade_no as string }), kind: 'notify.bad_signature' }),
      () => ({ body: formBody({ ...valid, trade_status: 'TRADE_CLOSED' }), kind: 'notify.bad_signature' }),
      (i) => ({ body: formBody(otherKeySigned[i % otherKeySigned.length] as Form), kind: 'notify.bad_signature' }),
      () => ({ body: `${formBody(valid)}&out_trade_no=${base.B.out_trade_no}`, kind: 'notify.malformed' }), // repeated field
      () => ({ body: JSON.stringify(valid), kind: 'notify.rejected_request', contentType: 'application/json' }),
    ];

    const before = await snapshot();
    const eventsBefore = (await h.db.query<{ n: number }>('select count(*)::int as n from security_events')).rows[0]!.n;
    const expected = new Map<string, number>();
    const bodies: string[] = [];
    const TOTAL = 10_000;
    const jobs: (() => Promise<void>)[] = [];
    for (let i = 0; i < TOTAL; i++) {
      // One in ten carries a right signature (those reach the database); the rest fail at the signature.
      const signed = rightSigned[(i / 10) % rightSigned.length];
      const pick = i % 10 === 0 && signed ? { body: formBody(signed.form), kind: signed.kind } : cheap[i % cheap.length]!(i);
      expected.set(pick.kind, (expected.get(pick.kind) ?? 0) + 1);
      jobs.push(async () => {
        const res = await post(pick.body, 'contentType' in pick && pick.contentType ? pick.contentType : undefined);
        bodies.push(`${res.statusCode} ${res.body}`);
      });
    }
    for (let i = 0; i < jobs.length; i += 25) await Promise.all(jobs.slice(i, i + 25).map((j) => j()));

    expect(bodies).toHaveLength(TOTAL);
    expect(bodies.filter((b) => b !== '400 fail' && b !== '415 fail')).toEqual([]);
    expect(await snapshot()).toBe(before);
    await h.platform.security.flush();
    const events = await h.db.query<{ kind: string; n: number }>(
      'select kind, count(*)::int as n from (select kind from security_events order by id offset $1) e group by kind',
      [eventsBefore],
    );
    expect(Object.fromEntries(events.rows.map((r) => [r.kind, r.n]))).toEqual(Object.fromEntries(expected));
    const leaked = await h.db.query(`select 1 from security_events where detail ? 'sign' limit 1`);
    expect(leaked.rowCount).toBe(0);
  }, 120_000);
});
