/**
 * The channel may deliver one notification several times at once (its retries overlap a slow
 * answer). Concurrent deliveries must neither deadlock nor apply twice: every copy is answered
 * `success` once stored, the payment moves once, and one journal is posted.
 */
import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newIdempotencyKey } from '@scanpay/terminal-sdk';
import { describeEachBackend } from './db-backends.ts';
import { type Harness, startHarness } from './harness.ts';

// The simulator's own key pair, so this test can sign the notification as the channel does (V1 rules).
const simKeys = (() => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
})();

function signed(fields: Record<string, string>): Record<string, string> {
  const content = Object.keys(fields)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return { ...fields, sign_type: 'RSA2', sign: createSign('RSA-SHA256').update(content, 'utf8').sign(simKeys.privatePem, 'base64') };
}

describeEachBackend('one notification delivered many times at once', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    // No notify URL for the simulator to reach: this test delivers the notification itself.
    h = await startHarness(backend, { simKeys });
  });
  afterAll(() => h?.close());

  it('applies it once, answers every copy with success, and never deadlocks', async () => {
    const payment = await h.client.createPayment({ amount: '2500.00', authCode: await h.newCode() }, newIdempotencyKey());
    expect(payment.status).toBe('waiting_buyer');
    await h.simAdmin('POST', `/__sim/trades/${payment.outTradeNo}/confirm`, {});
    let fields: Record<string, string> | undefined;
    for (let i = 0; i < 200 && !fields; i++) {
      const { notifications } = await h.simAdmin<{ notifications: { fields: Record<string, string> }[] }>(
        'GET',
        `/__sim/notifications?outTradeNo=${payment.outTradeNo}`,
      );
      fields = notifications.find((n) => n.fields.trade_status === 'TRADE_SUCCESS')?.fields;
      if (!fields) await new Promise((r) => setTimeout(r, 25));
    }
    expect(fields).toBeDefined();

    // Six copies of the notification, and six more about the same trade under other notify ids
    // (as when the channel's notices cross): every one takes the payment's lock at the same time.
    const bodies = Array.from({ length: 12 }, (_, i) =>
      new URLSearchParams(signed(i < 6 ? fields! : { ...fields!, notify_id: `${fields!.notify_id}x${i}` })).toString(),
    );
    const answers = await Promise.all(
      bodies.map((payload) =>
        h.platform.app.inject({
          method: 'POST',
          url: '/v1/notify/alipay',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          payload,
        }),
      ),
    );
    await h.platform.security.flush();
    const refused = await h.db.query<{ kind: string; detail: unknown }>('select kind, detail from security_events');
    expect(refused.rows).toEqual([]);
    expect(answers.map((a) => `${a.statusCode} ${a.body}`)).toEqual(Array(12).fill('200 success'));

    expect((await h.client.getPayment(payment.id)).status).toBe('succeeded');
    const paidEvents = await h.db.query(`select 1 from payment_events where payment_id = $1 and type = 'channel.paid'`, [payment.id]);
    expect(paidEvents.rowCount).toBe(1);
    const entries = await h.db.query<{ amount_fen: number }>('select amount_fen from ledger_entries where payment_id = $1', [payment.id]);
    expect(entries.rows.map((e) => e.amount_fen).sort((a, b) => a - b)).toEqual([-250000, 250000]);
    const stored = await h.db.query<{ effect: string }>('select effect from channel_notifications where payment_id = $1', [payment.id]);
    expect(stored.rows.map((r) => r.effect).sort()).toEqual(['applied', ...Array(6).fill('unchanged')]);
  });
});
