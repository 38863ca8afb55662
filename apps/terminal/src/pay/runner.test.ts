import { describe, expect, it } from 'vitest';
import type { Payment } from '@scanpay/contracts';
import { generateDeviceKey, memoryPendingStore, TerminalClient } from '@scanpay/terminal-sdk';
import { PayRunner, type PayView } from './runner.ts';

const TERMINAL = 'trm_0123456789abcdefghijklmnop';
const REQUEST = { amount: '12.34', authCode: '281234567890123456' };

function payment(over: Partial<Payment> = {}): Payment {
  return {
    id: 'pay_0123456789abcdefghijklmnop', outTradeNo: 'SP1', status: 'succeeded', pending: false, amount: '12.34',
    amountFen: 1234, refundedAmount: '0.00', currency: 'CNY', channel: 'alipay', tradeNo: '2026', subject: 's',
    merchant: { id: 'mch_1', name: 'M' }, storeId: 'sto_1', terminalId: TERMINAL, operatorId: null,
    buyerLogonId: null, paycode: '2812…(18)', createdAt: new Date().toISOString(), decidedAt: null,
    display: { zh: '支付成功', en: 'Payment successful' }, failure: null, kind: 'code', qrCode: null, qrExpiresAt: null, ...over,
  };
}

type Answer = Payment | 'network' | { status: number; problem: object };

/** A platform that answers from a script, one answer per request; the last one repeats. */
async function setup(script: Answer[]) {
  const keys = await generateDeviceKey();
  const calls: { method: string; url: string; key: string | null }[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    calls.push({ method: init?.method ?? 'GET', url: String(input), key: new Headers(init?.headers).get('idempotency-key') });
    const answer = script.length > 1 ? script.shift()! : script[0]!;
    if (answer === 'network') throw new TypeError('Failed to fetch');
    if ('problem' in answer) return new Response(JSON.stringify(answer.problem), { status: answer.status });
    return new Response(JSON.stringify(answer), { status: 200 });
  };
  const client = new TerminalClient({ baseUrl: 'http://127.0.0.1:1', terminalId: TERMINAL, privateKey: keys.privateKey }, { fetch: fetchFn });
  const store = memoryPendingStore();
  const views: PayView[] = [];
  const reach: boolean[] = [];
  const runner = new PayRunner(client, store, {
    onView: (v) => views.push(v),
    onReachable: (r) => reach.push(r),
    sleep: async () => {},
  });
  return { runner, store, views, reach, calls };
}

describe('the pay runner', () => {
  it('shows 正在收款, then the success', async () => {
    const { runner, views, store } = await setup([payment()]);
    expect(await runner.start(REQUEST)).toBe(true);
    await runner.idle();
    expect(views.map((v) => v.stage)).toEqual(['sending', 'done']);
    expect(await store.load()).toBeNull();
  });

  it('says "confirming" while the network is gone, retries with the same key and ends with the outcome', async () => {
    const { runner, views, reach, calls } = await setup(['network', 'network', payment()]);
    await runner.start(REQUEST);
    await runner.idle();
    expect(views.map((v) => v.stage)).toEqual(['sending', 'confirming', 'confirming', 'done']);
    expect(reach).toEqual([false, false, true]);
    const keys = new Set(calls.map((c) => c.key));
    expect(keys.size).toBe(1);
    expect(calls.every((c) => c.method === 'POST')).toBe(true);
  });

  it('shows the waiting screen for waiting_buyer and keeps its start time while polling', async () => {
    const waiting = payment({ status: 'waiting_buyer', pending: true });
    const { runner, views } = await setup([waiting, waiting, payment()]);
    await runner.start(REQUEST);
    await runner.idle();
    const waits = views.filter((v) => v.stage === 'waiting_buyer');
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(new Set(waits.map((w) => (w.stage === 'waiting_buyer' ? w.since : 0))).size).toBe(1);
    expect(views.at(-1)?.stage).toBe('done');
  });

  it('shows a definite refusal with its words, and allows the next payment', async () => {
    const problem = {
      type: 'about:blank', title: 'x', status: 400, code: 'REQ_PAYCODE_UNKNOWN_FORMAT', cause: 'c', retryable: false,
      message: { zh: '无法识别的付款码格式', en: 'Unrecognised payment code format' }, remedy: { zh: '请刷新', en: 'Refresh' },
    };
    const { runner, views, store } = await setup([{ status: 400, problem }]);
    await runner.start(REQUEST);
    await runner.idle();
    expect(views.at(-1)).toMatchObject({ stage: 'refused', refusal: { code: 'REQ_PAYCODE_UNKNOWN_FORMAT', message: problem.message } });
    expect(await store.load()).toBeNull();
  });

  it('refuses a new payment while one is stored undecided, and resumes that one instead', async () => {
    const { runner, store, views, calls } = await setup([payment()]);
    await store.save({ idempotencyKey: 'pk_old', request: REQUEST, paymentId: 'pay_0123456789abcdefghijklmnop', createdAt: 0 });
    expect(await runner.start({ amount: '1.00', authCode: '289999999999999999' })).toBe(false);
    await runner.idle();
    expect(views.map((v) => v.stage)).toEqual(['confirming', 'done']);
    expect(calls.every((c) => c.method === 'GET')).toBe(true);
    expect(await store.load()).toBeNull();
  });

  it('顾客扫码: shows 正在生成收款二维码, then the QR with its deadline, then the outcome', async () => {
    const expires = new Date(Date.now() + 120_000).toISOString();
    const shown = payment({ kind: 'qr', status: 'waiting_buyer', pending: true, qrCode: 'https://qr.alipay.com/bax01', qrExpiresAt: expires });
    const { runner, views, calls } = await setup([shown, shown, payment({ kind: 'qr' })]);
    expect(await runner.startQr({ amount: '12.34' })).toBe(true);
    await runner.idle();
    expect(views[0]).toEqual({ stage: 'sending', amount: '12.34', kind: 'qr' });
    const qr = views.find((v) => v.stage === 'qr');
    expect(qr).toMatchObject({ qrCode: 'https://qr.alipay.com/bax01', expiresAt: Date.parse(expires) });
    expect(views.at(-1)?.stage).toBe('done');
    expect(calls[0]).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:1/v1/payments/qr' });
  });

  it('never shows a second QR while a payment is undecided: the stored one is resumed', async () => {
    const { runner, store, calls } = await setup([payment()]);
    await store.save({ kind: 'qr', idempotencyKey: 'pk_old', request: { amount: '3.00' }, paymentId: 'pay_0123456789abcdefghijklmnop', createdAt: 0 });
    expect(await runner.startQr({ amount: '5.00' })).toBe(false);
    await runner.idle();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('取消收款: shows 正在撤销 while the platform cancels, then the outcome the pay loop sees', async () => {
    const waiting = payment({ status: 'waiting_buyer', pending: true });
    const cancelled = payment({ status: 'cancelled', pending: false, display: { zh: '本次收款已撤销，顾客不会被扣款', en: 'x' } });
    // A platform that holds the long poll until the stop arrives, then answers cancelled.
    let stopped!: () => void;
    const stopArrived = new Promise<void>((r) => (stopped = r));
    const calls: string[] = [];
    const fetchFn: typeof fetch = async (input, init) => {
      const call = `${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`;
      calls.push(call);
      if (call.endsWith('/cancel')) stopped();
      else if (call.startsWith('GET')) await stopArrived;
      const body = call.startsWith('GET') && calls.some((c) => c.endsWith('/cancel')) ? cancelled : waiting;
      return new Response(JSON.stringify(body), { status: 200 });
    };
    const keys = await generateDeviceKey();
    const client = new TerminalClient({ baseUrl: 'http://127.0.0.1:1', terminalId: TERMINAL, privateKey: keys.privateKey }, { fetch: fetchFn });
    const views: PayView[] = [];
    const runner = new PayRunner(client, memoryPendingStore(), { onView: (v) => views.push(v), sleep: async () => {} });
    await runner.start(REQUEST);
    await expect.poll(() => views.some((v) => v.stage === 'waiting_buyer')).toBe(true);
    expect(await runner.stop()).toBe(true);
    await runner.idle();
    const stages = views.map((v) => v.stage);
    expect(stages.slice(stages.indexOf('stopping'))).toEqual(['stopping', 'stopping', 'done']);
    expect(views.at(-1)).toMatchObject({ stage: 'done', payment: { status: 'cancelled' } });
    expect(calls).toContain('POST /v1/payments/pay_0123456789abcdefghijklmnop/cancel');
  });

  it('after a reload, a payment whose stop was asked for shows 正在撤销 until it is decided', async () => {
    const waiting = payment({ status: 'waiting_buyer', pending: true });
    const { runner, store, views } = await setup([waiting, payment({ status: 'cancelled', pending: false })]);
    await store.save({ idempotencyKey: 'pk_old', request: REQUEST, paymentId: 'pay_0123456789abcdefghijklmnop', createdAt: 0, stopRequestedAt: 1 });
    expect(await runner.resume()).toBe(true);
    await runner.idle();
    expect(views.map((v) => v.stage)).toEqual(['confirming', 'stopping', 'done']);
  });
});
