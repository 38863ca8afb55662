import { describe, expect, it } from 'vitest';
import type { Payment } from '@scanpay/contracts';
import { TerminalClient } from './client.ts';
import { memoryPendingStore, payByQr, PendingPaymentExists, stopPayment } from './pay-flow.ts';
import { generateDeviceKey } from './signing.ts';

const TERMINAL = 'trm_0123456789abcdefghijklmnop';
const ID = 'pay_0123456789abcdefghijklmnop';

function payment(over: Partial<Payment> = {}): Payment {
  return {
    id: ID, outTradeNo: 'SP1', status: 'succeeded', pending: false, amount: '12.34', amountFen: 1234,
    refundedAmount: '0.00', currency: 'CNY', channel: 'alipay', tradeNo: '2026', subject: 's',
    merchant: { id: 'mch_1', name: 'M' }, storeId: 'sto_1', terminalId: TERMINAL, operatorId: null,
    buyerLogonId: null, paycode: '', createdAt: new Date().toISOString(), decidedAt: null,
    display: { zh: '支付成功', en: 'Payment successful' }, failure: null, kind: 'qr', qrCode: null, qrExpiresAt: null, ...over,
  };
}

const problem = (status: number, code: string, retryable: boolean) => ({
  status,
  problem: { type: 'about:blank', title: code, status, code, cause: 'c', retryable, message: { zh: 'x', en: 'x' }, remedy: { zh: 'y', en: 'y' } },
});
type Answer = Payment | 'network' | ReturnType<typeof problem>;

/** A platform that answers from a script, one answer per request; the last one repeats. */
async function setup(script: Answer[]) {
  const keys = await generateDeviceKey();
  const calls: { method: string; path: string; key: string | null; body: string }[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    calls.push({
      method: init?.method ?? 'GET',
      path: new URL(String(input)).pathname,
      key: new Headers(init?.headers).get('idempotency-key'),
      body: typeof init?.body === 'string' ? init.body : '',
    });
    const answer = script.length > 1 ? script.shift()! : script[0]!;
    if (answer === 'network') throw new TypeError('Failed to fetch');
    if ('problem' in answer) return new Response(JSON.stringify(answer.problem), { status: answer.status });
    return new Response(JSON.stringify(answer), { status: 200 });
  };
  const client = new TerminalClient({ baseUrl: 'http://127.0.0.1:1', terminalId: TERMINAL, privateKey: keys.privateKey }, { fetch: fetchFn });
  return { client, calls, store: memoryPendingStore() };
}

const fast = { sleep: async () => {}, random: () => 0 };

describe('payByQr (顾客扫码)', () => {
  it('posts the QR order with one stored key across retries, reports the QR, and follows it to the outcome', async () => {
    const shown = payment({ status: 'waiting_buyer', pending: true, qrCode: 'https://qr.alipay.com/bax01', qrExpiresAt: new Date().toISOString() });
    const { client, calls, store } = await setup(['network', problem(409, 'REQ_IDEMPOTENCY_IN_PROGRESS', true), shown, shown, payment()]);
    const qrSeen: string[] = [];
    const done = await payByQr(client, store, { amount: '12.34' }, {
      ...fast,
      onProgress: (p) => {
        if (p.stage === 'pending' && p.payment.qrCode) qrSeen.push(p.payment.qrCode);
      },
    });
    expect(done.status).toBe('succeeded');
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts.map((c) => c.path)).toEqual(['/v1/payments/qr', '/v1/payments/qr', '/v1/payments/qr']);
    expect(new Set(posts.map((c) => c.key)).size).toBe(1);
    expect(JSON.parse(posts[0]!.body)).toEqual({ amount: '12.34' });
    expect(calls.filter((c) => c.method === 'GET').every((c) => c.path === `/v1/payments/${ID}`)).toBe(true);
    expect(qrSeen[0]).toBe('https://qr.alipay.com/bax01');
    expect(await store.load()).toBeNull();
  });

  it('never opens a second order while one is undecided', async () => {
    const { client, calls, store } = await setup([payment()]);
    await store.save({ kind: 'qr', idempotencyKey: 'pk_old', request: { amount: '1.00' }, paymentId: ID, createdAt: 0 });
    await expect(payByQr(client, store, { amount: '2.00' }, fast)).rejects.toBeInstanceOf(PendingPaymentExists);
    expect(calls).toEqual([]);
  });

  it('a definite refusal clears the stored intent (nothing was ordered)', async () => {
    const { client, store } = await setup([problem(400, 'REQ_AMOUNT_OUT_OF_RANGE', false)]);
    await expect(payByQr(client, store, { amount: '0.00' }, fast)).rejects.toMatchObject({ code: 'REQ_AMOUNT_OUT_OF_RANGE' });
    expect(await store.load()).toBeNull();
  });
});

describe('stopPayment (取消收款)', () => {
  it('retries the stop with one key until the platform answers, and marks the stored payment', async () => {
    const waiting = payment({ kind: 'code', status: 'waiting_buyer', pending: true });
    const { client, calls, store } = await setup(['network', problem(503, 'SYS_DB_UNAVAILABLE', true), waiting]);
    await store.save({ idempotencyKey: 'pk_pay', request: { amount: '12.34', authCode: '281234567890123456' }, paymentId: ID, createdAt: 0 });
    const answer = await stopPayment(client, ID, { ...fast, store });
    expect(answer.pending).toBe(true);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(Array(3).fill(`POST /v1/payments/${ID}/cancel`));
    expect(new Set(calls.map((c) => c.key)).size).toBe(1);
    expect(calls[0]!.key).not.toBe('pk_pay');
    expect((await store.load())?.stopRequestedAt).toBeTypeOf('number');
  });

  it('answers with the payment as it is when it was decided meanwhile (409)', async () => {
    const { client, calls } = await setup([problem(409, 'PAY_INVALID_STATE', false), payment()]);
    const answer = await stopPayment(client, ID, fast);
    expect(answer.status).toBe('succeeded');
    expect(calls.map((c) => c.method)).toEqual(['POST', 'GET']);
  });

  it('passes other refusals on', async () => {
    const { client } = await setup([problem(404, 'PAY_NOT_FOUND', false)]);
    await expect(stopPayment(client, ID, fast)).rejects.toMatchObject({ code: 'PAY_NOT_FOUND' });
  });
});
