import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEVICE_HEADERS } from '@scanpay/contracts';
import { generateDeviceKey, newIdempotencyKey, signRequest } from '@scanpay/terminal-sdk';
import { setTerminalStatus } from '../src/modules/terminals/store.ts';
import { describeEachBackend } from './db-backends.ts';
import { type Harness, startHarness } from './harness.ts';

interface Answer {
  status: number;
  body: { code?: string; message?: { zh: string; en: string }; remedy?: { zh: string; en: string }; status?: string };
  headers: Headers;
}

describeEachBackend('refusing bad input with a clear 4xx and recording nothing', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(() => h?.close());

  /** A raw signed request, so each part of the signature can be spoiled on purpose. */
  async function send(
    body: string,
    spoil: { timestampMs?: number; key?: CryptoKey; terminalId?: string; nonce?: string; unsigned?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Answer & { signed: Record<string, string> }> {
    const signed = spoil.unsigned
      ? {}
      : await signRequest({
          terminalId: spoil.terminalId ?? h.terminalId,
          privateKey: spoil.key ?? h.client.credentials.privateKey,
          method: 'POST',
          pathWithQuery: '/v1/payments',
          body,
          timestampMs: spoil.timestampMs ?? Date.now(),
          ...(spoil.nonce ? { nonce: spoil.nonce } : {}),
        });
    const res = await fetch(`${h.baseUrl}/v1/payments`, {
      method: 'POST',
      headers: { ...signed, 'content-type': 'application/json', 'idempotency-key': newIdempotencyKey(), ...spoil.headers },
      body,
    });
    return { status: res.status, body: await res.json(), headers: res.headers, signed };
  }

  async function recorded(): Promise<{ payments: number; payCalls: number }> {
    const r = await h.db.query<{ n: number }>('select count(*)::int as n from payments');
    const calls = await h.simAdmin<{ counts: Record<string, number> }>('GET', '/__sim/calls');
    return { payments: r.rows[0]?.n ?? 0, payCalls: calls.counts['alipay.trade.pay'] ?? 0 };
  }

  function expectProblem(a: Answer, status: number, code: string) {
    expect(a.status, JSON.stringify(a.body)).toBe(status);
    expect(a.body.code).toBe(code);
    expect(a.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(a.headers.get('x-request-id')).toMatch(/^req_/);
    expect(a.body.message?.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(a.body.message?.en).toBeTruthy();
    expect(a.body.remedy?.zh).toMatch(/[\u4e00-\u9fff]/);
  }

  it.each([
    ['0', 'REQ_AMOUNT_OUT_OF_RANGE'],
    ['-1', 'REQ_AMOUNT_INVALID'],
    ['1.234', 'REQ_AMOUNT_INVALID'],
    ['1e3', 'REQ_AMOUNT_INVALID'],
    ['１２', 'REQ_AMOUNT_INVALID'],
    ['100000000.01', 'REQ_AMOUNT_OUT_OF_RANGE'],
    ['', 'REQ_AMOUNT_MISSING'],
  ])('amount %j → %s', async (amount, code) => {
    const before = await recorded();
    const a = await send(JSON.stringify({ amount, authCode: await h.newCode() }));
    expectProblem(a, 400, code);
    expect(await recorded()).toEqual(before);
  });

  it('a number instead of a yuan string', async () => {
    expectProblem(await send(JSON.stringify({ amount: 12.34, authCode: await h.newCode() })), 400, 'REQ_AMOUNT_INVALID');
  });

  it('a missing amount', async () => {
    expectProblem(await send(JSON.stringify({ authCode: await h.newCode() })), 400, 'REQ_AMOUNT_MISSING');
  });

  it.each([
    ['a missing code', undefined, 'REQ_PAYCODE_MISSING'],
    ['an empty code', '', 'REQ_PAYCODE_MISSING'],
    ['a collection-code URL', 'https://qr.alipay.com/fkx12345abcdefg', 'REQ_PAYCODE_COLLECTION_CODE'],
    ['a WeChat collection code', 'wxp://f2f0abcdefg', 'REQ_PAYCODE_COLLECTION_CODE'],
    ['an unknown prefix', '991234567890123456', 'REQ_PAYCODE_UNKNOWN_FORMAT'],
    ['200 digits', '2'.repeat(200), 'REQ_PAYCODE_UNKNOWN_FORMAT'],
    ['text', 'hello', 'REQ_PAYCODE_NOT_PAYMENT_CODE'],
  ])('%s', async (_what, authCode, code) => {
    const before = await recorded();
    const a = await send(JSON.stringify({ amount: '1.00', ...(authCode === undefined ? {} : { authCode }) }));
    expectProblem(a, 400, code);
    expect(await recorded()).toEqual(before);
  });

  it('tells the cashier to ask for the payment code when a collection code is scanned', async () => {
    const a = await send(JSON.stringify({ amount: '1.00', authCode: 'HTTPS://QR.ALIPAY.COM/FKX0123456789' }));
    expect(a.body.message?.zh).toBe('这是收款码，请让顾客打开付款码');
  });

  it('a WeChat code while only Alipay is enabled (422)', async () => {
    expectProblem(await send(JSON.stringify({ amount: '1.00', authCode: '134567890123456789' })), 422, 'REQ_PAYCODE_CHANNEL_UNSUPPORTED');
  });

  it('a body over 16 KiB (413)', async () => {
    const a = await send(JSON.stringify({ amount: '1.00', authCode: await h.newCode(), subject: 'x'.repeat(17 * 1024) }));
    expectProblem(a, 413, 'REQ_BODY_TOO_LARGE');
  });

  it('malformed JSON', async () => {
    expectProblem(await send('{"amount": "1.00",'), 400, 'REQ_BODY_MALFORMED');
  });

  it('no Idempotency-Key', async () => {
    const body = JSON.stringify({ amount: '1.00', authCode: await h.newCode() });
    const signed = await signRequest({
      terminalId: h.terminalId, privateKey: h.client.credentials.privateKey, method: 'POST',
      pathWithQuery: '/v1/payments', body, timestampMs: Date.now(),
    });
    const res = await fetch(`${h.baseUrl}/v1/payments`, { method: 'POST', headers: { ...signed, 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe('REQ_IDEMPOTENCY_KEY_MISSING');
  });

  it('an unsigned request', async () => {
    const before = await recorded();
    expectProblem(await send(JSON.stringify({ amount: '1.00', authCode: await h.newCode() }), { unsigned: true }), 401, 'TRM_SIGNATURE_MISSING');
    expect(await recorded()).toEqual(before);
  });

  it('a request signed by another key', async () => {
    const other = await generateDeviceKey();
    const a = await send(JSON.stringify({ amount: '1.00', authCode: await h.newCode() }), { key: other.privateKey });
    expectProblem(a, 401, 'TRM_SIGNATURE_INVALID');
  });

  it('a body changed after signing', async () => {
    const body = JSON.stringify({ amount: '1.00', authCode: await h.newCode() });
    const signed = await signRequest({
      terminalId: h.terminalId, privateKey: h.client.credentials.privateKey, method: 'POST',
      pathWithQuery: '/v1/payments', body, timestampMs: Date.now(),
    });
    const res = await fetch(`${h.baseUrl}/v1/payments`, {
      method: 'POST',
      headers: { ...signed, 'content-type': 'application/json', 'idempotency-key': newIdempotencyKey() },
      body: body.replace('1.00', '9.00'),
    });
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe('TRM_SIGNATURE_INVALID');
  });

  it('an expired request (6 minutes old)', async () => {
    const a = await send(JSON.stringify({ amount: '1.00', authCode: await h.newCode() }), { timestampMs: Date.now() - 6 * 60_000 });
    expectProblem(a, 401, 'TRM_TIMESTAMP_SKEW');
  });

  it('a replayed request', async () => {
    const body = JSON.stringify({ amount: '1.00', authCode: await h.newCode() });
    const first = await send(body);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-request-id')).toMatch(/^req_/);
    const replay = await fetch(`${h.baseUrl}/v1/payments`, {
      method: 'POST',
      headers: { ...first.signed, 'content-type': 'application/json', 'idempotency-key': newIdempotencyKey() },
      body,
    });
    expect(replay.status).toBe(401);
    expect((await replay.json()).code).toBe('TRM_NONCE_REPLAYED');
  });

  it('a request signed by the old key once the terminal has a new one (its nonce not burnt)', async () => {
    // A terminal's key is remembered after its first request: a later request signed with that key
    // must still be refused once the database holds another.
    expect((await send(JSON.stringify({ amount: '1.00', authCode: await h.newCode() }))).status).toBe(200);
    const { public_key_jwk: original } = (await h.db.query<{ public_key_jwk: object }>(
      'select public_key_jwk from terminals where id = $1', [h.terminalId])).rows[0]!;
    const other = await generateDeviceKey({ extractable: true });
    const otherJwk = await crypto.subtle.exportKey('jwk', other.publicKey);
    await h.db.query('update terminals set public_key_jwk = $2 where id = $1', [h.terminalId, JSON.stringify(otherJwk)]);
    try {
      const nonce = 'oldkey-nonce-0000000001';
      expectProblem(await send(JSON.stringify({ amount: '1.00', authCode: await h.newCode() }), { nonce }), 401, 'TRM_SIGNATURE_INVALID');
      const burnt = await h.db.query('select 1 from request_nonces where terminal_id = $1 and nonce = $2', [h.terminalId, nonce]);
      expect(burnt.rows).toHaveLength(0);
      expect((await send(JSON.stringify({ amount: '1.00', authCode: await h.newCode() }), { key: other.privateKey })).status).toBe(200);
    } finally {
      await h.db.query('update terminals set public_key_jwk = $2 where id = $1', [h.terminalId, JSON.stringify(original)]);
    }
    expect((await send(JSON.stringify({ amount: '1.00', authCode: await h.newCode() }))).status).toBe(200);
  });

  it('an unknown device', async () => {
    const a = await send(JSON.stringify({ amount: '1.00', authCode: await h.newCode() }), { terminalId: 'trm_00000000000000000000000000' });
    expectProblem(a, 401, 'TRM_UNKNOWN_DEVICE');
  });

  it('a disabled device, and the same device once enabled again', async () => {
    await setTerminalStatus(h.db, h.terminalId, 'disabled');
    try {
      expectProblem(await send(JSON.stringify({ amount: '1.00', authCode: await h.newCode() })), 403, 'TRM_DEVICE_DISABLED');
    } finally {
      await setTerminalStatus(h.db, h.terminalId, 'active');
    }
    expect((await send(JSON.stringify({ amount: '1.00', authCode: await h.newCode() }))).status).toBe(200);
  });

  it('another merchant’s payment is not found', async () => {
    const res = await h.client.getPayment('pay_00000000000000000000000000').catch((e) => e);
    expect(res.status).toBe(404);
    expect(res.code).toBe('PAY_NOT_FOUND');
  });

  it('an unknown route', async () => {
    const res = await fetch(`${h.baseUrl}/v1/nothing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    expect((await res.json()).code).toBe('REQ_NOT_FOUND');
  });

  it('a second activation with a spent code', async () => {
    const res = await fetch(`${h.baseUrl}/v1/terminals/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        activationCode: '0000-0000-0000',
        serial: 'X',
        publicKey: { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'B'.repeat(43) },
      }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe('TRM_PUBLIC_KEY_INVALID');
  });
});
